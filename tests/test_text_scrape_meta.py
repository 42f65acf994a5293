"""Metadata of plain-text scrapes: the date and byline readers, w3m and lynx layouts, the CLI."""

from __future__ import annotations

import sqlite3
import textwrap

import pytest

from importers.text import extract_text
from importers.text_bylines import byline_in, name_in
from importers.text_dates import find_dates, parse_date
from importers.text_lines import Line
from importers.text_meta import looks_like_title
from tests.conftest import run_factmark
from tests.scrape_support import newsroom_notice


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("April 30, 2024", "2024-04-30"),
        ("30 April 2024", "2024-04-30"),
        ("30th Apr. 2024", "2024-04-30"),
        ("30/04/2024 14:05", "2024-04-30T14:05:00"),
        ("04/30/2024", "2024-04-30"),
        ("30.04.2024", "2024-04-30"),
        ("2024-04-30", "2024-04-30"),
        ("2024-04-30T14:05:00Z", "2024-04-30T14:05:00"),
        ("2025/4/29", "2025-04-29"),
        ("Apr. 30, 2024", "2024-04-30"),
        ("Published 4:05 PM EDT, Tue April 30, 2024", "2024-04-30"),
        ("Posted on December 18, 2025, 9:46 pm", "2025-12-18T21:46:00"),
        ("9 Oct 2024 22:40", "2024-10-09T22:40:00"),
        ("Published Jun 4, 2025 | Updated Jun 6, 2025", "2025-06-04"),
        ("Updated Jun 6, 2025 (first published Jun 4, 2025)", "2025-06-04"),
        ("Updated: Dec 17, 2025, 21:47 IST", "2025-12-17T21:47:00"),  # nothing else is given
        ("November 28, 2025/Living Healthy/Wellness", "2025-11-28"),
        ("ByKathryn GiuffridaMar 5, 2025 | 6 comments", "2025-03-05"),
    ],
)
def test_dates_in_the_formats_pages_print(line, iso):
    assert parse_date(line) == iso


@pytest.mark.parametrize(
    "line",
    [
        "3 hours ago",
        "Updated 5 minutes ago",
        "yesterday",
        "As of: July 2025",
        "The 2023-2024 season",
        "[2025.05.19.NCHS_-30]",
        "Call 555-12-2024 today",
        "v2.10.2024",
        "February 30, 2024",  # no such day
        "Mayor 5, 2020",
        "13/13/2024",
        "",
    ],
)
def test_lines_that_are_not_dates(line):
    assert parse_date(line) is None
    assert find_dates(line) == []


def test_an_update_date_is_told_from_the_publication_date():
    published, updated = find_dates("Published Jun 4, 2025 · Updated Jun 6, 2025 at 9:00")
    assert (published.iso, published.published, published.modified) == ("2025-06-04", True, False)
    assert (updated.iso, updated.modified) == ("2025-06-06T09:00:00", True)


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("BY JANE DOE", "JANE DOE"),
        ("By Jane Doe, Staff Writer | May 1, 2024", "Jane Doe"),
        (
            "By Scott Levine – Updated Sep 9, 2025 at 1:00 PM EST | Fact-checked by Frank Bass",
            "Scott Levine",
        ),
        ("Written by Ann Lee and Bo Chan", "Ann Lee and Bo Chan"),
        ("By Ann Lee, Bo Chan and Cy Park, Reporters", "Ann Lee, Bo Chan and Cy Park"),
        ("Words by Sam Hill", "Sam Hill"),
        ("Author: Maria Ruiz", "Maria Ruiz"),
        ("Posted by IndustrySelect on Tuesday, August 29, 2023", "IndustrySelect"),
        ("By Dylan Bailey, MS, RD", "Dylan Bailey"),
        ("ByNina Pineda", "Nina Pineda"),
        ("Author Tuhin Bhatt", "Tuhin Bhatt"),
        ("by jsteinhardt", "jsteinhardt"),  # a user name
        ("October 11, 2023 by Autumn Huerter", "Autumn Huerter"),
        (
            "By Matthew Richardson ⋅ Review Editor  ⋅  Updated November 18, 2025",
            "Matthew Richardson",
        ),
        ("The Currency editors", None),  # no "by": a name line, not a byline
    ],
)
def test_bylines_give_the_names_without_roles(line, names):
    assert byline_in(line) == names


@pytest.mark.parametrize(
    "line",
    [
        "by the way, the mayor disagreed",
        "By clicking Subscribe you agree to our terms",
        "Bylaws of the association",
        "Nearby restaurants",
        "By 2030, sales will double",
    ],
)
def test_lines_that_are_not_bylines(line):
    assert byline_in(line) is None


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Andrew King", "Andrew King"),
        ("Picture of Andrew King", "Andrew King"),
        ("Kelia Losa Reinoso photo", "Kelia Losa Reinoso"),
        ("Tom Talbot October 14, 2025", "Tom Talbot"),
        ("Ryan McDonald", "Ryan McDonald"),
        ("2025-12-17·Trond Teigen", "Trond Teigen"),
        ("Sergio Martínez-Beltrán | The Texas Newsroom", "Sergio Martínez-Beltrán"),
        ("Dylan Bailey, MS, RD, FAND", "Dylan Bailey"),
        ("Mobile App Development", None),
        ("Darya Yafimava.jpg", None),
        ("Contact Us", None),
        ("Industry Insights", None),
        ("BlogseBooksGuidesCase Studies", None),
        ("LET'S TALK!", None),
        ("Read More", None),
        ("Privacy Policy", None),
        ("Madonna", None),  # one word: too little to tell a name from a label
        ("The weather turned cold in the north", None),
    ],
)
def test_name_lines(line, name):
    assert name_in(line) == name


PARAGRAPHS = [
    "The city council voted on Tuesday to close the old bridge for repairs, after engineers "
    "found cracks in two of its supporting piers during a routine inspection last month.",
    "Drivers will be sent along the ring road while the work goes on, which the council expects "
    "to take about eight weeks, and buses will stop at temporary shelters on both banks.",
    "The engineers' report, published on the council's website, says the cracks are not yet "
    "dangerous but would widen quickly once the winter frosts set in, so the work cannot wait.",
    "Residents who rely on the bridge said they had been warned, but that the detour would add "
    "half an hour to their daily journeys, and asked for a ferry to run in the meantime.",
]
ITEMS = ["pedestrians may still cross on foot", "cyclists must walk their bicycles"]


def w3m_layout() -> str:
    """w3m: no indentation, `•` bullets, paragraphs wrapped at 100 columns."""
    menu = "• Home\n• Local\n• Politics\n• Subscribe"
    body = "\n\n".join(textwrap.fill(p, 100) for p in PARAGRAPHS[:3])
    items = "\n".join(f"  • {item}" for item in ITEMS)
    return (
        f"{menu}\n\nHome » Local » Old bridge to close for repairs\n\n"
        "Old bridge to close for repairs\n\nBy Maria Ruiz, Local Reporter\n"
        "Published 4:05 PM EDT, Tue April 30, 2024\n\n"
        f"{body}\n\n{items}\n\n{textwrap.fill(PARAGRAPHS[3], 100)}\n\n"
        "© 2024 Riverside Gazette. All rights reserved.\nPrivacy Policy\n"
    )


def lynx_layout() -> str:
    """lynx: three-space indent, `*` and `+` bullets, wrapped at 90 columns with the indent."""
    menu = "     * Home\n     * Local\n          + Politics\n     * Subscribe"
    body = "\n\n".join(
        textwrap.fill(p, 90, initial_indent="   ", subsequent_indent="   ") for p in PARAGRAPHS[:3]
    )
    items = "\n".join(f"     * {item}" for item in ITEMS)
    last = textwrap.fill(PARAGRAPHS[3], 90, initial_indent="   ", subsequent_indent="   ")
    return (
        f"{menu}\n\n   Home » Local » Old bridge to close for repairs\n\n"
        "Old bridge to close for repairs\n\n   Written by Maria Ruiz\n\n   April 30, 2024\n\n"
        f"{body}\n\n{items}\n\n{last}\n\n"
        "   (BUTTON) Share\n   © 2024 Riverside Gazette. All rights reserved.\n   Privacy Policy\n"
    )


@pytest.mark.parametrize("layout", [w3m_layout, lynx_layout])
def test_w3m_and_lynx_layouts_give_the_same_article(layout):
    article = extract_text(layout())
    assert article.title == "Old bridge to close for repairs"
    assert article.byline == "Maria Ruiz"
    assert article.published == "2024-04-30"
    paragraphs = article.text.split("\n\n")
    assert paragraphs[:3] == PARAGRAPHS[:3]
    assert paragraphs[-1] == PARAGRAPHS[3]
    assert all(item in article.text for item in ITEMS)
    for furniture in ("Subscribe", "Privacy Policy", "All rights reserved", "(BUTTON)", "Ruiz"):
        assert furniture not in article.text


def test_a_scrape_without_a_date_has_none_rather_than_today():
    scrape = "Old bridge to close for repairs\n\nUpdated 3 hours ago\n\n" + "\n\n".join(PARAGRAPHS)
    article = extract_text(scrape)
    assert article.published is None
    assert article.title == "Old bridge to close for repairs"


def test_importing_a_text_scrape_stores_its_title_byline_and_date(tmp_path, db_path):
    scrape = tmp_path / "bridge.txt"
    scrape.write_text(lynx_layout(), encoding="utf-8")
    result = run_factmark("--db", str(db_path), "import", str(scrape))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute("select title, byline, published, text from documents").fetchall()
    assert len(rows) == 1
    title, byline, published, text = rows[0]
    assert (title, byline, published) == (
        "Old bridge to close for repairs",
        "Maria Ruiz",
        "2024-04-30",
    )
    assert text.startswith(PARAGRAPHS[0])


def test_lynx_feed_links_name_the_headline_far_above_the_body():
    # lynx prints the page's <link rel="alternate"> titles first; a blog's feed of the post's
    # comments names the post, here wrapped over two rows as lynx wraps it.
    body = "\n\n".join(
        textwrap.fill(p, 90, initial_indent="   ", subsequent_indent="   ") for p in PARAGRAPHS
    )
    scrape = (
        "   #alternate Riverside Gazette » Feed Riverside Gazette » Comments Feed Riverside\n"
        "   Gazette » Old bridge to close for repairs until the spring Comments Feed JSON\n\n"
        "     * Home\n     * Local\n\n"
        "Old bridge to close for repairs until the spring\n\n"
        + "".join(f"     * Offer {n}: Open an account\n" for n in range(45))
        + "\n   Old bridge to close\n\n"
        + f"{body}\n"
    )
    article = extract_text(scrape)
    assert article.title == "Old bridge to close for repairs until the spring"
    assert "until the spring" not in article.text


def test_a_site_wide_comments_feed_names_no_headline():
    scrape = "   #Riverside Gazette » Feed Riverside Gazette » Comments Feed\n\n" + lynx_layout()
    assert extract_text(scrape).title == "Old bridge to close for repairs"


def test_a_headline_with_its_byline_below_a_long_notice_that_opens_the_body():
    notice = newsroom_notice()
    scrape = (
        f"• Home\n• Local\n\n{notice}\n\nOld bridge to close for repairs\n\n"
        "By Maria Ruiz | April 30, 2024\n\n"
        + "\n\n".join(textwrap.fill(p, 100) for p in PARAGRAPHS)
        + "\n"
    )
    article = extract_text(scrape)
    assert (article.title, article.byline) == ("Old bridge to close for repairs", "Maria Ruiz")


@pytest.mark.parametrize(
    "line",
    ["Labels: customer development, lean startup", "Filed under: Local News", "Tags: Bridges"],
)
def test_a_posts_labels_are_no_headline(line):
    assert not looks_like_title(Line(line, 0))
    assert looks_like_title(Line("Old bridge to close for repairs", 0))
