"""The checks leave factmark in the shapes other systems read: schema.org ClaimReview (checked
against Google's fact-check guidelines, and read back out of an HTML page by a structured-data
extractor), the checks JSONL for data teams, and the native JSONL that carries each check on its
appearances and imports back into the same checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import extruct
import pytest
from sqlalchemy import event

from exporters.common import dumps
from exporters.jsonl import native_record
from store import Store
from tests.checks_support import (
    CONFIG,
    LIN_CLAIM,
    ORGANISATION,
    Desk,
    build_desk,
)
from tests.claimreview_rules import problems
from tests.conftest import run_factmark
from tests.postgres import fresh_postgres_database


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    return build_desk(tmp_path_factory.mktemp("desk") / "desk.db")


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def _export(db: Path | str, fmt: str, *extra: str, config: Path | None = None):
    where = ("--config", str(config)) if config is not None else ()
    return run_factmark("--db", str(db), *where, "export", "--format", fmt, *extra)


def _reviews(desk: Desk, config: Path, *extra: str) -> list[dict[str, Any]]:
    result = _export(desk.path, "claimreview", *extra, config=config)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# -- ClaimReview --------------------------------------------------------------------------------


def test_one_claim_review_per_published_check_following_googles_guidelines(
    desk: Desk, config: Path
) -> None:
    reviews = _reviews(desk, config)
    assert [r["url"].rsplit("/", 1)[-1] for r in reviews] == [desk.lin, "toll"]
    for review in reviews:
        assert problems(review) == [], review
    lin, toll = reviews
    with Store.open(desk.path) as store:
        article = store.document(desk.lin_document)
        check = store.check(desk.lin)
    assert lin["url"] == f"https://factcheck.example.org/claims/{desk.lin}"  # review_url
    assert lin["claimReviewed"] == LIN_CLAIM
    assert lin["author"] == {"@type": "Organization", "name": ORGANISATION}
    assert lin["datePublished"] == "2024-05-03"
    assert lin["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "False",
        "ratingExplanation": "No talks were held that week",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert lin["reviewBody"] == "Both sides denied it.\nSee below."
    claim = lin["itemReviewed"]
    assert claim["author"] == {"@type": "Person", "name": "Lin Jian"}
    assert len(claim["appearance"]) == 1 and claim["firstAppearance"] == claim["appearance"][0]
    assert claim["firstAppearance"]["headline"] == article.title
    assert claim["firstAppearance"].get("url") == article.url
    web, stretch = lin["citation"]
    assert web["url"] == "https://example.org/statement" and web["datePublished"] == "2024-05-01"
    assert stretch["text"] == check.evidence[1].span_text and "Gaza" in stretch["text"]
    assert toll["url"] == "https://factcheck.example.org/toll"  # the verdict's own URL
    assert toll["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "Gaza Ministry of Health",
    }
    assert len(toll["itemReviewed"]["appearance"]) == 2


def test_status_any_adds_checks_not_yet_published_but_never_one_without_verdict(
    desk: Desk, config: Path
) -> None:
    reviews = _reviews(desk, config, "--status", "any")
    claims = [review["claimReviewed"] for review in reviews]
    assert "Lin said so" in claims and len(reviews) == 3  # "new" has no rating
    assert _reviews(desk, config, "--status", "in review")[0]["claimReviewed"] == "Lin said so"
    result = _export(desk.path, "claimreview", "--status", "done", config=config)
    assert result.returncode == 2 and b"--status done" in result.stderr


def test_a_check_without_url_or_author_is_skipped_and_named(desk: Desk, tmp_path: Path) -> None:
    bare = tmp_path / "bare.toml"
    bare.write_text("", encoding="utf-8")
    result = _export(desk.path, "claimreview", config=bare)
    assert result.returncode == 1
    assert json.loads(result.stdout) == []
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 2 and all("no author" in line for line in lines)
    assert desk.lin in lines[0] and desk.toll in lines[1]

    no_template = tmp_path / "org.toml"
    no_template.write_text(f'organisation = "{ORGANISATION}"\n', encoding="utf-8")
    result = _export(desk.path, "claimreview", config=no_template)
    assert result.returncode == 1
    assert [r["url"] for r in json.loads(result.stdout)] == ["https://factcheck.example.org/toll"]
    (line,) = result.stderr.decode().splitlines()
    assert desk.lin in line and "no url" in line and "Traceback" not in line


def test_the_json_ld_embedded_in_a_page_is_read_back_unchanged(desk: Desk, config: Path) -> None:
    reviews = _reviews(desk, config)
    # "</" cannot end a script early: JSON may write it "<\/".
    bodies = [json.dumps(review).replace("</", "<\\/") for review in reviews]
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in bodies)
    page = f"<!doctype html><html><head><title>Checks</title>{scripts}</head><body></body></html>"
    found = extruct.extract(page, base_url="https://factcheck.example.org/", syntaxes=["json-ld"])
    assert found["json-ld"] == reviews


def test_the_rules_catch_what_google_requires(desk: Desk, config: Path) -> None:
    """The checker itself: each rule fails when its field is missing or wrong."""
    (review, _) = _reviews(desk, config)
    broken = {
        "claimReviewed": {**review, "claimReviewed": " "},
        "url (required)": {**review, "url": "factcheck.example.org/x"},
        "alternateName": {**review, "reviewRating": {"@type": "Rating"}},
        "author (recommended)": {**review, "author": {"@type": "Thing", "name": "x"}},
        "datePublished (recommended)": {**review, "datePublished": "May 3"},
        "itemReviewed.author": {
            **review,
            "itemReviewed": {**review["itemReviewed"], "author": None},
        },
        "firstAppearance": {
            **review,
            "itemReviewed": {**review["itemReviewed"], "firstAppearance": {"@type": "Thing"}},
        },
        "ratingValue is outside": {
            **review,
            "reviewRating": {**review["reviewRating"], "ratingValue": 9},
        },
    }
    for expected, wrong in broken.items():
        assert any(expected in problem for problem in problems(wrong)), expected


# -- the checks JSONL ---------------------------------------------------------------------------


def test_checks_jsonl_has_every_check_with_appearances_and_history(desk: Desk) -> None:
    result = _export(desk.path, "checks")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.decode().splitlines()]
    by_id = {line["id"]: line for line in lines}
    assert sorted(by_id) == sorted([desk.lin, desk.toll, desk.review, desk.new])
    lin = by_id[desk.lin]
    assert lin["claim"] == LIN_CLAIM and lin["status"] == "published"
    assert lin["claimant"]["name"] == "Lin Jian" and lin["claimant"]["type"] == "Person"
    assert lin["verdict"]["rating"] == "False" and lin["verdict"]["reviewed_by"] == "carol"
    assert lin["verdict"]["rating_value"] == 1
    (appearance,) = lin["appearances"]
    assert appearance["text"] == LIN_CLAIM and appearance["layer"] == "alice"
    assert appearance["span"].startswith("s-") and appearance["document"].startswith("d-")
    assert appearance["end"] - appearance["start"] == len(LIN_CLAIM)
    web, stretch = lin["evidence"]
    assert web["stance"] == "refutes" and web["document"] is None
    assert stretch["document"].startswith("d-") and stretch["span"].startswith("s-")
    assert stretch["stance"] == "context" and stretch["end"] > stretch["start"]
    published = [c for c in lin["history"] if c["field"] == "status" and c["new"] == "published"]
    assert [(c["who"], c["old"]) for c in published] == [("carol", "in review")]
    assert {c["field"] for c in lin["history"]} >= {"claim", "rating", "evidence", "claimant"}
    assert by_id[desk.new]["verdict"] is None and by_id[desk.new]["evidence"] == []
    only_new = _export(desk.path, "checks", "--status", "new")
    assert [json.loads(x)["id"] for x in only_new.stdout.decode().splitlines()] == [desk.new]


def test_export_reads_checks_in_a_fixed_number_of_queries(tmp_path: Path) -> None:
    """No query per check: 4 checks and 40 checks are read with the same statements."""
    desk = build_desk(tmp_path / "many.db")
    counts = []
    with Store.open(desk.path, user="alice") as store:
        for more in (0, 36):
            doc = store.document(desk.lin_document)
            for n in range(more):
                span = store.add_span(doc.id, "alice", n, n + 5, "claim").id
                uid = store.create_check(span).uid
                store.add_evidence(uid, {"url": f"https://example.org/{n}"})
            statements: list[str] = []
            engine = store._db.engine  # counting what the read sends

            def listener(*args: Any, sent: list[str] = statements) -> None:
                sent.append(args[2])

            event.listen(engine, "before_cursor_execute", listener)
            try:
                exported = store.export_checks(history=True)
            finally:
                event.remove(engine, "before_cursor_execute", listener)
            counts.append((len(exported), len(statements)))
    (few, few_queries), (many, many_queries) = counts
    assert (few, many) == (4, 40) and few_queries == many_queries <= 10


# -- native JSONL: the checks ride on their appearances and come back -------------------------


def _native(db: Path, source: str = "all") -> list[dict[str, Any]]:
    result = _export(db, "jsonl", "--source", source)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def test_every_appearance_carries_its_whole_check(desk: Desk) -> None:
    records = _native(desk.path)
    carried: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        for span in record["spans"]:
            if "check" in span["attrs"]:
                assert span["label"] == "claim"
                carried.setdefault(span["attrs"]["check"]["id"], []).append(span["attrs"]["check"])
    assert sorted(carried) == sorted([desk.lin, desk.toll, desk.review, desk.new])
    toll = carried[desk.toll]
    assert len(toll) == 2 and toll[0] == toll[1]  # the same object on both appearances
    checks = {
        json.loads(x)["id"]: json.loads(x)
        for x in _export(desk.path, "checks").stdout.split(b"\n")
        if x
    }
    for uid, copies in carried.items():
        line = {k: v for k, v in checks[uid].items() if k not in ("appearances", "history")}
        assert copies[0] == line


def test_the_assembled_lines_equal_the_reference_with_checks(desk: Desk) -> None:
    """SQLite's own JSON (the fast path) writes attrs.check byte for byte as Python does."""
    with Store.open(desk.path) as store:
        reference = [dumps(native_record(r)).encode() for r in store.iter_export("all")]
        lines = store.iter_export_lines("all", processes=1)
        assert lines is not None
        assembled = [line.line for line in lines]
    assert assembled == reference
    assert any(b'"check":{"id":"c-' in line for line in assembled)


def _comparable(db: Path | str) -> list[tuple[Any, ...]]:
    """What a round trip must keep of every check, independent of the database's own ids."""
    result = _export(db, "checks")
    assert result.returncode == 0, result.stderr
    found = []
    for raw in result.stdout.decode().splitlines():
        check = json.loads(raw)
        claimant = check["claimant"]
        found.append(
            (
                check["id"],
                check["claim"],
                check["status"],
                check["assignee"],
                None if claimant is None else (claimant["name"], claimant["type"]),
                check["verdict"],
                [{k: v for k, v in e.items() if k != "span"} for e in check["evidence"]],
                [e["span"] is not None for e in check["evidence"]],
                sorted(
                    (a["document"], a["layer"], a["start"], a["end"], a["text"])
                    for a in check["appearances"]
                ),
            )
        )
    return sorted(found)


def test_round_trip_through_native_jsonl_keeps_the_checks(desk: Desk, tmp_path: Path) -> None:
    exported = tmp_path / "desk.jsonl"
    result = _export(desk.path, "jsonl", "--source", "all", "-o", str(exported))
    assert result.returncode == 0, result.stderr
    fresh = tmp_path / "fresh.db"
    for _ in range(2):  # importing it again adds nothing
        result = run_factmark("--db", str(fresh), "--annotator", "admin", "import", str(exported))
        assert result.returncode == 0, result.stderr
        assert _comparable(fresh) == _comparable(desk.path)
    with Store.open(fresh) as store:
        (person,) = [e for e in store.entities() if e.name == "Lin Jian"]
        assert person.type == "Person" and store.check(desk.lin).claimant == person


def _record(text: str, claim: str, check: dict[str, Any] | None, key: str = "check") -> str:
    start = text.index(claim)
    attrs = {key: check} if check is not None else {}
    span = {"id": "s-1", "start": start, "end": start + len(claim), "label": "claim"}
    return json.dumps({"text": text, "spans": [{**span, "attrs": attrs}], "_annotator_id": "bob"})


CHECK = {
    "id": "c-0123456789ab",
    "claim": "The talks failed",
    "status": "researching",
    "assignee": "bob",
    "claimant": {"id": "e-aaaaaaaaaaaa", "name": "Lin Jian", "type": "Person"},
    "verdict": {"rating": "False", "rating_value": 1, "summary": "No", "date": "2024-05-02"},
    "evidence": [{"url": "https://example.org/e", "stance": "refutes"}],
}


def test_two_copies_of_a_check_that_differ_fail_the_second_record(tmp_path: Path) -> None:
    differing = {**CHECK, "verdict": {**CHECK["verdict"], "rating": "True"}}
    lines = [
        _record("Lin Jian said the talks failed on Monday.", "the talks failed", CHECK),
        _record("Again: the talks failed, Lin Jian said.", "the talks failed", differing),
        _record("A third time the talks failed, said Lin.", "the talks failed", CHECK),
    ]
    path = tmp_path / "copies.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "copies.db"
    result = run_factmark("--db", str(db), "--annotator", "bob", "import", str(path))
    assert result.returncode == 1
    (line,) = result.stderr.decode().splitlines()
    assert "line 2" in line and CHECK["id"] in line and "rating 'True' here, 'False' there" in line
    assert result.stdout.decode().strip() == "imported 2, duplicates 0, failed 1"
    with Store.open(db) as store:
        check = store.check(CHECK["id"])
        assert len(check.appearances) == 2 and store.document_count() == 2  # nothing of line 2
        assert (check.status, check.assignee, check.rating, check.rating_value) == (
            "researching",
            "bob",
            "False",
            1,
        )
        assert check.claimant is not None and check.claimant.name == "Lin Jian"
        assert [e.url for e in check.evidence] == ["https://example.org/e"]


def test_an_old_style_verdict_imports_as_a_check_of_its_own(tmp_path: Path) -> None:
    verdict = {
        "rating": "Mostly false",
        "explanation": "Older figures.",
        "url": "https://factcheck.example.org/old",
        "evidence": [{"url": "https://example.org/e", "title": "Report", "stance": "refutes"}],
    }
    path = tmp_path / "old.jsonl"
    path.write_text(
        _record("Lin Jian said the talks failed.", "the talks failed", verdict, "verdict") + "\n"
    )
    db = tmp_path / "old.db"
    result = run_factmark("--db", str(db), "import", str(path))
    assert result.returncode == 0, result.stderr
    with Store.open(db) as store:
        (summary,) = store.checks()
        check = store.check(summary.uid)
    assert (check.claim, check.rating, check.status) == (
        "the talks failed",
        "Mostly false",
        "published",
    )
    assert [a.text for a in check.appearances] == ["the talks failed"]
    assert [(e.title, e.stance) for e in check.evidence] == [("Report", "refutes")]
    (record,) = _native(db, "bob")
    assert "verdict" not in record["spans"][0]["attrs"]
    assert record["spans"][0]["attrs"]["check"]["id"] == check.uid


def test_a_bad_check_fails_its_record_by_line(tmp_path: Path) -> None:
    bad = {**CHECK, "verdict": {"rating": "False", "date": "May 2"}}
    path = tmp_path / "bad.jsonl"
    path.write_text(_record("Lin Jian said the talks failed.", "the talks failed", bad) + "\n")
    result = run_factmark("--db", str(tmp_path / "bad.db"), "import", str(path))
    assert result.returncode == 1
    (line,) = result.stderr.decode().splitlines()
    assert "line 1" in line and "date" in line and "YYYY-MM-DD" in line


def test_on_postgresql_the_checks_export_and_come_back(desk: Desk, tmp_path: Path) -> None:
    """PostgreSQL reads checks through the record path (no SQLite JSON): the same checks go
    out, and a PostgreSQL database imports them back."""
    exported = tmp_path / "desk.jsonl"
    assert _export(desk.path, "jsonl", "--source", "all", "-o", str(exported)).returncode == 0
    with fresh_postgres_database("checks_exports") as url:
        result = run_factmark("--db", url, "--annotator", "admin", "import", str(exported))
        assert result.returncode == 0, result.stderr
        assert _comparable(url) == _comparable(desk.path)
        again = tmp_path / "again.jsonl"
        assert _export(url, "jsonl", "--source", "all", "-o", str(again)).returncode == 0
        fresh = tmp_path / "fresh.db"
        result = run_factmark("--db", str(fresh), "--annotator", "admin", "import", str(again))
        assert result.returncode == 0, result.stderr
        assert _comparable(fresh) == _comparable(desk.path)


def test_our_claim_reviews_are_read_by_a_claimreview_importer(
    desk: Desk, config: Path, tmp_path: Path
) -> None:
    """Another desk importing our export (factmark's own ClaimReview import, as it reads
    other fact-checkers' files) gets each review whole: claim, rating, scale, publisher, URL,
    date, claimant and where the claim appeared."""
    exported = tmp_path / "reviews.json"
    result = _export(desk.path, "claimreview", "-o", str(exported), config=config)
    assert result.returncode == 0, result.stderr
    reviews = json.loads(exported.read_text(encoding="utf-8"))
    other = tmp_path / "other.db"
    result = run_factmark("--db", str(other), "import", str(exported))
    assert result.returncode == 0, result.stderr
    with Store.open(other) as store:
        found = {check.url: check for check in store.external_checks()}
    assert len(found) == len(reviews) == 2
    for review in reviews:
        check = found[review["url"]]
        rating = review["reviewRating"]
        assert (check.claim, check.rating, check.date) == (
            review["claimReviewed"],
            rating["alternateName"],
            review["datePublished"],
        )
        assert (check.rating_value, check.best, check.worst) == (
            rating["ratingValue"],
            rating["bestRating"],
            rating["worstRating"],
        )
        assert check.publisher == ORGANISATION
        assert check.claimant == review["itemReviewed"]["author"]["name"]
        assert check.appearance_url == review["itemReviewed"]["firstAppearance"]["url"]
