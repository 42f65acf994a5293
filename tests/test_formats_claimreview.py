"""schema.org ClaimReview: one object per claim with a verdict; `[]` until there are verdicts."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import run_factmark
from tests.formats_support import build_database, export, native_records


@pytest.fixture(scope="module")
def annotated_db(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("claimreview") / "annotated.db")


def test_without_verdicts_the_export_is_an_empty_array(db_path, seeds_dir):
    assert run_factmark("--db", str(db_path), "import", str(seeds_dir)).returncode == 0
    result = run_factmark("--db", str(db_path), "export", "--format", "claimreview")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [] and result.stdout == b"[]\n"


def test_each_claim_with_a_verdict_becomes_a_claim_review(annotated_db, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('organisation = "Example Fact-Check Desk"\n', encoding="utf-8")
    result = run_factmark(
        "--db", str(annotated_db), "--config", str(config), "export", "--format", "claimreview"
    )
    assert result.returncode == 0, result.stderr
    reviews = json.loads(result.stdout)
    expected = []
    for record in native_records(annotated_db, "gold"):
        spans = {s["id"]: s for s in record["spans"]}
        said_by = {
            r["head"]: spans[r["child"]] for r in record["relations"] if r["label"] == "said_by"
        }
        for span in record["spans"]:
            if span["label"] == "claim" and span["attrs"].get("verdict"):
                expected.append((span["text"], said_by[span["id"]]["text"], record["meta"]["url"]))
    assert expected and len(reviews) == len(expected)
    for review, (claim, author, url) in zip(reviews, expected, strict=True):
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == claim
        assert review["reviewRating"] == {
            "@type": "Rating",
            "alternateName": "Mostly false",
            "ratingExplanation": "Numbers are older",
        }
        assert review["reviewBody"] == "The figure was published a year earlier."
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["author"] == {"@type": "Person", "name": author}
        if url:
            assert item["appearance"][0]["url"] == url
        else:
            assert "appearance" not in item
        assert review["author"] == {"@type": "Organization", "name": "Example Fact-Check Desk"}
        assert date.fromisoformat(review["datePublished"])
        assert review["citation"][0]["url"] == "https://example.org/e"
    assert any("appearance" in r["itemReviewed"] for r in reviews)


def test_without_an_organisation_the_export_says_so(annotated_db):
    result = export(annotated_db, "claimreview", "gold")
    assert result.returncode == 0
    assert all("author" not in review for review in json.loads(result.stdout))
    assert b"no organisation in the configuration" in result.stderr
