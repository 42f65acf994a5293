"""Dates in text scrapes as text browsers print them: glued to what follows, in other orders."""

from __future__ import annotations

import pytest

from importers.text_dates import find_dates, parse_date


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
