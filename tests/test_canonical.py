"""The canonical text: the string every offset indexes into, forever."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from importers.offsets import remap_offsets
from vocabulary.text import canonical_text, paragraphs_to_text, strip_controls


def test_line_separators_become_newlines_and_controls_go():
    raw = "One\r\ntwo\u2028three\u2029four\u0085five\x07six\x1b[2J\x9bseven\x7f"
    assert canonical_text(raw) == "One\ntwo\nthree\nfour\nfivesix[2Jseven"


def test_bidi_overrides_and_isolates_are_removed_but_rtl_text_stays():
    raw = "\u202eevil\u202c \u2066iso\u2069 مرحبا"
    assert canonical_text(raw) == "evil iso مرحبا"


def test_nfc_and_paragraph_spacing():
    raw = "Cafe\u0301  \n\n\n\nNext\t\n"
    assert canonical_text(raw) == "Café\n\nNext"
    assert paragraphs_to_text(["  a ", "", "b"]) == "a\n\nb"


@given(st.text())
def test_canonical_text_is_idempotent_and_clean(raw):
    once = canonical_text(raw)
    assert canonical_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert strip_controls(once) == once
    assert "\r" not in once and "\u2028" not in once


def test_offsets_follow_canonicalisation():
    raw = "Cafe\u0301 in\r\nCairo \x07said 34,535"
    words = ["Café", "Cairo", "said 34,535"]
    spans = [(0, 5), (10, 15), (17, 28)]
    mapping = remap_offsets(raw, [o for span in spans for o in span])
    canonical = canonical_text(raw)
    assert [canonical[mapping[s] : mapping[e]] for s, e in spans] == words


def test_an_offset_inside_a_line_ending_is_refused():
    raw = "one\r\ntwo"
    assert remap_offsets(raw, [4]) is None
