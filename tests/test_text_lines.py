"""Re-wrapping and region rules of the text cleaner on small dumps shaped like w3m's and lynx's:
wide characters, box-drawn and padded tables, and an author box closing the article."""

from __future__ import annotations

from importers.text import extract_text
from importers.text_lines import display_width, logical_lines

WIDTH = 72


def wrap_columns(words: list[str], width: int) -> list[str]:
    """Rows as a text browser breaks them: greedy, by terminal columns (wide characters two)."""
    rows: list[str] = []
    row = ""
    for word in words:
        candidate = f"{row} {word}" if row else word
        if row and display_width(candidate) > width:
            rows.append(row)
            row = word
        else:
            row = candidate
    rows.append(row)
    return rows


def test_display_width_counts_wide_characters_twice():
    assert display_width("plain text") == 10
    assert display_width("curly “quotes” — dash") == 21
    assert display_width("東京 tokyo") == 10
    assert display_width("🌱 seedling") == 11


def paragraph(seed: str, count: int) -> list[str]:
    return [f"{seed}{n}" if n % 3 else f"{seed}{n}." for n in range(count)]


def test_rows_with_wide_characters_are_rejoined_by_columns():
    """A CJK word takes two columns a character: a row broken at the edge by columns is joined
    to the one above, where counting characters would see room left and keep them apart."""
    words = ["東京都庁", "meeting", "notes", "会議", "and", "minutes", "東京"] * 12
    rows = wrap_columns(words, WIDTH)
    dump = "\n".join(rows) + "\n\n" + "\n".join(wrap_columns(["plain", "words"] * 40, WIDTH))
    lines = logical_lines(dump)
    assert [line.text for line in lines] == [" ".join(words), " ".join(["plain", "words"] * 40)]
    assert lines[0].raw_lines == len(rows)


def test_a_box_drawn_table_stays_one_row_a_line():
    prose = wrap_columns(["The", "committee", "met", "on", "Tuesday", "again."] * 12, WIDTH)
    table = ["┌─────┬─────┐", "│Year │Cases│", "├─────┼─────┤", "│2024 │ 312 │"]
    dump = "\n".join(prose + table + prose)
    lines = logical_lines(dump)
    texts = [line.text for line in lines]
    assert "│Year │Cases│" in texts and "│2024 │ 312 │" in texts
    assert all(line.tabular for line in lines if line.text.startswith(("│", "┌", "├")))
    assert len(texts) == 2 + len(table)


def test_padded_columns_are_table_rows_not_wrapped_prose():
    prose = wrap_columns(["Figures", "for", "the", "region", "were", "revised."] * 12, WIDTH)
    table = ["Region        Cases    Deaths", "North           312        4", "South   88  1"]
    lines = logical_lines("\n".join(prose + table))
    assert [line.tabular for line in lines] == [False, True, True, True]


AUTHOR = "Karina Cohen"
ARTICLE = [
    "Menu",
    "Home",
    "Gardening",
    "",
    "How to start seeds indoors",
    "",
    "Starting seeds indoors gives tomatoes and peppers a head start of several weeks, and it is "
    "cheaper than buying seedlings from a nursery in the spring.",
    "",
    "Use a light soil mix, keep it moist but never wet, and give the seedlings at least twelve "
    "hours of light a day once they have come up.",
    "",
    "Harden the plants off for a week before they go out, leaving them outside a little longer "
    "each day so that wind and sun do not shock them.",
    "",
    "Water them well after planting, and shade them for the first two afternoons if the weather "
    "turns hot, then let them find their own feet.",
    "",
    AUTHOR,
    f"{AUTHOR} is the owner of a small nursery in Vermont, where she has grown vegetables for "
    "twenty years and writes about her garden every week.",
    "",
    "Share this article",
    "© 2025 Garden Notes. All rights reserved.",
]


def test_an_author_box_closing_the_article_is_cut():
    text = extract_text("\n".join(ARTICLE)).text
    assert text.startswith("Starting seeds indoors")
    assert text.endswith("let them find their own feet.")
    assert AUTHOR not in text


def test_a_name_followed_by_prose_about_something_else_is_kept():
    """Only a biography (it speaks of a person) makes the line above it an author box."""
    plant = "Karina Cohen"  # a rose variety named after a person, say
    lines = list(ARTICLE)
    at = lines.index(AUTHOR)
    lines[at + 1] = (
        f"{plant} roses flower from June to the first frosts, and need full sun and a rich "
        "soil that drains well after rain."
    )
    text = extract_text("\n".join(lines)).text
    assert f"{plant} roses flower from June" in text


DISCLOSURE = (
    "This post contains affiliate links: if you buy through them, we may earn a small commission "
    "at no extra cost to you."
)
DISCLAIMER = (
    "The information on this page is for general informational purposes only and is not intended "
    "to replace the advice of a qualified professional, who knows your own situation."
)


def test_affiliate_disclosures_and_disclaimers_are_page_furniture():
    """Sites print them above or below every article, as prose; they are not its text."""
    lines = list(ARTICLE)
    lines[lines.index("How to start seeds indoors") + 1 : 0] = ["", DISCLOSURE, ""]
    lines[lines.index(AUTHOR) : 0] = [DISCLAIMER, ""]
    text = extract_text("\n".join(lines)).text
    assert text.startswith("Starting seeds indoors")
    assert text.endswith("let them find their own feet.")
    assert DISCLOSURE not in text and DISCLAIMER not in text


def test_an_article_about_affiliate_links_keeps_its_sentences():
    """A sentence that mentions affiliate links without disclosing anything stays."""
    sentence = (
        "Affiliate links let bloggers earn money from the products they recommend, and many "
        "readers never notice them at all."
    )
    lines = list(ARTICLE)
    lines[lines.index(AUTHOR) : 0] = [sentence, ""]
    assert sentence in extract_text("\n".join(lines)).text
