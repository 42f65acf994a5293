"""The closing sections a page prints under its article are cut from a text dump's body."""

from __future__ import annotations

import textwrap

from importers.text import extract_text

ARTICLE = [
    "The city council voted on Tuesday to extend the night bus network to the three districts "
    "that lost their last service in the spring, after a petition gathered twelve thousand names.",
    "Transport officials said the new routes would start in March and run every half hour between "
    "midnight and five in the morning, paid for by the parking revenue the council raised in May.",
    "Residents who had campaigned for the change said it would let shift workers get home safely, "
    "though several asked why the weekend service would still stop at two in the morning.",
    "The council will review the routes after six months, when it has figures on how many people "
    "use them and what each journey costs the city once the fares have been counted.",
]


def dump(*sections: str) -> str:
    """A w3m-like dump: menu, headline, the article wrapped at 72 columns, then `sections`."""
    body = "\n\n".join(textwrap.fill(p, 72) for p in ARTICLE)
    menu = "  • Home\n  • City\n  • Transport\n  • Subscribe"
    footer = "© 2025 Example Courier. All rights reserved."
    closing = "\n\n".join(sections)
    return f"{menu}\n\nNight buses return to three districts\n\n{body}\n\n{closing}\n\n{footer}\n"


def test_an_about_the_author_box_after_the_article_is_cut():
    bio = (
        "She has covered transport and housing for the paper since 2016, and before that "
        "reported on local courts for a regional weekly in the north of the county."
    )
    text = extract_text(dump(f"About the Author\n\n{textwrap.fill(bio, 72)}")).text
    assert text.endswith(ARTICLE[-1])
    assert "covered transport" not in text


def test_a_references_list_and_a_read_next_list_are_cut():
    references = "References\n\n" + textwrap.fill(
        "Council transport committee, minutes of the meeting of 4 March 2025, item 7, on "
        "the night network and the parking revenue that will pay for its running costs.",
        72,
    )
    read_next = "What to read next\n\n" + textwrap.fill(
        "Why the tram extension was delayed again, and what the contractor says about the "
        "new date that the council has now been given for the first passenger services.",
        72,
    )
    text = extract_text(dump(references, read_next)).text
    assert text.endswith(ARTICLE[-1])
    assert "minutes of the meeting" not in text
    assert "tram extension" not in text


def test_such_a_header_in_the_first_half_is_the_articles_own():
    """A "Sources" section heading near the top opens a part of the article, not its end."""
    raw = dump().replace(
        textwrap.fill(ARTICLE[1], 72), "Sources\n\n" + textwrap.fill(ARTICLE[1], 72)
    )
    text = extract_text(raw).text
    assert "Sources" in text.split("\n\n")
    assert text.endswith(ARTICLE[-1])


def with_pictures(*between: str) -> str:
    """A dump with `between[k]` printed (between blank lines) after the article's paragraph k."""
    paragraphs = [textwrap.fill(p, 72) for p in ARTICLE]
    for k, extra in reversed([(k, e) for k, e in enumerate(between) if e]):
        paragraphs.insert(k + 1, extra)
    menu = "  • Home\n  • City\n  • Transport\n  • Subscribe"
    footer = "© 2025 Example Courier. All rights reserved."
    body = "\n\n".join(paragraphs)
    return f"{menu}\n\nNight buses return to three districts\n\n{body}\n\n{footer}\n"


def test_picture_captions_with_a_credit_are_dropped():
    raw = with_pictures(
        "A night bus waits at the depot on Mill Road. Photo by Sam Reyes",
        "Campaigners handed in the petition in April. Credit: Jo Park / Getty Images",
    )
    assert extract_text(raw).text == "\n\n".join(ARTICLE)


def test_alt_text_standing_alone_is_dropped_but_headings_stay():
    raw = with_pictures("night bus at the depot", "What the routes cost", "a map of the new routes")
    text = extract_text(raw).text
    assert text.split("\n\n") == [ARTICLE[0], ARTICLE[1], "What the routes cost", *ARTICLE[2:]]


def test_a_lower_case_list_item_or_sentence_is_not_alt_text():
    raw = with_pictures("  • night buses every half hour\n  • free transfers to the tram")
    text = extract_text(raw).text
    assert "• night buses every half hour\n• free transfers to the tram" in text


def test_calls_to_action_between_and_under_paragraphs_are_dropped():
    raw = with_pictures("Get a free quote today!", "Schedule a Free Consultation", "", "Learn More")
    assert extract_text(raw).text == "\n\n".join(ARTICLE)


def test_a_heading_that_starts_with_such_a_verb_stays():
    raw = with_pictures("Getting home after midnight")
    assert "Getting home after midnight" in extract_text(raw).text.split("\n\n")


def test_a_teaser_cards_headline_printed_twice_goes_with_its_copy():
    card = "Why the tram extension was delayed again\n\nWhy the tram extension was delayed again"
    glued = "Ten quiet parks to visit this winterTen quiet parks to visit this winter"
    spaced = "Ten quiet parks to visit this winter Ten quiet parks to visit this winter"
    raw = with_pictures(card, glued, spaced)
    assert extract_text(raw).text == "\n\n".join(ARTICLE)


def test_a_heading_printed_once_stays():
    raw = with_pictures("Why the tram extension was delayed again")
    assert "Why the tram extension was delayed again" in extract_text(raw).text.split("\n\n")


def test_a_sentence_describing_a_picture_is_dropped():
    raw = with_pictures(
        "A photo of the night bus depot on Mill Road, with three buses parked outside.",
        "This image shows the new routes drawn over a map of the three districts.",
    )
    assert extract_text(raw).text == "\n\n".join(ARTICLE)


def test_captions_after_letters_that_lengthen_in_lower_case_are_still_found():
    # "İ" lower-cases to two characters: offsets into a lower-cased page drift past such lines.
    raw = with_pictures(
        "The banner read İSTİKLAL İÇİN İLERİ İZMİR İNCİRALTI İSKELESİ İÇİN İMZA "
        "İSTİYORUZ İLÇE İLÇE. Photo by Sam Reyes",
        "Campaigners handed in the petition in April. Credit: Jo Park / Getty Images",
    )
    assert extract_text(raw).text == "\n\n".join(ARTICLE)
