"""Dates in text scrapes as text browsers print them: glued to what follows, in other orders."""

from __future__ import annotations

import pytest

from importers.text import extract_text
from importers.text_dates import find_dates, numeric_order, parse_date
from importers.text_meta import is_date_line
from tests.scrape_support import newsroom_notice


@pytest.mark.parametrize(
    ("line", "dates"),
    [
        # w3m and lynx join adjacent elements without a space
        ("On January 12, 2025January 22, 2025 By Gabby Boucher", ["2025-01-12", "2025-01-22"]),
        ("October 17, 20236:01 PM ET", ["2023-10-17T18:01:00"]),
        ("Mar 27, 20255 mins", ["2025-03-27"]),
        ("May 2nd 202511 mins", ["2025-05-02"]),
        ("Jan 5, 2026Jan 5, 2026", ["2026-01-05", "2026-01-05"]),
        ("BySarah July 30, 2019January 18, 2023", ["2019-07-30", "2023-01-18"]),
    ],
)
def test_dates_glued_to_the_next_item(line, dates):
    assert [found.iso for found in find_dates(line)] == dates


def test_an_update_label_glued_to_the_date_before_it_still_marks_an_update():
    published, updated = find_dates("April 26, 2024Updated on: October 28, 2024")
    assert (published.iso, published.modified) == ("2024-04-26", False)
    assert (updated.iso, updated.modified) == ("2024-10-28", True)
    assert parse_date("April 26, 2024Updated on: October 28, 2024") == "2024-04-26"


@pytest.mark.parametrize("line", ["In 20245 people died", "May 5, 20245", "May 5, 2024x"])
def test_a_longer_number_is_no_year(line):
    assert find_dates(line) == []


# --- datelines in a scrape, beside the headline ------------------------------------------------

_PARAGRAPHS = [
    "The city council voted on Tuesday to close the old bridge for repairs, after engineers "
    "found cracks in two of its supporting piers during a routine inspection last month.",
    "Drivers will be sent along the ring road while the work goes on, which the council expects "
    "to take about eight weeks, and buses will stop at temporary shelters on both banks.",
    "Residents who rely on the bridge said they had been warned, but that the detour would add "
    "half an hour to their daily journeys, and asked for a ferry to run in the meantime.",
]


def _scrape(*header: str) -> str:
    menu = "• Home\n• Local\n• Politics\n• Subscribe\n\nOld bridge to close for repairs\n\n"
    return menu + "\n".join(header) + "\n\n" + "\n\n".join(_PARAGRAPHS) + "\n\nPrivacy Policy\n"


def test_a_credits_line_that_opens_with_its_date():
    scrape = _scrape(
        "On January 12, 2025January 22, 2025 By Gabby BoucherIn Local News, Roads, Bridges, City"
    )
    assert extract_text(scrape).published == "2025-01-12"


def test_a_standfirst_that_ends_with_its_credits_gives_the_date_and_stays_in_the_body():
    standfirst = (
        "The council says the repairs cannot wait for the summer, when traffic is lighter, and "
        "that the cost will come out of the reserve fund. By Lisa Jennings on Dec. 19, 2025"
    )
    article = extract_text(_scrape(standfirst))
    assert article.published == "2025-12-19"
    assert article.text.startswith(standfirst)


def test_a_date_beside_an_image_placeholder_is_a_dateline():
    scrape = _scrape(
        "May 14, 2025 [68a4b835ba135bf23291090c_captura-de-pantalla-2025-08-19-a-las-74424-p-m]"
    )
    assert extract_text(scrape).published == "2025-05-14"


def test_a_sentence_that_merely_ends_with_a_date_is_no_dateline():
    scrape = _scrape("The bridge was last closed for repairs on March 3, 2011")
    assert extract_text(scrape).published is None


def test_a_numeric_date_either_way_round_is_read_as_the_page_writes_its_other_dates():
    assert numeric_order("Posted 05.15.2025 · Updated 10.28.2025") is False
    assert numeric_order("Posted 25.12.2024") is True
    assert numeric_order("09.10.2024 and 10.11.2024") is None
    assert numeric_order("25.12.2024 and 12.25.2024") is None
    scrape = _scrape("09.10.2024") + "\nOlder posts\n05.15.2025 Bridge reopens\n"
    assert extract_text(scrape).published == "2024-09-10"
    assert extract_text(_scrape("09.10.2024")).published == "2024-10-09"  # dots: day first


def test_the_dateline_under_the_headline_wins_over_another_story_dated_above_it():
    menu = (
        "• Home\n• Local\n\n[ November 26, 2025 ] Review: Raffles Hotel Singapore Hotel reviews\n"
    )
    scrape = (
        menu
        + "Old bridge to close for repairs\nJune 3, 2024 39\n\n"
        + "\n\n".join(_PARAGRAPHS)
        + "\n\nPrivacy Policy\n"
    )
    assert extract_text(scrape).published == "2024-06-03"


def test_a_dateline_with_its_counters_is_still_a_dateline():
    line = (
        "AnthonyBy AnthonyJanuary 4, 2026Updated:January 8, 20262 Comments7 Mins Read14,267 Views"
    )
    assert is_date_line(line)
    assert not is_date_line("Read the 2 comments on what we said about it on January 4, 2026")


@pytest.mark.parametrize(
    "line",
    [
        "May 21, 2025April 24, 2025 by The Ritualist",  # the update printed first
        "April 24, 2025May 21, 2025 by The Ritualist",
    ],
)
def test_two_dates_printed_as_one_give_the_earlier_as_published(line):
    assert parse_date(line) == "2025-04-24"
    assert extract_text(_scrape(line)).published == "2025-04-24"


def test_a_long_credits_line_led_by_its_posted_date():
    line = (
        "Posted on November 25, 2024December 3, 2024 in College of Health Sciences, General, "
        "Healthcare, Master of Science in Applied Nutrition & Dietetics, Master of Science in "
        "Nutrition & Human Performance, Online Resources, Thought Leadership"
    )
    assert extract_text(_scrape(line)).published == "2024-11-25"


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("📅Jul. 11. 2025", "2025-07-11"),  # a full stop after the day, too
        ("2025•01•08", "2025-01-08"),  # bullets between year, month and day
        ("2025·01·08", "2025-01-08"),
    ],
)
def test_datelines_with_other_separators(line, iso):
    assert parse_date(line) == iso
    assert extract_text(_scrape(line)).published == iso


def test_credits_far_from_the_body_still_date_it():
    # A listicle's head, then a long table of contents and offers before the prose starts.
    head = (
        "Best cloud computing stocks\n\n"
        "By Scott Levine – Updated Sep 9, 2025 at 1:00 PM EST | Fact-checked by Frank Bass\n\n"
    )
    offers = "\n".join(f"• Offer {n}: Open an account" for n in range(80))
    scrape = _scrape("").replace("Old bridge to close for repairs\n\n", head + offers + "\n\n")
    assert extract_text(scrape).published == "2025-09-09T13:00:00"


def test_a_date_in_the_running_text_far_away_dates_nothing():
    offers = "\n".join(f"• Offer {n}: Open an account" for n in range(80))
    scrape = "We met on Sep 9, 2025 at the fair.\n\n" + offers + "\n\n" + _scrape("")
    assert extract_text(scrape).published is None


_OFFERS = "\n".join(f"• Offer {n}: Open an account" for n in range(80))


def test_a_date_under_its_label_printed_apart_dates_the_article_from_below_it():
    scrape = _scrape("") + f"\n{_OFFERS}\n\nPublished\nFeb 2, 2023\n\nIf You Liked This…\n"
    assert extract_text(scrape).published == "2023-02-02"


def test_a_date_under_the_authors_name_far_above_the_body_dates_the_article():
    head = "Oleg Parashchak\nOleg Parashchak\nJul 18, 2025\n7 min\n\n"
    scrape = head + _OFFERS + "\n\n" + _scrape("")
    assert extract_text(scrape).published == "2025-07-18"


def test_a_comment_dated_under_its_authors_name_below_the_article_dates_nothing():
    scrape = _scrape("") + f"\n{_OFFERS}\n\nCioccolata Russo\nPositive comment•Jun 16, 2025\n"
    assert extract_text(scrape).published is None


def test_the_dateline_under_a_headline_that_stands_in_the_bodys_opening():
    notice = newsroom_notice()
    scrape = (
        f"• Home\n• Local\n\n{notice}\n\nOld bridge to close for repairs\n"
        "Dec. 19, 2025 · Maria Ruiz on behalf of the local desk\n\n"
        + "\n\n".join(_PARAGRAPHS)
        + "\n"
    )
    article = extract_text(scrape)
    assert (article.title, article.published) == ("Old bridge to close for repairs", "2025-12-19")


def test_dates_read_again_from_a_remembered_line_are_the_callers_own():
    line = "Posted on November 25, 2024December 3, 2024"
    first = find_dates(line)
    first.clear()
    assert [d.iso for d in find_dates(line)] == ["2024-11-25", "2024-12-03"]
