"""The headline of a saved page when its `<h1>` and its metadata titles disagree."""

from __future__ import annotations

import json

from importers.html import parse_html
from importers.html_meta import extract_meta

_BODY = "<p>" + "The article says what it has to say in a paragraph long enough. " * 8 + "</p>"


def _page(head: str, h1s: tuple[str, ...] = (), ld: dict[str, object] | None = None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    headings = "".join(f"<h1>{h1}</h1>" for h1 in h1s)
    body = f"<body>{headings}<article>{_BODY}</article></body>"
    return f"<html><head>{head}{script}</head>{body}</html>"


def _headline(page: str) -> str | None:
    return extract_meta(parse_html(page)).title


def test_a_blog_name_printed_as_every_page_heading_is_not_the_headline():
    page = _page(
        "<title>Lessons Learned: The lean startup</title>"
        '<meta property="og:title" content="The lean startup">',
        ("Lessons Learned",),
    )
    assert _headline(page) == "The lean startup"


def test_a_heading_that_is_the_site_name_gives_way_to_the_next_heading_or_the_title():
    page = _page(
        "<title>Where to Bike in Houston | Houstonia Magazine</title>"
        '<meta property="og:site_name" content="Houstonia Magazine">',
        ("Houstonia Magazine",),
    )
    assert _headline(page) == "Where to Bike in Houston"


def test_a_site_name_that_is_the_story_title_does_not_hide_the_heading():
    title = "How to Design a Website: a Complete Guide for 2026"
    page = _page(
        f'<meta property="og:title" content="{title} | Clay">'
        f'<meta property="og:site_name" content="{title}">',
        (title,),
    )
    assert _headline(page) == title


def test_a_json_ld_headline_cut_short_is_read_whole_from_og_title():
    whole = (
        "Fix It Friday: Struggling With How To Arrange Your Living Room? We Help 4 Readers "
        "Find Solutions (Including One Universal Trick That 9/10 Works)"
    )
    cut = whole[: whole.index(" One Universal")]
    page = _page(
        f'<meta property="og:title" content="{whole} - Emily Henderson">'
        '<meta property="og:site_name" content="Emily Henderson">',
        ld={"@type": "BlogPosting", "headline": cut},
    )
    assert _headline(page) == whole


def test_a_heading_with_characters_lost_to_a_wrong_decoding_gives_way_to_the_title():
    page = _page(
        '<meta property="og:title" content="What Are The Basics Of Event Planning: Beginner\'s '
        'Guide">',
        ("What Are The Basics Of Event Planning? Beginner? Guide",),
    )
    assert _headline(page) == "What Are The Basics Of Event Planning: Beginner's Guide"


def test_a_question_in_the_heading_is_no_damage():
    question = "Pros and Cons of Tiny House Living: Why Live in a Tiny House?"
    page = _page(
        '<meta property="og:title" content="Pros and Cons of Tiny House Living | LoadUp">'
        f'<meta name="parsely-title" content="{question}">',
        (question,),
    )
    assert _headline(page) == question


def test_the_site_name_at_the_end_of_the_heading_is_cut():
    page = _page(
        '<meta property="og:site_name" content="Artlyst">',
        ("Critics’ Choice: Best UK Art Exhibitions 2025 – Artlyst",),
    )
    assert _headline(page) == "Critics’ Choice: Best UK Art Exhibitions 2025"


def test_a_site_name_before_the_title_without_a_separator_is_cut():
    page = _page(
        '<link rel="canonical" href="https://davidbau.com/archives/2025/12/16/vibe_coding.html">'
        "<title>davidbau.com Vibe Coding</title>",
        ("davidbau.com",),
    )
    assert _headline(page) == "Vibe Coding"


def test_a_host_name_printed_as_the_heading_is_the_site_even_without_the_page_address():
    page = _page(
        "<title>notes.example-lab.org Why we moved off Kubernetes</title>",
        ("notes.example-lab.org",),
    )
    assert _headline(page) == "Why we moved off Kubernetes"


def test_a_heading_that_rewords_the_seo_title_with_a_fifth_of_its_words_is_the_headline():
    heading = "Why small teams are moving their analytics to the cloud in 2026"
    page = _page(
        '<meta property="og:title" content="Cloud Analytics for Small Teams - A practical guide">'
        "<title>Cloud Analytics for Small Teams - A practical guide | Numbersmith</title>",
        (heading,),
    )
    assert _headline(page) == heading


def test_a_second_heading_that_is_the_story_part_of_the_title_beats_the_blog_name():
    page = _page(
        '<link rel="canonical" href="https://go.dev/blog/defer-panic-and-recover">'
        '<meta property="og:title" content="Defer, Panic, and Recover - The Go Programming '
        'Language">',
        ("The Go Blog", "Defer, Panic, and Recover"),
    )
    assert _headline(page) == "Defer, Panic, and Recover"
