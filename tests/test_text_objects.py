"""Text objects, snapping, folded find and the status line's selection text: pure functions."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings.config import ConfigError, load_config
from tui.find_text import find_all, find_next
from tui.selection_text import shown_selection
from tui.text_objects import quotation_pairs, select_object, sentences_of_line
from tui.text_units import snap_selection


def _object(text: str, kind: str, at: str, selection: tuple[int, int] | None = None) -> str:
    found = select_object(text, kind, text.index(at), selection)
    assert found is not None
    return text[slice(*found)]


def _snapped(text: str, start: int, end: int) -> str:
    return text[slice(*snap_selection(text, start, end))]


# -- sentences ------------------------------------------------------------------------------------


def test_a_sentence_ends_at_its_terminator_not_at_an_abbreviation() -> None:
    text = (
        "Talks began. The U.S. envoy Dr. Smith met Mr. Lin at 5 p.m. on Monday. Nothing followed."
    )
    assert _object(text, "sentence", "envoy") == (
        "The U.S. envoy Dr. Smith met Mr. Lin at 5 p.m. on Monday."
    )
    assert _object(text, "sentence", "Talks") == "Talks began."
    assert _object(text, "sentence", "followed") == "Nothing followed."


def test_a_sentence_keeps_its_closing_quote_and_a_line_ends_it() -> None:
    text = "He said “we will talk.” Then he left\nA heading without a stop\nLast line."
    assert _object(text, "sentence", "will") == "He said “we will talk.”"
    assert _object(text, "sentence", "heading") == "A heading without a stop"


def test_sentences_at_the_start_and_end_of_the_document() -> None:
    text = "First. Last"
    assert select_object(text, "sentence", 0, None) == (0, 6)
    assert select_object(text, "sentence", len(text), None) == (7, 11)
    assert select_object("", "sentence", 0, None) is None


def test_pressing_sentence_again_takes_the_next_one_and_a_count_takes_several() -> None:
    text = "One here. Two there. Three everywhere."
    first = select_object(text, "sentence", 0, None)
    assert first == (0, 9)
    assert text[slice(*select_object(text, "sentence", 0, first))] == "One here. Two there."
    assert select_object(text, "sentence", 0, None, count=3) == (0, len(text))
    assert sentences_of_line(text, 0) == [(0, 9), (10, 20), (21, len(text))]


# -- clauses --------------------------------------------------------------------------------------


def test_clauses_split_at_commas_semicolons_and_dashes_but_not_inside_numbers() -> None:
    text = "According to Reuters news agency, 34,535 were killed; the envoy – Wang – left."
    assert _object(text, "clause", "Reuters") == "According to Reuters news agency"
    assert _object(text, "clause", "killed") == "34,535 were killed"
    assert _object(text, "clause", "Wang") == "Wang"
    assert _object(text, "clause", "left") == "left."


def test_a_clause_pressed_again_adds_the_next_clause() -> None:
    text = "First part, second part, third part."
    first = select_object(text, "clause", 0, None)
    assert text[slice(*first)] == "First part"
    assert text[slice(*select_object(text, "clause", 0, first))] == "First part, second part"


# -- quotations and brackets ----------------------------------------------------------------------


def test_quotation_selects_inside_then_with_quotes_then_the_enclosing_one() -> None:
    text = "He said “they called it ‘a deal’ at once” and left."
    inner = select_object(text, "quotation", text.index("deal"), None)
    assert text[slice(*inner)] == "a deal"
    around = select_object(text, "quotation", 0, inner)
    assert text[slice(*around)] == "‘a deal’"
    outer = select_object(text, "quotation", 0, around)
    assert text[slice(*outer)] == "they called it ‘a deal’ at once"
    assert text[slice(*select_object(text, "quotation", 0, outer))] == (
        "“they called it ‘a deal’ at once”"
    )


def test_apostrophes_inside_and_after_words_are_not_quotes() -> None:
    text = "Hamas’ men said ‘we don’t and won’t’ today."
    assert _object(text, "quotation", "don") == "we don’t and won’t"
    assert _object(text, "quotation", "men") == "we don’t and won’t"  # the next one
    assert quotation_pairs("don’t, Gaza’s, Hamas’ bureau") == []
    straight = "It's \"the talks' end\" now"
    assert _object(straight, "quotation", "talks") == "the talks' end"


def test_a_quotation_may_span_lines_and_outside_any_it_takes_the_next() -> None:
    text = "Intro line.\n“First half\nsecond half.” Then more."
    assert _object(text, "quotation", "second") == "First half\nsecond half."
    assert _object(text, "quotation", "Intro") == "First half\nsecond half."
    assert select_object(text, "quotation", text.index("more"), None) is None


def test_straight_quotes_do_not_pair_across_paragraphs() -> None:
    text = 'An "open quote\n\nA new "closed one" here.'
    assert _object(text, "quotation", "closed") == "closed one"


def test_parenthesis_inside_then_with_the_brackets() -> None:
    text = "The bureau (PC, Anadolu [AJA]) said."
    inner = select_object(text, "parenthesis", text.index("Anadolu"), None)
    assert text[slice(*inner)] == "PC, Anadolu [AJA]"
    assert text[slice(*select_object(text, "parenthesis", 0, inner))] == "(PC, Anadolu [AJA])"
    assert _object(text, "parenthesis", "AJA") == "AJA"


# -- snapping -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("selected", "label_covers"),
    [
        ("Reuters news agency,", "Reuters news agency"),
        (" “Reuters news agency,” ", "“Reuters news agency,”"),
        ("“Reuters news", "Reuters news"),
        ("(PC, Anadolu, AJA).", "(PC, Anadolu, AJA)"),
        ("talks in the U.S.", "talks in the U.S."),
        ("said Lin.", "said Lin"),
        ("Hamas’", "Hamas"),
        ("Gaza’s Ministry", "Gaza’s Ministry"),
        ("rose 50%.", "rose 50%"),
        ("#Fatah,", "#Fatah"),
        (", ;", ""),
    ],
)
def test_snapping_drops_punctuation_at_the_ends(selected: str, label_covers: str) -> None:
    assert _snapped(selected, 0, len(selected)) == label_covers


def test_snapping_widens_to_words_before_trimming() -> None:
    text = "the Anadolu news agency, reported"
    assert _snapped(text, text.index("nadolu"), text.index("gency") + 3) == "Anadolu news agency"


# -- find -----------------------------------------------------------------------------------------


def test_typed_quotes_and_dashes_find_typographic_ones() -> None:
    text = "Hamas’ bureau said “yes” – then ‘no’ — done"
    assert [text[slice(*m)] for m in find_all(text, "'")] == ["’", "‘", "’"]
    assert [text[slice(*m)] for m in find_all(text, '"yes"')] == ["“yes”"]
    assert [text[slice(*m)] for m in find_all(text, "-")] == ["–", "—"]
    assert [text[slice(*m)] for m in find_all(text, "hamas' b")] == ["Hamas’ b"]


def test_find_folds_case_and_accents_unless_exact() -> None:
    text = "Réunion in RÉUNION and reunion"
    assert len(find_all(text, "reunion")) == 3
    assert find_all(text, "reunion", exact=True) == ((23, 30),)
    assert find_all(text, "Réunion", exact=True) == ((0, 7),)


def test_folded_offsets_stay_right_with_combining_marks_and_non_bmp_text() -> None:
    text = "🇵🇸 Zoe\u0301 met 𝔊aza and Zoé, then STRASSE and Straße."
    decomposed = text.index("Zoe\u0301")
    assert find_all(text, "zoe") == (
        (decomposed, decomposed + 4),  # the combining accent belongs to the match
        (text.index("Zoé"), text.index("Zoé") + 3),
    )
    assert text[slice(*find_all(text, "met")[0])] == "met"
    assert text[slice(*find_all(text, "aza")[0])] == "aza"
    assert [text[slice(*m)] for m in find_all(text, "strasse")] == ["STRASSE", "Straße"]


def test_find_next_counts_matches_and_says_when_it_wrapped() -> None:
    text = "talks, talks, talks"
    found = find_next(text, "talks", 1)
    assert found is not None
    assert (found.start, found.number, found.total, found.wrapped) == (7, 2, 3, False)
    assert found.describe() == "match 2 of 3"
    again = find_next(text, "talks", 15)
    assert again is not None and again.wrapped and again.number == 1
    assert again.describe() == "match 1 of 3 (wrapped around to the top)"
    assert find_next(text, "deal", 0) is None


# -- the status line's view of a selection --------------------------------------------------------


def test_a_selection_shows_its_line_breaks_and_escapes_control_characters() -> None:
    assert shown_selection("end of one\nstart of two") == "end of one⏎start of two"
    assert shown_selection("a\x1b[31mb\u202ec\u200dd") == "a\\x1b[31mb\\u202ec\u200dd"
    assert len(shown_selection("word " * 40, cells=20)) <= 20


def test_a_label_key_that_a_text_object_uses_is_refused_until_the_object_moves(
    tmp_path: Path,
) -> None:
    labels = '[[labels]]\nname = "source"\nkey = "s"\ncolor = "red"\n'
    refused = tmp_path / "refused.toml"
    refused.write_text(labels, encoding="utf-8")
    with pytest.raises(ConfigError, match="object-sentence"):
        load_config(refused)
    moved = tmp_path / "moved.toml"
    moved.write_text(labels + '\n[keymap]\nobject-sentence = "o"\n', encoding="utf-8")
    assert load_config(moved).labels[0].key == "s"


def test_snapping_keeps_the_last_dot_of_a_dotted_abbreviation_selected_alone() -> None:
    text = "Talks in the U.S. ended. Then Lin."
    start = text.index("U.S.")
    assert _snapped(text, start, start + 4) == "U.S."
    assert _snapped(text, text.index("Lin"), len(text)) == "Lin"
