"""Offsets: the stored span is exactly the selected text (snapped to words, never splitting a
grapheme) in CJK, emoji ZWJ sequences, combining marks and Arabic; wrapping never splits either."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import regex
from rich.cells import cell_len

from tests.test_tui_support import annotate_app, annotate_screen, make_store, settle, stored_spans
from tui.display_lines import display_text, offset_at_column, wrap_text
from tui.text_units import (
    grapheme_end,
    grapheme_start,
    next_grapheme,
    next_word_start,
    previous_grapheme,
    previous_word_start,
    snap_selection,
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 👨‍👩‍👧‍👦, 7 code points
FLAG = "\U0001f1f5\U0001f1f8"  # 🇵🇸 regional indicator pair
DECOMPOSED = "Ngu\u031b\u0300o\u031bi"  # Vietnamese "Người" with combining horn and grave
ARABIC = "قالت وزارة الصحة إن ٣٤٥٣٥ فلسطينيًا قُتلوا"
CJK = "加沙卫生部说，已有三万四千人遇难。"

MIXED = f"Family {FAMILY} waved a flag {FLAG} today.\n\n{DECOMPOSED} viết tin.\n\n{ARABIC}\n\n{CJK}"


def graphemes(text: str) -> list[str]:
    return regex.findall(r"\X", text)


def boundaries(text: str) -> set[int]:
    found, offset = {0}, 0
    for cluster in graphemes(text):
        offset += len(cluster)
        found.add(offset)
    return found


# -- the pure routines ---------------------------------------------------------------------------


def test_cursor_steps_over_whole_clusters() -> None:
    start = MIXED.index(FAMILY)
    assert next_grapheme(MIXED, start) == start + len(FAMILY)
    assert previous_grapheme(MIXED, start + len(FAMILY)) == start
    flag = MIXED.index(FLAG)
    assert next_grapheme(MIXED, flag) == flag + 2


def test_every_cursor_stop_is_a_grapheme_boundary() -> None:
    stops, offset = [], 0
    while offset < len(MIXED):
        offset = next_grapheme(MIXED, offset)
        stops.append(offset)
    assert set(stops) | {0} == boundaries(MIXED)
    back, offset = [], len(MIXED)
    while offset > 0:
        offset = previous_grapheme(MIXED, offset)
        back.append(offset)
    assert set(back) | {len(MIXED)} == boundaries(MIXED)


def test_word_motions_stop_only_on_boundaries() -> None:
    legal = boundaries(MIXED)
    offset = 0
    while offset < len(MIXED):
        offset = next_word_start(MIXED, offset)
        assert offset in legal
    while offset > 0:
        offset = previous_word_start(MIXED, offset)
        assert offset in legal


@pytest.mark.parametrize("inside", range(1, 7))
def test_a_selection_inside_a_zwj_sequence_takes_the_whole_sequence(inside: int) -> None:
    start = MIXED.index(FAMILY)
    assert grapheme_start(MIXED, start + inside) == start
    assert grapheme_end(MIXED, start + inside) == start + len(FAMILY)
    assert snap_selection(MIXED, start + inside, start + inside + 1) == (start, start + 7)


def test_snapping_never_cuts_a_combining_mark_off_its_letter() -> None:
    start = MIXED.index(DECOMPOSED)
    # select "Ngu" only: the horn and grave on the u belong to it, and the word goes on to "i"
    snapped = snap_selection(MIXED, start, start + 3)
    assert MIXED[slice(*snapped)] == DECOMPOSED


def test_arabic_selection_snaps_to_whole_words_with_their_diacritics() -> None:
    start = MIXED.index("فلسطينيًا")
    snapped = snap_selection(MIXED, start + 2, start + 4)
    assert MIXED[slice(*snapped)] == "فلسطينيًا"
    number = MIXED.index("٣٤٥٣٥")
    assert MIXED[slice(*snap_selection(MIXED, number + 1, number + 2))] == "٣٤٥٣٥"


def test_cjk_snaps_to_characters_not_to_the_whole_sentence() -> None:
    start = MIXED.index("卫生部")
    assert MIXED[slice(*snap_selection(MIXED, start, start + 3))] == "卫生部"


def test_wrapping_covers_the_text_and_never_splits_a_cluster() -> None:
    shown = display_text(MIXED)
    legal = boundaries(MIXED)
    for width in (5, 9, 14, 40):
        lines = wrap_text(shown, width)
        for start, end in zip(lines.starts, lines.ends, strict=True):
            assert start in legal and end in legal
            segment = shown[start:end]
            assert cell_len(segment) <= width or len(graphemes(segment)) == 1
        # every character is on exactly one line (newlines are the gaps)
        covered = sorted(
            i for s, e in zip(lines.starts, lines.ends, strict=True) for i in range(s, e)
        )
        assert covered == [i for i, char in enumerate(MIXED) if char != "\n"]


def test_wide_characters_map_columns_to_offsets() -> None:
    shown = display_text(CJK)
    assert offset_at_column(shown, 0, len(CJK), 0) == 0
    assert offset_at_column(shown, 0, len(CJK), 1) == 0  # the right half of the first character
    assert offset_at_column(shown, 0, len(CJK), 2) == 1


# -- through the app and the database ------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "select_from", "select_to"),
    [
        (FAMILY, 2, 3),  # inside the ZWJ sequence
        (FLAG, 1, 2),  # between the two regional indicators
        (DECOMPOSED, 1, 4),  # across base letters and combining marks
        ("فلسطينيًا", 3, 5),  # inside an Arabic word with a tanween
        ("卫生部", 0, 3),  # CJK characters
    ],
)
async def test_the_stored_span_is_the_snapped_selection(
    tmp_path: Path, target: str, select_from: int, select_to: int
) -> None:
    store, path = make_store(tmp_path, [("Mixed scripts", MIXED)])
    text = store.document(1).text
    assert text == unicodedata.normalize("NFC", MIXED)
    base = text.index(unicodedata.normalize("NFC", target))
    async with annotate_app(store).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        annotate_screen(pilot.app).article.select_range(base + select_from, base + select_to)
        await pilot.press("2")
        await settle(pilot)
    (span,) = stored_spans(path)
    expected = snap_selection(text, base + select_from, base + select_to)
    assert (span.start, span.end) == expected
    assert span.text == text[span.start : span.end]
    assert unicodedata.normalize("NFC", target) in span.text
    assert span.start in boundaries(text) and span.end in boundaries(text)
