"""Checked before? Other fact-checkers' ClaimReviews read from pages and files
(importers/claimreview_ld.py), imported with `factmark import` into a real SQLite file, kept once
(by URL and claim), matched to a claim (`Store.external_checks_like`) and said in one line."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import time
from pathlib import Path

import pytest

from importers.claimreview_ld import (
    claimreviews_in_html,
    claimreviews_in_json,
    holds_claimreviews,
)
from importers.dispatch import ImportOptions, parse_input
from importers.formats import ImportFailure
from store import SCHEMA_VERSION, Store, StoreError
from tests.conftest import DATA, run_factmark
from tests.postgres import fresh_postgres_database
from tests.test_checks_migration import _version_3_file
from vocabulary.external_checks import ExternalCheck, checked_before_line

PAGES = DATA / "claimreview"
ARTICLE = (
    "<p>The claim was made in a speech and repeated in several articles over the following "
    "days, which is why we looked at it.</p>"
)


def _page(*blocks: str) -> str:
    scripts = "".join(f'<script type="application/ld+json">{block}</script>' for block in blocks)
    return f"<html><head>{scripts}</head><body><article>{ARTICLE}</article></body></html>"


def _review(claim: str = "The sky is green", **extra: object) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim,
        "url": "https://checker.example/sky",
        "author": {"@type": "Organization", "name": "Checker"},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        **extra,
    }


def _lines(text: bytes) -> list[str]:
    return text.decode().strip().splitlines()


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as connection:
        count = connection.execute(f"select count(*) from {table}").fetchone()[0]
    connection.close()
    return count


# -- reading ClaimReviews -----------------------------------------------------------------------


def test_politifacts_2017_markup_names_the_site_when_the_author_has_no_name():
    [check] = claimreviews_in_html((PAGES / "politifact_2017.html").read_bytes())
    assert check.claim.startswith('More than 3,000 homicides were committed by "illegal aliens"')
    assert (check.rating, check.rating_value, check.best, check.worst) == ("True", 1, 6, None)
    assert check.publisher == "politifact.com"
    assert check.claimant == "Rick Perry"
    assert check.date == "2014-07-23"
    assert check.url is not None and check.url.startswith("http://www.politifact.com/texas/")
    assert check.raw["@type"] == "ClaimReview"


def test_googles_example_claim_with_appearances():
    [check] = claimreviews_in_html((PAGES / "google_example.html").read_bytes())
    assert check == ExternalCheck(
        claim="The world is flat",
        rating="False",
        rating_value=1.0,
        best=5.0,
        worst=1.0,
        publisher="Example.com science watch",
        url="https://example.com/news/science/worldisflat.html",
        date="2016-06-22",
        claimant="Square World Society",
        appearance_url="https://example.com/news/a122121",
        language="en",
    )


def test_a_graph_a_nested_review_a_broken_block_entities_and_controls():
    first, second = claimreviews_in_html((PAGES / "yoast_graph.html").read_bytes())
    # Nested under the Article's `review`, with schema:-prefixed names and a @value rating.
    assert first.claim == "Israel says 1,200 soldiers and civilians were killed on October 7"
    assert (first.rating, first.rating_value, first.date) == ("Mostly true", 4.0, "2024-05-02")
    assert first.claimant == "Israel"
    # In the @graph, @type as a list; entities decoded, a BEL and an RLO stripped.
    assert second.claim == (
        "Gaza’s Ministry of Health says 34,535 Palestinians have been killed and 77,704 "
        "wounded since October 7"
    )
    assert second.publisher == "Example Fact Desk"  # an author list
    assert second.claimant == "Gaza Ministry of Health"
    assert second.appearance_url == (
        "https://www.middleeastmonitor.com/20240430-hamas-and-fatah-hold-reconciliation-talks"
        "-in-china/"
    )
    assert second.language == "en-GB"


def test_capitalised_names_and_string_ratings():
    [check] = claimreviews_in_html((PAGES / "umbc_blog.html").read_bytes())
    assert check.publisher == "UMBC Ebiquity Research Group"  # written "Name"
    assert (check.rating_value, check.best, check.worst) == (5.0, 5.0, 1.0)
    assert check.claimant == "Google"


def test_types_and_contexts_as_the_wild_writes_them():
    variants = [
        _review(),
        {**_review(), "@type": ["ClaimReview", "Review"]},
        {**_review(), "@type": "http://schema.org/ClaimReview", "@context": "http://schema.org/"},
        {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, _review()]},
        [{"@type": "Organization", "name": "Checker"}, _review()],
        {"@type": "NewsArticle", "mainEntity": {"@type": "WebPage", "review": [_review()]}},
    ]
    for variant in variants:
        [check] = claimreviews_in_html(_page(json.dumps(variant)))
        assert (check.claim, check.rating, check.publisher) == (
            "The sky is green",
            "False",
            "Checker",
        )


def test_a_broken_block_spoils_no_other_and_a_review_without_a_claim_is_none():
    page = _page('{"@type": "ClaimReview", "claimReviewed": ', json.dumps(_review("Kept")))
    assert [c.claim for c in claimreviews_in_html(page)] == ["Kept"]
    nameless = {k: v for k, v in _review().items() if k != "claimReviewed"}
    assert claimreviews_in_html(_page(json.dumps(nameless))) == []
    commented = (
        '<!-- {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "C"} -->'
    )
    assert [c.claim for c in claimreviews_in_html(_page(commented))] == ["C"]
    assert claimreviews_in_html(_page(json.dumps(_review()), json.dumps(_review()))) == [
        claimreviews_in_html(_page(json.dumps(_review())))[0]
    ]  # the same review twice on a page is one


def test_a_page_of_unclosed_script_tags_is_read_in_one_pass():
    hostile = '<script type="application/ld+json">{"@type": "ClaimReview", ' * 100_000
    started = time.perf_counter()
    assert claimreviews_in_html(hostile) == []
    assert time.perf_counter() - started < 5  # quadratic, it would take hours


def test_a_page_url_stands_in_for_a_review_without_one():
    review = {k: v for k, v in _review().items() if k != "url"}
    [check] = claimreviews_in_html(_page(json.dumps(review)), "https://page.example/a")
    assert check.url == "https://page.example/a"


def test_json_array_object_and_lines():
    collection = claimreviews_in_json((PAGES / "desk_collection.json").read_text())
    assert [c.rating for c in collection.checks] == ["Mostly true", "True", "False"]
    assert collection.checks[1].claimant == "Lin Jian"
    assert collection.failures == []
    feed = claimreviews_in_json((PAGES / "desk_feed.jsonl").read_text())
    assert [c.url for c in feed.checks][-1] == "https://checkers.example.net/truce-11-days"
    assert feed.checks[1].claimant == "Viral social media posts"
    bad = claimreviews_in_json((PAGES / "desk_feed_bad.jsonl").read_text())
    assert [c.claim for c in bad.checks] == ["A claim that imports"]
    assert [(f.line, f.reason) for f in bad.failures] == [
        (2, "not valid JSON"),
        (3, "no ClaimReview with a claimReviewed in it"),
    ]
    with pytest.raises(ImportFailure, match="no ClaimReview"):
        claimreviews_in_json('{\n  "@type": "WebPage",\n  "name": "x"\n}\n')
    one_line = claimreviews_in_json('{"@type": "WebPage", "name": "x"}\n')
    assert one_line.checks == [] and [f.line for f in one_line.failures] == [1]


def test_claimreview_files_are_told_apart_from_annotation_records():
    for name in ("desk_collection.json", "desk_feed.jsonl", "single_review.json"):
        assert holds_claimreviews((PAGES / name).read_text())
    native = json.dumps({"text": "The ClaimReview format is explained here.", "spans": []})
    assert not holds_claimreviews(native)
    assert not holds_claimreviews('[{"data": {"text": "a ClaimReview"}}]')
    options = ImportOptions()
    parsed = parse_input("x.jsonl", native.encode(), "auto", options)
    assert len(parsed.items) == 1 and parsed.external == []
    reviews = parse_input("r.json", (PAGES / "single_review.json").read_bytes(), "auto", options)
    assert reviews.items == [] and [c.claimant for c in reviews.external] == ["Benjamin Netanyahu"]


def test_the_checked_before_line():
    check = ExternalCheck("c", "False", publisher="PolitiFact", date="2024-05-02T09:30:00+00:00")
    assert checked_before_line(check) == "checked before: PolitiFact, False, 2024-05-02"
    assert checked_before_line(ExternalCheck("c", "True")) == "checked before: True"
    assert checked_before_line(ExternalCheck("c")) == "checked before: an unnamed fact-checker"


# -- importing them -----------------------------------------------------------------------------


def test_import_keeps_the_page_and_its_reviews_and_does_not_double_them(db_path, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("politifact_2017.html", "yoast_graph.html", "desk_collection.json"):
        (pages / name).write_bytes((PAGES / name).read_bytes())
    first = run_factmark("--db", str(db_path), "import", str(pages))
    assert first.returncode == 0, first.stderr
    assert _lines(first.stdout)[-1] == "imported 2, duplicates 0, failed 0, external checks 6"
    again = run_factmark("--db", str(db_path), "import", str(pages))
    assert _lines(again.stdout)[-1] == (
        "imported 0, duplicates 2, failed 0, external checks 0 (and 6 already stored)"
    )
    assert _count(db_path, "external_checks") == 6
    assert _count(db_path, "documents") == 2
    with Store.open(db_path) as store:
        stored = store.external_checks()
        assert {c.source_file for c in stored} == {
            str(pages / n)
            for n in ("politifact_2017.html", "yoast_graph.html", "desk_collection.json")
        }
        assert all(c.uid.startswith("x-") for c in stored)
    with sqlite3.connect(db_path) as connection:
        kinds = [
            row[0]
            for row in connection.execute(
                "select payload from events where kind = 'external_checks_import'"
            )
        ]
    connection.close()
    payloads = [json.loads(kind) for kind in kinds]
    assert sum(p["added"] for p in payloads) == 6 and sum(p["duplicates"] for p in payloads) == 6


def test_a_page_that_fails_leaves_no_reviews_behind(db_path, tmp_path):
    # The page's JSON-LD is fine but it has no article text: nothing of it is stored.
    empty = tmp_path / "empty.html"
    empty.write_text(
        "<html><head><script type='application/ld+json'>"
        + json.dumps(_review())
        + "</script></head><body><p>Short.</p></body></html>"
    )
    result = run_factmark("--db", str(db_path), "import", str(empty))
    assert result.returncode == 1
    assert _lines(result.stderr) == [f"{empty}: no article text found in the HTML page"]
    assert _lines(result.stdout)[-1] == "imported 0, duplicates 0, failed 1"
    assert _count(db_path, "external_checks") == 0


def test_a_bad_line_of_a_review_file_fails_alone(db_path):
    result = run_factmark("--db", str(db_path), "import", str(PAGES / "desk_feed_bad.jsonl"))
    assert result.returncode == 1
    name = PAGES / "desk_feed_bad.jsonl"
    assert _lines(result.stderr) == [
        f"{name}: line 2: not valid JSON",
        f"{name}: line 3: no ClaimReview with a claimReviewed in it",
    ]
    assert _lines(result.stdout)[-1] == "imported 0, duplicates 0, failed 2, external checks 1"
    explicit = run_factmark(
        "--db", str(db_path), "import", "--format", "claimreview", str(PAGES / "desk_feed.jsonl")
    )
    assert _lines(explicit.stdout)[-1] == "imported 0, duplicates 0, failed 0, external checks 3"


def test_checked_before_on_the_command_line(db_path):
    run_factmark("--db", str(db_path), "import", str(PAGES))
    text = run_factmark(
        "--db",
        str(db_path),
        "checked-before",
        "According to Gaza's Ministry of Health, 34535 Palestinians have been killed",
    )
    assert text.returncode == 0, text.stderr
    assert _lines(text.stdout)[0] == "checked before: Example Fact Desk, True, 2024-05-02"
    found = json.loads(
        run_factmark(
            "--db",
            str(db_path),
            "checked-before",
            "--json",
            "--claimant",
            "Perry",
            "Illegal immigrants committed more than 3000 homicides in six years",
        ).stdout
    )
    assert [f["publisher"] for f in found] == ["politifact.com"]
    assert found[0]["reasons"] == ["same figures", "shared words", "same claimant"]
    nothing = run_factmark("--db", str(db_path), "checked-before", "Rain in London tomorrow")
    assert (nothing.returncode, nothing.stdout) == (0, b"")
    empty = run_factmark("--db", str(db_path), "checked-before", "  ")
    assert empty.returncode != 0 and _lines(empty.stderr) == [
        "factmark: checked-before: TEXT is empty"
    ]


# -- the store ----------------------------------------------------------------------------------


def test_external_checks_like_follows_imports(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        assert store.external_checks_like("anything at all") == []
        toll = ExternalCheck(
            "34,535 Palestinians killed in Gaza, says its health ministry",
            "True",
            publisher="Desk A",
            url="https://a.example/toll",
            date="2024-05-02",
        )
        added = store.add_external_checks([toll, toll], "a.json", user="ana")
        assert (added.added, added.duplicates) == (1, 1)
        [match] = store.external_checks_like("Gaza ministry: 34535 Palestinians were killed")
        assert match.claim == toll.claim and match.likeness is not None and match.likeness > 0.6
        assert match.reasons[0] == "same figures"
        assert checked_before_line(match) == "checked before: Desk A, True, 2024-05-02"
        # A later import is found without reopening the store (the kept index grows).
        famine = ExternalCheck("Famine has begun in northern Gaza", "Mostly true", url="https://b")
        store.add_external_checks([famine], "b.json")
        assert [m.url for m in store.external_checks_like("Northern Gaza is in famine")] == [
            "https://b"
        ]
        assert [c.claim for c in store.external_checks(limit=1)] == [famine.claim]
        said = ExternalCheck("Talks resume next week", "True", claimant="Ismail Haniyeh")
        store.add_external_checks([said], "c.json")
        [by_alias] = store.external_checks_like(
            "Prices went up", "Hamas chief", aliases=("Haniyeh",), min_score=0.1
        )
        assert by_alias.claim == said.claim and by_alias.reasons == ("same claimant",)
        assert len(store.external_checks_like("Gaza", limit=1, min_score=0.0)) == 1


def test_another_process_import_is_seen_by_an_open_store(tmp_path):
    path = tmp_path / "s.db"
    with Store.open(path) as reader:
        assert reader.external_checks_like("the world is flat") == []
        with Store.open(path) as writer:
            writer.add_external_checks(
                claimreviews_in_html((PAGES / "google_example.html").read_bytes()), "g.html"
            )
        [found] = reader.external_checks_like("The world is really flat")
        assert found.publisher == "Example.com science watch"


def test_a_version_3_file_gains_external_checks_with_its_data_intact(tmp_path):
    path = tmp_path / "v3.db"
    _version_3_file(path)
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("select name from sqlite_master")}
    connection.close()
    assert "entities" in tables and "external_checks" not in tables
    with Store.open(path) as store:
        assert [s.label for s in store.spans(1, "ana")] == ["actor"]
        added = store.add_external_checks(
            claimreviews_in_html((PAGES / "politifact_2017.html").read_bytes()), "p.html"
        )
        assert added.added == 1
        assert store.external_checks_like("3,000 homicides by illegal aliens")[0].claimant == (
            "Rick Perry"
        )
    with sqlite3.connect(path) as connection:
        version = connection.execute(
            "SELECT value FROM factmark_meta WHERE key = 'schema_version'"
        ).fetchone()[0]
        indexes = {row[1] for row in connection.execute("PRAGMA index_list(external_checks)")}
    connection.close()
    assert int(version) == SCHEMA_VERSION >= 4
    assert {"ix_external_checks_dedupe_key", "ix_external_checks_uid"} <= indexes


def test_a_page_and_its_reviews_are_one_transaction(tmp_path):
    # The review's raw object cannot be stored (not JSON): the document goes with it.
    data = (PAGES / "google_example.html").read_bytes()
    [item] = parse_input("g.html", data, "auto", ImportOptions()).items
    [review] = item.external_checks
    broken = dataclasses.replace(review, raw={"unstorable": {1, 2}})
    with Store.open(tmp_path / "s.db") as store:
        with pytest.raises(StoreError, match="not JSON serializable"):
            store.import_items([dataclasses.replace(item, external_checks=(broken,))])
        assert store.document_count() == 0 and store.external_checks() == []
        [outcome] = store.import_items([item])
        assert (outcome.created, outcome.external_added, outcome.external_duplicates) == (
            True,
            1,
            0,
        )
        [again] = store.import_items([item])
        assert (again.created, again.external_added, again.external_duplicates) == (False, 0, 1)


def test_external_checks_on_postgresql(tmp_path):
    with fresh_postgres_database("external") as url, Store.open(url) as store:
        reviews = claimreviews_in_json((PAGES / "desk_collection.json").read_text()).checks
        assert store.add_external_checks(reviews, "d.json").added == 3
        assert store.add_external_checks(reviews, "d.json").duplicates == 3
        [found] = store.external_checks_like("14 Palestinian factions signed a declaration")
        assert found.publisher == "Checkers Net" and found.claimant == "Lin Jian"
