"""schema.org ClaimReview over the annotated corpus: one object per check with a verdict (each
layer's first claim is a check of its own there); `[]` while there are none. The desk's own
ClaimReview tests (review_url, skipped checks, Google's guidelines, JSON-LD in a page) are in
tests/test_checks_exports.py."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.claimreview_rules import problems
from tests.conftest import run_factmark
from tests.formats_support import build_database, native_records

CONFIG = (
    'organisation = "Example Fact-Check Desk"\nreview_url = "https://f.example.org/{check_id}"\n'
)


@pytest.fixture(scope="module")
def annotated_db(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("claimreview") / "annotated.db")


def test_without_checks_the_export_is_an_empty_array(db_path, seeds_dir):
    assert run_factmark("--db", str(db_path), "import", str(seeds_dir)).returncode == 0
    result = run_factmark("--db", str(db_path), "export", "--format", "claimreview")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [] and result.stdout == b"[]\n"


def test_each_check_with_a_verdict_becomes_a_claim_review(annotated_db, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    result = run_factmark(
        "--db", str(annotated_db), "--config", str(config),
        "export", "--format", "claimreview", "--status", "any",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    reviews = json.loads(result.stdout)
    checks = {
        span["attrs"]["check"]["id"]: (span["text"], record["meta"]["url"])
        for record in native_records(annotated_db, "all")
        for span in record["spans"]
        if "check" in span["attrs"]
    }
    assert checks and len(reviews) == len(checks)
    for review in reviews:
        uid = review["url"].rsplit("/", 1)[-1]
        claim, url = checks[uid]
        assert problems(review, recommended=False) == [], review
        assert review["claimReviewed"] == " ".join(claim.split())  # the claim: one line
        assert review["reviewRating"] == {
            "@type": "Rating",
            "alternateName": "Mostly false",
            "ratingExplanation": "Numbers are older",
            "ratingValue": 2,  # the verdict carried no number: the configured scale gives it
            "bestRating": 5,
            "worstRating": 1,
        }
        assert review["reviewBody"] == "The figure was published a year earlier."
        assert review["author"] == {"@type": "Organization", "name": "Example Fact-Check Desk"}
        assert date.fromisoformat(review["datePublished"])
        assert review["citation"][0]["url"] == "https://example.org/e"
        appearances = review["itemReviewed"].get("appearance", [])
        assert [a["url"] for a in appearances if "url" in a] == ([url] if url else [])


def test_published_only_by_default(annotated_db, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    result = run_factmark(
        "--db", str(annotated_db), "--config", str(config), "export", "--format", "claimreview"
    )
    assert result.returncode == 0 and json.loads(result.stdout) == []  # all are "new"
