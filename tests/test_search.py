"""Full-text search: the words and folding against FTS5 itself, typed queries, Store.search on
real SQLite files (and PostgreSQL), the index kept in step, the upgrade, and `factmark search`."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import store.bulk_import
import store.search
from bench.bench_search import run as run_bench
from store import Store, StoreError
from tests.conftest import run_factmark
from tests.postgres import fresh_postgres_database
from vocabulary.fulltext import QueryError, find_matches, fold, parse_query, snippet, words
from vocabulary.records import Article, ImportItem

GAZA = (
    "The Gaza Ministry of Health said 34,535 Palestinians have been killed.\n\n"
    "Lin Jian, the Foreign Ministry spokesman, said talks in Beijing were candid."
)
ECOLE = "ÉCOLE de Gazá: l’hôpital al-Shifa est plein, dit le MINISTÈRE. Café crème à 3.5 €."
OTHER = "Reconciliation talks between Fatah and Hamas ended in Beijing without a deal."


def _store(path: Path | str, *texts: str) -> Store:
    store = Store.open(path)
    store.import_items(
        [ImportItem(Article(text=text, title=f"T{i}")) for i, text in enumerate(texts)]
    )
    return store


def _found(store: Store, query: str) -> list[tuple[int, str]]:
    return [(hit.document_id, hit.text) for hit in store.search(query)]


# -- the pure part -----------------------------------------------------------------------------


def _fts5_words(texts: list[str]) -> list[list[str]]:
    """What SQLite's FTS5 (unicode61, remove_diacritics 2) makes of each text: its words."""
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE f USING fts5(t, tokenize='unicode61 remove_diacritics 2')"
    )
    connection.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance')")
    connection.executemany("INSERT INTO f (rowid, t) VALUES (?, ?)", enumerate(texts, 1))
    found: list[list[str]] = [[] for _ in texts]
    for doc, term in connection.execute("SELECT doc, term FROM v ORDER BY doc, offset"):
        found[doc - 1].append(term)
    connection.close()
    return found


# Blocks news text is written in. Left out: characters Unicode added after 6.1 (FTS5's tables
# are 6.1's), which the two disagree on: Ϳ, Ԩ-ԯ, ₺-₿, U+0605, U+061C, U+061D, and the bidi
# isolates U+2066-U+2069 (which canonical text never holds).
_NEWER_THAN_6_1 = {0x37F, 0x528, 0x529, 0x52A, 0x52B, 0x52C, 0x52D, 0x52E, 0x52F, 0x605}
_NEWER_THAN_6_1 |= {0x61C, 0x61D, *range(0x20BA, 0x20C0), *range(0x2066, 0x206A)}
_BLOCKS = [(0x20, 0x250), (0x370, 0x530), (0x590, 0x700), (0x1E00, 0x1F00), (0x2000, 0x20C0)]


def test_words_and_folding_are_fts5s_over_the_blocks_news_is_written_in() -> None:
    characters = [
        chr(code)
        for start, end in _BLOCKS
        for code in range(start, end)
        if code not in _NEWER_THAN_6_1 and unicodedata.category(chr(code)) not in ("Cc", "Cn")
    ]
    texts = [f"x{char}x" for char in characters] + [GAZA, ECOLE]
    expected = _fts5_words(texts)
    ours = [[word for _, _, word in words(text)] for text in texts]
    wrong = [(text, e, o) for text, e, o in zip(texts, expected, ours, strict=True) if e != o]
    assert wrong == []


def test_a_word_folds_case_and_latin_accents_as_the_index_does() -> None:
    assert fold("ÉCOLE") == fold("école") == "ecole"
    assert fold("Gazá") == "gaza"
    assert fold("straße") == "straße"  # one character at a time: never "strasse"
    assert fold("Ελλάδα") == "ελλάδα"  # FTS5 keeps Greek accents; so do we


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_no_typed_query_is_a_syntax_error(typed: str) -> None:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE f USING fts5(t, tokenize='unicode61 remove_diacritics 2')"
    )
    connection.execute("INSERT INTO f VALUES (?)", (GAZA,))
    try:
        query = parse_query(typed)
    except QueryError:
        assert not words(typed)  # refused only when it holds no word
        return
    connection.execute("SELECT rowid FROM f WHERE f MATCH ?", (query.fts5(),)).fetchall()


def test_punctuation_quotes_and_operators_are_read_as_words() -> None:
    assert parse_query("34,535").terms[0].words == ("34", "535")  # a figure: a phrase
    assert [t.words for t in parse_query('"Foreign Ministry" Lin').terms] == [
        ("Foreign", "Ministry"),
        ("Lin",),
    ]
    assert parse_query("minis*").terms[0].prefix
    assert [t.words for t in parse_query("NOT (AND) -OR NEAR").terms] == [
        ("NOT",),
        ("AND",),
        ("OR",),
        ("NEAR",),
    ]
    assert parse_query("l’hôpital").terms[0].words == ("l", "hôpital")
    assert parse_query('"unclosed phrase').terms[0].words == ("unclosed", "phrase")
    with pytest.raises(QueryError, match="nothing to search for"):
        parse_query(' -- ( ) "" * ')


def test_matches_are_the_shortest_stretches_holding_every_term() -> None:
    query = parse_query("ministry beijing")
    [(start, end)] = find_matches(GAZA, query)
    assert GAZA[start:end] == "Ministry spokesman, said talks in Beijing"
    every = find_matches(GAZA, query, every=True)
    assert [GAZA[s:e] for s, e in every] == [GAZA[start:end]]
    assert [GAZA[s:e] for s, e in find_matches(GAZA, parse_query("said"), every=True)] == [
        "said",
        "said",
    ]
    assert find_matches(GAZA, parse_query("ministry hamas")) == []


def test_a_snippet_is_one_line_with_the_match_where_it_says() -> None:
    start = GAZA.index("Lin Jian")
    line = snippet(GAZA, start, start + len("Lin Jian"))
    assert "\n" not in line.text
    assert line.text[line.start : line.end] == "Lin Jian"
    assert line.text.startswith("…")


# -- the store ---------------------------------------------------------------------------------


def test_search_finds_across_documents_folding_case_accents_and_punctuation(
    tmp_path: Path,
) -> None:
    with _store(tmp_path / "s.db", GAZA, ECOLE, OTHER) as store:
        assert sorted(_found(store, "beijing")) == [(1, "Beijing"), (3, "Beijing")]
        assert _found(store, "ecole gaza") == [(2, "ÉCOLE de Gazá")]
        assert _found(store, "HOPITAL") == [(2, "hôpital")]
        assert _found(store, "ministere") == [(2, "MINISTÈRE")]
        assert _found(store, "34,535") == [(1, "34,535")]
        assert _found(store, "Al-Shifa") == [(2, "al-Shifa")]
        assert _found(store, '"foreign ministry"') == [(1, "Foreign Ministry")]
        assert _found(store, '"ministry foreign"') == []
        assert sorted(_found(store, "minist*")) == [(1, "Ministry"), (2, "MINISTÈRE")]
        assert _found(store, "l'hôpital") == [(2, "l’hôpital")]
        assert _found(store, "(talks) AND -beijing: NOT*") == []  # no operator, no error
        with pytest.raises(ValueError, match="nothing to search for"):
            store.search("“ ” - : *")


def test_offsets_and_snippets_point_at_the_match_in_the_stored_text(tmp_path: Path) -> None:
    with _store(tmp_path / "s.db", GAZA, ECOLE) as store:
        for query in ("gaza", "said", "café", "34,535", '"Foreign Ministry"'):
            for hit in store.search(query, every=True):
                text = store.document(hit.document_id).text
                assert text[hit.start : hit.end] == hit.text
                assert hit.snippet[hit.snippet_start : hit.snippet_end] == hit.text
                assert "\n" not in hit.snippet
        said = store.search("said", every=True)
        assert [(h.document_id, h.start) for h in said] == [
            (1, GAZA.index("said")),
            (1, GAZA.rindex("said")),
        ]


def test_results_are_ranked_best_first_and_limited(tmp_path: Path) -> None:
    once = "Talks ended. " + OTHER
    often = "Talks, talks and more talks: the talks went on. " + OTHER.replace("Beijing", "Doha")
    with _store(tmp_path / "s.db", once, often, GAZA) as store:
        hits = store.search("talks")
        assert [hit.document_id for hit in hits] == [2, 1, 3]  # bm25: the most about it first
        assert [hit.rank for hit in hits] == [1, 2, 3]
        assert [hit.document_id for hit in store.search("talks", limit=1)] == [2]
        assert hits[0].title == "T1" and hits[0].ext_id.startswith("d-")


def _fts_rows(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')")
        (count,) = connection.execute("SELECT count(*) FROM documents_fts_docsize").fetchone()
    connection.close()
    return int(count)


def test_a_failed_import_leaves_no_index_rows(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "s.db"
    _store(path, GAZA).close()
    real_insert = store.bulk_import.insert_rows

    def fail_on_events(session, model, rows):  # after the documents (and their index rows)
        if model.__name__ == "Event":
            raise RuntimeError("disk full")
        real_insert(session, model, rows)

    monkeypatch.setattr(store.bulk_import, "insert_rows", fail_on_events)
    with Store.open(path) as opened, pytest.raises(RuntimeError, match="disk full"):
        opened.import_items([ImportItem(Article(text=OTHER))])
    monkeypatch.undo()
    assert _fts_rows(path) == 1  # GAZA's only, and the index agrees with the documents
    with Store.open(path) as opened:
        assert opened.search("fatah") == []
        assert opened.document_count() == 1


def test_the_index_follows_documents_written_or_deleted_outside_the_store(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    _store(path, GAZA, OTHER).close()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("DELETE FROM documents WHERE id = 2")
    connection.close()
    assert _fts_rows(path) == 1
    with Store.open(path) as opened:
        assert opened.search("fatah") == []
        assert _found(opened, "candid") == [(1, "candid")]


def _downgrade_to_version_3(path: Path) -> None:
    """A version-3 file: what version 4's search step adds, taken away again."""
    with sqlite3.connect(path) as connection:
        for trigger in ("insert", "delete", "update"):
            connection.execute(f"DROP TRIGGER documents_fts_{trigger}")
        connection.execute("DROP TABLE documents_fts")
        connection.execute("UPDATE factmark_meta SET value = '3' WHERE key = 'schema_version'")
    connection.close()


def test_upgrading_a_version_3_file_indexes_the_documents_it_has(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    _store(path, GAZA, ECOLE).close()
    _downgrade_to_version_3(path)
    with sqlite3.connect(path) as connection:
        assert not connection.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE 'documents_fts%'"
        ).fetchall()
    connection.close()
    with Store.open(path) as upgraded:
        assert _found(upgraded, "ecole") == [(2, "ÉCOLE")]
        assert _found(upgraded, "34,535") == [(1, "34,535")]
        upgraded.import_items([ImportItem(Article(text=OTHER))])
        assert _found(upgraded, "fatah") == [(3, "Fatah")]
    assert _fts_rows(path) == 3


def test_an_sqlite_without_fts5_is_refused_in_one_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store.search, "FTS5_MODULE", "fts5_not_built_in")
    path = tmp_path / "new.db"
    with pytest.raises(StoreError) as refused:
        Store.open(path)
    message = str(refused.value)
    assert "no FTS5 full-text search" in message and "\n" not in message
    assert not path.exists()  # a database this open created is removed


# -- PostgreSQL --------------------------------------------------------------------------------


def test_search_on_postgresql_finds_the_same_matches() -> None:
    with fresh_postgres_database("search") as url, _store(url, GAZA, ECOLE, OTHER) as pg:
        assert sorted(_found(pg, "beijing")) == [(1, "Beijing"), (3, "Beijing")]
        assert _found(pg, "ecole gaza") == [(2, "ÉCOLE de Gazá")]
        assert _found(pg, "ministere") == [(2, "MINISTÈRE")]
        assert _found(pg, "34,535") == [(1, "34,535")]
        assert _found(pg, "3.5") == [(2, "3.5")]
        assert _found(pg, '"foreign ministry"') == [(1, "Foreign Ministry")]
        assert _found(pg, '"ministry foreign"') == []
        assert sorted(_found(pg, "minist*")) == [(1, "Ministry"), (2, "MINISTÈRE")]
        assert _found(pg, "(talks) AND -beijing: NOT*") == []
        assert [hit.document_id for hit in pg.search("said", limit=1)] == [1]


# -- the command line --------------------------------------------------------------------------


def _search(path: Path, *args: str) -> tuple[int, str, str]:
    result = run_factmark("--db", str(path), "search", *args)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


def test_factmark_search_prints_matches_as_text_and_json(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    _store(path, GAZA, ECOLE, OTHER).close()
    code, out, err = _search(path, "beijing")
    assert code == 0, err
    assert "Beijing" in out and "T0" in out and "T2" in out
    code, out, err = _search(path, "said", "--json", "--all")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(line["document_id"], line["text"]) for line in lines] == [(1, "said"), (1, "said")]
    first = lines[0]
    assert GAZA[first["start"] : first["end"]] == "said"
    assert first["snippet"][first["snippet_start"] : first["snippet_end"]] == "said"
    assert {"title", "outlet", "published", "ext_id"} <= set(first)
    code, out, err = _search(path, "beijing", "--json", "--limit", "1")
    assert len(out.splitlines()) == 1


def test_factmark_search_bad_input_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    _store(path, GAZA).close()
    code, out, err = _search(path, "--", "-- ()")
    assert code == 2
    assert err.splitlines() == ["factmark: search: nothing to search for in '-- ()': type a word"]
    code, out, err = _search(path, "zebra")
    assert (code, out) == (0, "")
    assert "no document matches" in err
    code, out, err = _search(path, "x", "--limit", "0")
    assert code == 2 and len(err.splitlines()) == 1


# -- the bench, small ------------------------------------------------------------------------


def test_the_search_bench_runs_on_a_small_corpus() -> None:
    figures = run_bench(300, seed=3, repeats=2)
    by_kind = {result["kind"]: result for result in figures["queries"]}
    assert by_kind["common word"]["hits"] == 50
    assert by_kind["figure"]["first"] == "34,535"
    assert by_kind["two-word phrase"]["first"] == "Foreign Ministry"
    assert all(result["median_ms"] > 0 for result in figures["queries"])
