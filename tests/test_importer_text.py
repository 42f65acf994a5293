"""The plain-text scrape cleaner: seed scrapes, text-browser dumps, re-wrapping, canonical text."""

from __future__ import annotations

import json
import textwrap
import unicodedata
from pathlib import Path

import pytest

from bench.score import body_line_kept, drop_line_present, score_corpus, score_page
from importers.formats import ImportFailure
from importers.text import TEXT_EXTRACTOR_VERSION, _all_printable, extract_text
from importers.text_lines import logical_lines
from importers.text_meta import parse_date
from vocabulary.text import is_canonical, strip_controls

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds"
DEV = DATA / "dev"
SEED_GOLD: dict[str, dict] = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))

# Measured on the 8 dumps in tests/data/dev/text: F1 0.967 (P 0.947, R 0.988; lowest page P 0.855,
# R 0.952); all text scores 0.821 on the same pages. 0.93 leaves room for rule changes that do no
# harm and fails well before the cleaner sinks towards keeping everything; every page must also
# stay at or above 0.8 P and R, so no single page may lose its article.
DEV_MIN_F1 = 0.93
DEV_MIN_PAGE = 0.8


def seed_output(name: str) -> str:
    return extract_text((SEEDS / name).read_text(encoding="utf-8")).text


@pytest.mark.parametrize("name", sorted(SEED_GOLD))
def test_every_seed_body_line_is_kept(name):
    output = seed_output(name)
    missing = [line for line in SEED_GOLD[name]["body"] if not body_line_kept(line, output)]
    assert missing == []


def test_seed_boilerplate_is_removed():
    present = total = 0
    for name, gold in SEED_GOLD.items():
        output = seed_output(name)
        present += sum(drop_line_present(line, output) for line in gold["drop"])
        total += len(gold["drop"])
    assert total > 0
    assert present <= 0.05 * total


@pytest.mark.parametrize("name", sorted(n for n, g in SEED_GOLD.items() if g["title"]))
def test_seed_title_is_found_and_left_out_of_the_body(name):
    article = extract_text((SEEDS / name).read_text(encoding="utf-8"))
    title = SEED_GOLD[name]["title"]
    assert article.title == title
    assert title not in article.text.split("\n")


def test_seed_metadata_from_the_byline_block():
    article = extract_text((SEEDS / "000_9ed6c2d750915a75.txt").read_text(encoding="utf-8"))
    assert article.byline == "Al Mayadeen English"
    assert article.published == "2024-10-09T22:40:00"
    assert article.outlet == "Al Mayadeen"
    assert article.extractor == "text"
    assert article.extractor_version == TEXT_EXTRACTOR_VERSION


def test_a_clean_scrape_comes_out_unchanged():
    """A scrape that is already clean (one paragraph per line, no blank lines) is not damaged."""
    raw = (SEEDS / "003_99b004e223a3df40.txt").read_text(encoding="utf-8")
    rows = [row.strip() for row in raw.splitlines() if row.strip()]
    assert extract_text(raw).text == "\n\n".join(rows)


def test_text_dumps_score_above_threshold():
    gold = json.loads((DEV / "ground-truth.json").read_text(encoding="utf-8"))
    scores = {
        path.stem: score_page(
            extract_text(path.read_text(encoding="utf-8")).text, gold[path.stem]["articleBody"]
        )
        for path in sorted((DEV / "text").glob("*.txt"))
    }
    assert len(scores) == 8
    corpus = score_corpus(scores.values())
    assert corpus.empty == 0
    assert corpus.f1 >= DEV_MIN_F1
    weak = {
        pid: s for pid, s in scores.items() if s.recall < DEV_MIN_PAGE or s.precision < DEV_MIN_PAGE
    }
    assert weak == {}


def test_a_clean_article_keeps_its_headings_and_short_list_items():
    """Without any boilerplate on the page, title-cased headings and one-word items are article."""
    raw = (
        "Packing List for a Three-Day Hike\n\n"
        "We packed light for the three-day hike through the valley, and here is what we took.\n\n"
        "Shelter\n  • Tent\n  • Rainfly\n  • Stakes\n\nFood\n\n"
        "We carried dried meals for three days and enough water for the first day of walking.\n"
    )
    article = extract_text(raw)
    assert article.title == "Packing List for a Three-Day Hike"
    assert article.text.split("\n\n") == [
        "We packed light for the three-day hike through the valley, and here is what we took.",
        "Shelter",
        "• Tent\n• Rainfly\n• Stakes",
        "Food",
        "We carried dried meals for three days and enough water for the first day of walking.",
    ]


PARAGRAPHS = [
    "Officials from both movements met in Cairo on Tuesday to discuss the reconstruction of the "
    "territory, the exchange of prisoners and the future of the ceasefire that ended the fighting.",
    "Egyptian mediators said the talks would continue next week, and that a joint statement could "
    "follow once the delegations had consulted their leaderships at home.",
]


def w3m_dump(paragraphs: list[str], width: int) -> str:
    """Paragraphs hard-wrapped as a text browser prints them, with menu and footer around."""
    wrapped = "\n\n".join(textwrap.fill(p, width) for p in paragraphs)
    menu = "  • Home\n  • World\n  • Politics\n  • Sports\n  • Subscribe"
    footer = "© 2025 Example News. All rights reserved.\nPrivacy Policy\nTerms of Use"
    return f"{menu}\n\nTalks in Cairo\n\n{wrapped}\n\n{footer}\n"


@pytest.mark.parametrize("width", [60, 72, 99])
def test_hard_wrapped_paragraphs_are_rejoined(width):
    article = extract_text(w3m_dump(PARAGRAPHS * 2, width))
    assert article.text == "\n\n".join(PARAGRAPHS * 2)
    assert article.title == "Talks in Cairo"


def test_short_lines_of_a_wrapped_dump_stay_apart():
    """Only rows broken at the edge are joined: a heading or list item above a paragraph is not."""
    dump = w3m_dump(PARAGRAPHS, 72).replace(
        "Talks in Cairo",
        "Talks in Cairo\nWhat was agreed\n  • a ceasefire\n  • a prisoner exchange",
    )
    texts = [line.text for line in logical_lines(dump)]
    assert "What was agreed" in texts
    assert "a prisoner exchange" in texts
    assert PARAGRAPHS[0] in texts


def test_list_items_are_kept_one_per_line():
    intro = (
        "The delegations agreed on three points after two days of talks in the Egyptian capital, "
        "according to a statement released by the mediators on Wednesday evening:"
    )
    items = [
        "a committee of independent figures will run daily affairs in the territory",
        "the crossings will reopen for aid convoys under international supervision",
        "elections will be held within a year of the agreement being signed",
    ]
    bullets = "\n".join(f"  • {item}" for item in items)
    raw = f"{intro}\n\n{bullets}\n\n{PARAGRAPHS[0]}\n\n{PARAGRAPHS[1]}\n"
    text = extract_text(raw).text
    assert "\n".join(f"• {item}" for item in items) in text
    assert text.startswith(intro)


def test_output_is_canonical_text():
    decomposed = (
        "Cafe\u0301 owners in the old city said the agreement changed nothing for them yet."
    )
    raw = (
        "Bidi\u202e trick and bell\x07 and escape\x1b[31m codes are dropped from this sentence.\r\n"
        "\r\n"
        f"{decomposed}\u2028"
        "A line separator starts a new line, as a newline would, in this short sentence here."
    )
    article = extract_text(raw)
    assert is_canonical(article.text)
    assert unicodedata.is_normalized("NFC", article.text)
    assert "Café owners" in article.text
    assert (
        "\u202e" not in article.text and "\x07" not in article.text and "\x1b" not in article.text
    )
    assert "\r" not in article.text and "\u2028" not in article.text
    assert article.text.split("\n\n") == [
        "Bidi trick and bell and escape[31m codes are dropped from this sentence.",
        "Café owners in the old city said the agreement changed nothing for them yet.",
        "A line separator starts a new line, as a newline would, in this short sentence here.",
    ]


def test_pages_spared_the_control_scan_hold_nothing_it_would_remove():
    # normalised_input skips strip_controls on a page _all_printable passes: right only while
    # strip_controls removes no character that _all_printable lets through.
    passed = "".join(c for c in map(chr, range(0x110000)) if _all_printable(c))
    assert "\n" in passed and "\xa0" in passed and "\u202e" not in passed
    assert strip_controls(passed) == passed


@pytest.mark.parametrize("name", sorted(SEED_GOLD))
def test_seed_outputs_are_canonical(name):
    assert is_canonical(seed_output(name))


def test_scripts_without_letter_case_are_read_as_prose():
    """Arabic has no capitals and Chinese no spaces: their paragraphs are still the article."""
    arabic = [
        "عقدت حركتا حماس وفتح اجتماعا في القاهرة يوم الأربعاء لبحث إدارة قطاع غزة بعد الحرب، "
        "وفق ما أفاد مصدر فلسطيني مطلع على المحادثات.",
        "وقال المصدر إن الطرفين لم يتوصلا بعد إلى اتفاق نهائي بشأن تشكيل لجنة إدارية مستقلة، "
        "وإن المشاورات ستستمر خلال الأيام المقبلة بمشاركة مصرية.",
    ]
    chinese = [
        "哈马斯和法塔赫周三在开罗举行会议，讨论战后加沙地带的管理问题，一名了解会谈情况的巴勒斯坦消息人士表示。",
        "该消息人士说，双方尚未就成立独立行政委员会达成最终协议，磋商将在埃及的参与下于未来几天继续进行。",
    ]
    for menu, paragraphs in (("الرئيسية\nأخبار\nسياسة", arabic), ("首页\n新闻\n体育", chinese)):
        raw = menu + "\n\n" + "\n\n".join(paragraphs) + "\n\n© 2024 Example. All rights reserved.\n"
        assert extract_text(raw).text == "\n\n".join(paragraphs)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   \n\t\n  \r\n",
        "Home\nNews\nSubscribe\nPrivacy Policy\n\n© 2025 Example News. All rights reserved.\n",
        "\x00\x07\u202e\n\n",
    ],
    ids=["empty", "whitespace", "boilerplate-only", "controls-only"],
)
def test_no_article_text_is_a_one_line_failure(raw):
    with pytest.raises(ImportFailure) as caught:
        extract_text(raw)
    message = str(caught.value)
    assert message and "\n" not in message


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("9 Oct 2024 22:40", "2024-10-09T22:40:00"),
        ("Published Jun 4, 2025", "2025-06-04"),
        ("December 18, 2025, 9:46 pm", "2025-12-18T21:46:00"),
        ("Updated 2024-03-01T08:15", "2024-03-01T08:15:00"),
        ("31 Feb 2024", None),
        ("no date here", None),
    ],
)
def test_dates_are_read_as_iso_8601(written, iso):
    assert parse_date(written) == iso
