"""The hand-annotated suggestion fixture: its gold is the imported text, and the rules keep the
quality the bench reports (bench/bench_suggest.py) on the development articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.suggest_quality import FIXTURE, HELD_OUT, Counts, load_fixture, parse_gold, score
from suggest import suggest


def test_gold_markup_strips_to_the_text_factmark_imports():
    articles = load_fixture()
    assert len(articles) >= 7 and set(HELD_OUT) <= {a.name for a in articles}
    for article in articles:
        assert article.text == (FIXTURE / f"{article.name}.txt").read_text(encoding="utf-8")
        for start, end, label in article.spans:
            assert label in ("actor", "figure") and article.text[start:end].strip()


def test_parse_gold_nests_and_refuses_unclosed_markup():
    text, spans = parse_gold("the ⟦figure|14 ⟦actor|Palestinian factions⟧⟧ signed")
    assert text == "the 14 Palestinian factions signed"
    assert spans == ((4, 27, "figure"), (7, 27, "actor"))
    with pytest.raises(ValueError):
        parse_gold("⟦actor|Hamas")


def test_scores_count_overlap_and_exact_boundaries():
    gold = ((0, 10, "figure"), (20, 30, "figure"))
    counts = score(gold, [(0, 10, "figure"), (22, 25, "figure"), (40, 45, "figure")], "figure")
    assert (counts.suggested_overlapping, counts.gold_found, counts.exact) == (2, 2, 1)
    assert counts.precision == pytest.approx(2 / 3) and counts.recall == 1.0
    assert counts.exact_f1 == pytest.approx(2 * 1 / 5)


def test_development_articles_meet_the_targets():
    totals = {"figure": Counts(), "actor": Counts()}
    for article in load_fixture():
        if article.name in HELD_OUT:
            continue
        found = [(s.start, s.end, s.label) for s in suggest(article.text).spans]
        for label, counts in totals.items():
            counts.add(score(article.spans, found, label))
    figures, actors = totals["figure"], totals["actor"]
    assert figures.precision >= 0.90 and figures.recall >= 0.90 and figures.exact_f1 >= 0.80
    assert actors.precision >= 0.80 and actors.recall >= 0.70


def test_fixture_files_are_in_the_repository():
    assert Path(FIXTURE, "seed-002.gold").is_file()
