"""The entity matcher (pure): folding, word starts, near misses, aliases, most-named first."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from vocabulary.entities import (
    check_entity_type,
    clean_external_id,
    clean_name,
    fold,
    parse_entity_ref,
    with_aliases,
)
from vocabulary.entity_match import EntityIndex, match_entities, near_distance


@dataclass(frozen=True)
class Named:
    name: str
    aliases: tuple[str, ...] = ()
    span_count: int = 0


HANIYEH = Named("Ismail Haniyeh", ("Haniyeh", "Hamas political bureau chief"), 3)
HAMAS = Named("Hamas", (), 10)
HANAN = Named("Hanan Ashrawi", (), 1)
LIN = Named("Lin Jian", ("Chinese foreign ministry spokesman",), 5)
ALL = [HAMAS, HANAN, LIN, HANIYEH]


@pytest.mark.parametrize("query", ["haniyeh", "Haniya", "Hamas chief", "HANIYEH", "ismaïl h"])
def test_the_issues_examples_find_haniyeh_first(query: str) -> None:
    assert match_entities(query, ALL)[0] is HANIYEH


def test_the_alias_that_matched_is_reported() -> None:
    [match] = EntityIndex(ALL).search("hamas chief")
    assert match.entity is HANIYEH and match.hit == "Hamas political bureau chief"
    [by_name] = EntityIndex(ALL).search("ismail")
    assert by_name.hit is None


def test_a_whole_match_beats_a_word_and_equal_matches_go_most_named_first() -> None:
    assert match_entities("hamas", ALL) == [HAMAS, HANIYEH]  # "Hamas" is all of its name
    # "han" starts a word of Haniyeh's alias and of Hanan's name alike: the more named first.
    assert match_entities("han", ALL) == [HANIYEH, HANAN]
    busy = Named("Hanan Other", (), 50)
    assert match_entities("han", [*ALL, busy])[0] is busy


def test_every_typed_word_must_match() -> None:
    assert match_entities("hamas spokesman", ALL) == []
    assert match_entities("chinese spokes", ALL) == [LIN]


def test_near_misses_only_for_words_long_enough() -> None:
    assert [near_distance(w) for w in ("al", "lin", "jian", "hanan", "haniya")] == [0, 0, 1, 1, 2]
    assert match_entities("lim", ALL) == []  # a 3-letter word must be exact or a start
    assert match_entities("jain", ALL) == [LIN]  # two letters swapped: one edit
    assert match_entities("jiam", ALL) == [LIN]
    assert match_entities("xyzzyq", ALL) == []


def test_nothing_typed_lists_every_entity_most_named_first_within_the_limit() -> None:
    assert match_entities("", ALL) == [HAMAS, LIN, HANIYEH, HANAN]
    assert match_entities("  ", ALL, limit=2) == [HAMAS, LIN]
    assert match_entities("h", ALL, limit=1) == [HAMAS]


def test_folding_and_names() -> None:
    assert fold("  Ismaïl  HANIYEH, (Hamas) ") == "ismail haniyeh hamas"
    assert fold("Łukasz Straße") == "łukasz strasse"
    assert fold("وزارة الصحة") == "وزارة الصحة"
    assert clean_name(" Lin\x07  Jian ") == "Lin Jian"
    with pytest.raises(ValueError, match="longer than 300"):
        clean_name("x" * 301)
    assert clean_external_id(" Q 42 ") == "Q42" and clean_external_id("  ") is None
    with pytest.raises(ValueError, match="not one of Person"):
        check_entity_type("person")


def test_aliases_keep_one_spelling_each_and_never_the_name() -> None:
    assert with_aliases("Ismail Haniyeh", ["Haniyeh"], ["haniyeh", "ISMAIL HANIYEH", "Haniya"]) == [
        "Haniyeh",
        "Haniya",
    ]


def test_attrs_entity_is_checked() -> None:
    assert parse_entity_ref({"id": " e-1 ", "name": " Hamas ", "type": "Organization"}) == {
        "id": "e-1",
        "name": "Hamas",
        "type": "Organization",
    }
    assert parse_entity_ref({"name": "Hamas", "type": "Other"})["id"] == ""
    for raw, message in (
        ("Hamas", "must be an object"),
        ({"type": "Person"}, "has no name"),
        ({"name": "X"}, "has no type"),
        ({"name": "X", "type": "Alien"}, "not one of"),
        ({"name": "X", "type": "Person", "id": 7}, "must be a string"),
    ):
        with pytest.raises(ValueError, match=message):
            parse_entity_ref(raw)
