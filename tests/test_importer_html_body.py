"""The HTML article body: pages whose article the first extraction only partly finds."""

from __future__ import annotations

from importers.html import extract_html

# A report long enough that its first part alone passes trafilatura's "long enough" bar.
REPORT = [
    f"Well {n} on the county's eastern ridge was sampled in April and again in October; the "
    f"regional water board found nitrate at {n + 4} milligrams per litre, and its engineers "
    "traced the runoff to fields fertilised just before the spring rains."
    for n in range(1, 41)
]
NAV = '<nav><a href="/">Home</a> <a href="/water">Water</a> <a href="/about">About us</a></nav>'
FOOTER = "<footer><p>Copyright 2025 Ridge Courier. All rights reserved.</p></footer>"


def page(body: str) -> bytes:
    head = "<title>Nitrate in the county's wells</title>"
    html = f"<!DOCTYPE html><html><head>{head}</head><body>{NAV}{body}{FOOTER}</body></html>"
    return html.encode()


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def test_an_article_split_over_two_containers_is_read_whole():
    # The CMS puts the first screenful in "entry-content" and the rest in a sibling block, as
    # pages with an inline ad or a paywall break do: recall-mode trafilatura keeps the first
    # container alone (under a third of the report), the balanced cascade finds both.
    body = (
        '<div class="wrap"><div class="entry-content">'
        f"{paragraphs(REPORT[:12])}</div>"
        f'<div class="text">{paragraphs(REPORT[12:])}</div></div>'
    )
    text = extract_html(page(body)).text
    assert all(paragraph in text for paragraph in REPORT)
    assert "All rights reserved" not in text and "About us" not in text


def test_a_whole_article_beside_long_teasers_is_not_replaced():
    # Many words of related-story teasers on the page make the article a small share of the
    # page's paragraphs; the balanced cascade then runs, but only a much longer body replaces it.
    story = f"<article><h1>Nitrate in the county's wells</h1>{paragraphs(REPORT[:14])}</article>"
    teasers = "".join(
        f'<div class="teaser"><p>Related: the board votes on a new pipeline for district {n}, '
        "with residents divided over the cost of the project and the route it takes past the "
        "school and the old mill on the river.</p></div>"
        for n in range(60)
    )
    text = extract_html(page(f'{story}<aside class="related">{teasers}</aside>')).text
    assert all(paragraph in text for paragraph in REPORT[:14])
    assert "Related: the board votes" not in text


def test_section_headings_between_article_paragraphs_are_kept():
    # An article in plain <div>s (no article/content class): trafilatura's main pass finds no
    # frame and recovers the text paragraph by paragraph, dropping every heading.
    body = (
        '<div class="wrap"><div>'
        f"{paragraphs(REPORT[:10])}<h2>What the board found</h2>{paragraphs(REPORT[10:20])}"
        f"<h3>Who pays for the clean-up</h3>{paragraphs(REPORT[20:30])}</div></div>"
    )
    text = extract_html(page(body)).text
    blocks = text.split("\n\n")
    assert blocks.index("What the board found") == blocks.index(REPORT[10]) - 1
    assert blocks.index("Who pays for the clean-up") == blocks.index(REPORT[20]) - 1
    assert blocks.count("What the board found") == 1


def test_headings_outside_the_article_are_not_brought_in():
    # A heading among the paragraphs' siblings after the article's last paragraph, or in
    # another container, divides nothing the output holds.
    body = (
        f"<div><div>{paragraphs(REPORT[:24])}<h2>Read next</h2></div>"
        f"<div><h2>Most popular</h2><p>{REPORT[30]}</p></div></div>"
    )
    text = extract_html(page(body)).text
    assert "Read next" not in text and "Most popular" not in text


def test_a_heading_that_opens_a_list_comes_before_the_list():
    wells = "".join(
        f"<li>Well {n} on the eastern ridge: {n + 11} milligrams per litre in October</li>"
        for n in range(1, 6)
    )
    body = (
        f"<div><div>{paragraphs(REPORT[:12])}<h3>Wells over the limit</h3><ul>{wells}</ul>"
        f"{paragraphs(REPORT[12:24])}</div></div>"
    )
    blocks = extract_html(page(body)).text.split("\n\n")
    heading = blocks.index("Wells over the limit")
    assert blocks[heading - 1] == REPORT[11]
    assert blocks[heading + 1].startswith("- Well 1 on the eastern ridge")


def test_text_around_scripts_styles_and_void_elements_inside_paragraphs_is_kept():
    # These elements are stripped before extraction; the text after each (its tail) must stay,
    # joined to the text before it as a browser shows it.
    inline = [
        '<script>var slot = "ad-7"; document.write(slot);</script>',
        "<style>.ad-7 { display: none }</style>",
        '<meta itemprop="position" content="3">',
        '<link rel="preload" href="/ad.css">',
    ]
    cut = 37
    body = "<article>" + paragraphs(
        [f"{text[:cut]}{inline[n % len(inline)]}{text[cut:]}" for n, text in enumerate(REPORT[:16])]
    )
    text = extract_html(page(body + "</article>")).text
    assert all(paragraph in text for paragraph in REPORT[:16])
    assert "slot" not in text and "display" not in text


def test_a_second_copy_of_the_article_on_the_page_is_dropped():
    # Some pages carry the article twice (a mobile or print copy beside the desktop one), and
    # trafilatura keeps both containers.
    body = (
        f'<article><div class="entry-content">{paragraphs(REPORT[:8])}</div>'
        f'<div class="entry-content mobile-copy">{paragraphs(REPORT[:8])}</div></article>'
    )
    text = extract_html(page(body)).text
    assert all(text.count(paragraph) == 1 for paragraph in REPORT[:8])


def test_a_short_line_or_a_table_row_said_twice_is_kept_twice():
    # Repeated labels ("What we like") and short repeated runs belong to the article.
    sections = "".join(
        f"<h2>Pump station {n}</h2><p>What we like</p><p>{REPORT[n]}</p>" for n in range(1, 6)
    )
    text = extract_html(page(f"<article>{sections}</article>")).text
    assert text.count("What we like") == 5
