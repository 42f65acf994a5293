"""schema.org ClaimReview: a JSON array, one object per claim span that has a verdict.

For each `claim` span whose `attrs.verdict` has a `rating` (formats.md):
- `claimReviewed`: the span's text;
- `reviewRating`: {"@type": "Rating", "alternateName": verdict rating}, with the verdict's
  `summary` as `ratingExplanation` when given; `reviewBody`: the verdict's `explanation`;
- `itemReviewed`: a `Claim` whose `author` is the actor the claim is `said_by` (its
  `attrs.entity.name` if it names an entity, else its text; `@type` Organization for an entity of
  type Organization, Media or Country (a government speaking), else Person), whose
  `appearance` is the article (URL, headline, outlet, date) and whose `datePublished` is the
  article's date;
- `datePublished`: the verdict's `date` if given, else the day the span was last changed;
- `url`: the verdict's `url` (the published fact-check) when given;
- `author`: the organisation from the configuration (`organisation = "…"`);
- `citation`: the verdict's evidence, as CreativeWorks.
Claims without a verdict are skipped: until verdicts exist the export is `[]`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from exporters.common import ExportReport, JsonArrayWriter
from exporters.formats import NO_OPTIONS, ExportOptions
from store.info import DocumentInfo, ExportRecord, ExportSpan
from vocabulary.names import CLAIM_LABEL, SAID_BY

# schema.org's author is a Person or an Organization: what each entity type is there.
AUTHOR_TYPES = {"Organization": "Organization", "Media": "Organization", "Country": "Organization"}


def claim_reviews(record: ExportRecord, organisation: str | None) -> list[dict[str, Any]]:
    """The ClaimReview objects of one record's claims that have a verdict."""
    spans = {span.id: span for span in record.spans}
    speakers = {
        r.head_id: spans[r.child_id]
        for r in record.relations
        if r.label == SAID_BY and r.child_id in spans
    }
    return [
        _review(span, verdict, speakers.get(span.id), record.document, organisation)
        for span in record.spans
        if span.label == CLAIM_LABEL and (verdict := _verdict(span)) is not None
    ]


def _verdict(span: ExportSpan) -> dict[str, Any] | None:
    verdict = span.attrs.get("verdict")
    if isinstance(verdict, dict) and isinstance(verdict.get("rating"), str) and verdict["rating"]:
        return verdict
    return None


def _review(
    claim: ExportSpan,
    verdict: dict[str, Any],
    speaker: ExportSpan | None,
    doc: DocumentInfo,
    organisation: str | None,
) -> dict[str, Any]:
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": verdict.get("url"),
        "claimReviewed": claim.text,
        "reviewRating": {
            "@type": "Rating",
            "alternateName": verdict["rating"],
            "ratingExplanation": verdict.get("summary"),
        },
        "reviewBody": verdict.get("explanation"),
        "itemReviewed": {
            "@type": "Claim",
            "author": _author(speaker) if speaker is not None else None,
            "datePublished": doc.published,
            "appearance": [_appearance(doc)] if doc.url else None,
        },
        "datePublished": verdict.get("date") or claim.updated_on,
        "author": {"@type": "Organization", "name": organisation} if organisation else None,
        "citation": [_citation(e) for e in verdict.get("evidence") or [] if isinstance(e, dict)],
    }
    return _pruned(review)


def _author(actor: ExportSpan) -> dict[str, Any]:
    entity = actor.attrs.get("entity")
    entity = entity if isinstance(entity, dict) else {}
    kind = AUTHOR_TYPES.get(str(entity.get("type")), "Person")
    name = entity.get("name") if isinstance(entity.get("name"), str) else actor.text
    return {"@type": kind, "name": name}


def _appearance(doc: DocumentInfo) -> dict[str, Any]:
    return {
        "@type": "CreativeWork",
        "url": doc.url,
        "headline": doc.title,
        "datePublished": doc.published,
        "publisher": {"@type": "Organization", "name": doc.outlet} if doc.outlet else None,
    }


def _citation(evidence: dict[str, Any]) -> dict[str, Any]:
    publisher = evidence.get("publisher")
    return {
        "@type": "CreativeWork",
        "url": evidence.get("url"),
        "name": evidence.get("title"),
        "publisher": {"@type": "Organization", "name": publisher} if publisher else None,
    }


def _pruned(value: Any) -> Any:
    """The value without null fields and empty lists (schema.org readers prefer them absent)."""
    if isinstance(value, dict):
        pruned = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def write_claimreview(
    records: Iterable[ExportRecord], out: TextIO, options: ExportOptions = NO_OPTIONS
) -> ExportReport:
    """Write the reviews one by one into one JSON array (memory stays flat); their author is
    `options.organisation`."""
    organisation = options.organisation
    array = JsonArrayWriter(out)
    count = 0
    for record in records:
        for review in claim_reviews(record, organisation):
            array.add(review)
        count += 1
    array.close()
    remarks: tuple[str, ...] = ()
    if array.count and not organisation:
        remarks = (
            'claimreview: no organisation in the configuration (organisation = "…"), '
            "so the reviews name no author",
        )
    return ExportReport(count, remarks)
