"""The headline of a text scrape beside lines that hold part of it or all of it."""

from __future__ import annotations

from importers.text import extract_text

_PARAGRAPHS = [
    "Cloud computing keeps changing how companies buy servers, storage and software, and the "
    "trends below show where the money and the engineering effort are going in the next years.",
    "Most companies now run workloads on more than one provider, which lowers their risk but "
    "makes security, cost control and the skills of their staff harder to manage across clouds.",
    "Serverless platforms and managed databases take more of the routine work away from teams, "
    "so that the engineers they have can spend their time on the products their customers use.",
]


def _scrape(*header: str) -> str:
    menu = "• Home\n• Blog\n• Pricing\n• Contact\n\n"
    return menu + "\n\n".join(header) + "\n\n" + "\n\n".join(_PARAGRAPHS) + "\n\nPrivacy Policy\n"


def test_a_section_label_inside_the_headline_is_not_the_headline():
    scrape = _scrape("Cloud Computing", "Top 10: Trends in Cloud Computing", "By Ann Lee")
    assert extract_text(scrape).title == "Top 10: Trends in Cloud Computing"


def test_a_shortened_headline_above_the_whole_one_gives_way():
    scrape = _scrape(
        "Trends in Cloud Computing", "Trends in Cloud Computing: Serverless Platforms", "By Ann Lee"
    )
    assert extract_text(scrape).title == "Trends in Cloud Computing: Serverless Platforms"


def test_a_breadcrumb_or_an_image_caption_holding_the_headline_is_not_it():
    title = "Top 10 Trends in Cloud Computing"
    assert extract_text(_scrape(f"Home » Blog » {title}", title)).title == title
    assert extract_text(_scrape(title, f"{title} cover", "By Ann Lee")).title == title


def test_a_standfirst_written_as_a_sentence_gives_way_to_the_headline_above_it():
    standfirst = (
        "Companies now run workloads on more than one provider, which lowers their risk but "
        "makes security and cost control harder"
    )
    scrape = _scrape("Where the Cloud Goes", standfirst, "By Ann Lee")
    assert extract_text(scrape).title == "Where the Cloud Goes"
