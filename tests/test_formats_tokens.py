"""The shared tokenizer and overlap rule, as properties over any text and spans."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from exporters.tokens import TokenPositions, longest_first, tokenize

PIECES = [*"ab1 ,.\n\t’", "👨‍👩‍👧", "🇵🇸", "👍🏽", "ُ", "م", "é", "e\u0301", "\u200d"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@given(TEXTS, st.lists(st.integers(0, 80), max_size=6))
def test_tokens_cover_every_visible_character_once_and_honour_cuts(text, cuts):
    tokens = tokenize(text, cuts)
    covered = [i for t in tokens for i in range(t.start, t.end)]
    assert covered == [i for i, char in enumerate(text) if not char.isspace()]
    assert all(t.text == text[t.start : t.end] and t.start < t.end for t in tokens)
    for cut in cuts:
        assert not any(t.start < cut < t.end for t in tokens)


def test_tokens_keep_graphemes_and_words_whole():
    text = "مَرْحَبًا 👨‍👩‍👧 🇵🇸🇵🇸 x👍🏽y 4.2%"
    assert [t.text for t in tokenize(text)] == [
        "مَرْحَبًا",
        "👨‍👩‍👧",
        "🇵🇸",
        "🇵🇸",
        "x",
        "👍🏽",
        "y",
        "4",
        ".",
        "2",
        "%",
    ]


@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(1, 12), st.sampled_from("ab")), max_size=10)
)
def test_longest_first_keeps_a_maximal_non_overlapping_set(raw):
    spans = sorted({(start, start + length, label) for start, length, label in raw})
    kept, dropped = longest_first(spans)
    assert sorted(kept + dropped) == list(range(len(spans)))
    chosen = [spans[i] for i in kept]
    assert all(a[1] <= b[0] for a, b in zip(chosen, chosen[1:], strict=False))
    for i in dropped:  # dropped only for a kept span at least as long
        start, end, _ = spans[i]
        assert any(s < end and start < e and e - s >= end - start for s, e, _ in chosen)


def test_token_positions_name_the_tokens_inside_a_range():
    text = "Hamas  and Fatah"
    positions = TokenPositions(tokenize(text))
    assert positions.inside(0, 5) == (0, 0)
    assert positions.inside(5, 11) == (1, 1)  # leading whitespace: the token inside it
    assert positions.inside(0, len(text)) == (0, 2)
    assert positions.inside(5, 7) is None  # whitespace only
