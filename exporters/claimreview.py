"""schema.org ClaimReview: a JSON array, one object per check with a verdict (formats.md).

For each check with a rating (the CLI reads the published ones unless `--status` says
otherwise):
- `claimReviewed`: the check's claim, as the checker words it;
- `reviewRating`: {"@type": "Rating", "alternateName": the rating}, with `ratingValue`,
  `bestRating` and `worstRating` where the configured scale gives the rating a number, and the
  verdict's summary as `ratingExplanation`; `reviewBody`: the verdict's explanation;
- `url`: the verdict's published fact-check URL, else the configuration's `review_url` with
  `{check_id}` replaced by the check's id;
- `author`: the configured `organisation` (an Organization);
- `datePublished`: the verdict's date;
- `itemReviewed`: a `Claim` whose `author` is the claimant (Person, or Organization for an
  organisation, a medium or a country's government), whose `datePublished` and
  `firstAppearance` are the earliest published appearance, and whose `appearance` lists the
  article of every appearance (URL, headline, publisher, date);
- `citation`: the evidence (URL, else the archived copy; title, publisher, date, and the
  excerpt, or the text of the span of a stored document an item points at).

A check without a url or an author cannot be a ClaimReview (Google requires the first and
recommends the second): it is left out and named in a remark, and the export counts it as
failed (exit code 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from exporters.common import ExportReport, JsonArrayWriter
from exporters.formats import NO_OPTIONS, ExportOptions
from store.check_export import CheckExport
from store.desk_info import AppearanceInfo, CheckInfo, EvidenceInfo
from store.info import EntityInfo
from vocabulary.checks import RatingDef, scale_bounds

# schema.org's author is a Person or an Organization: what each entity type is there.
AUTHOR_TYPES = {"Organization": "Organization", "Media": "Organization", "Country": "Organization"}
CHECK_ID_FIELD = "{check_id}"  # what the configured review_url template replaces


def claim_review(check: CheckInfo, options: ExportOptions) -> dict[str, Any] | str:
    """The ClaimReview of a check with a verdict (a rating), or why there cannot be one (a
    one-line reason)."""
    url = check.url or review_url(options.review_url, check.uid)
    missing = [
        what
        for what, value in (
            ("no url (the verdict's URL, or review_url in the configuration)", url),
            ('no author (organisation = "…" in the configuration)', options.organisation),
        )
        if not value
    ]
    if missing:
        return "; ".join(missing)
    first = check.first_appearance
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": check.claim,
        "author": {"@type": "Organization", "name": options.organisation},
        "datePublished": check.date or check.updated_at.date().isoformat(),
        "reviewRating": _rating(check, options.ratings),
        "reviewBody": check.explanation,
        "itemReviewed": {
            "@type": "Claim",
            "author": _author(check.claimant) if check.claimant is not None else None,
            "datePublished": first.published if first is not None else None,
            "firstAppearance": _article(first) if first is not None else None,
            "appearance": _appearances(check.appearances),
        },
        "citation": [_citation(item) for item in check.evidence],
    }
    return _pruned(review)


def review_url(template: str | None, uid: str) -> str | None:
    """The configured review_url for one check (None without a template)."""
    return template.replace(CHECK_ID_FIELD, uid) if template else None


def _rating(check: CheckInfo, ratings: tuple[RatingDef, ...]) -> dict[str, Any]:
    rating: dict[str, Any] = {
        "@type": "Rating",
        "alternateName": check.rating,
        "ratingExplanation": check.summary,
    }
    value = check.rating_value
    if value is None:
        value = next((r.value for r in ratings if r.name == check.rating), None)
    scale = scale_bounds(ratings)
    if value is not None and scale is not None:
        rating["ratingValue"] = _number(value)
        rating["bestRating"] = _number(scale[0])
        rating["worstRating"] = _number(scale[1])
    return rating


def _number(value: float) -> float | int:
    """5.0 as 5: a scale of whole numbers reads as one."""
    return int(value) if float(value).is_integer() else value


def _author(entity: EntityInfo) -> dict[str, Any]:
    return {"@type": AUTHOR_TYPES.get(entity.type, "Person"), "name": entity.name}


def _appearances(appearances: tuple[AppearanceInfo, ...]) -> list[dict[str, Any]]:
    """Every appearance's article once (a claim made twice in one article is one appearance)."""
    seen: set[int] = set()
    articles = []
    for appearance in appearances:
        if appearance.document_id not in seen:
            seen.add(appearance.document_id)
            articles.append(_article(appearance))
    return [article for article in articles if article is not None]


def _article(appearance: AppearanceInfo) -> dict[str, Any] | None:
    """The article an appearance is in: a NewsArticle where an outlet published it; None for
    a text that says neither where it is nor what it is called (nothing a reader could find)."""
    if not appearance.url and not appearance.title:
        return None
    return {
        "@type": "NewsArticle" if appearance.outlet else "CreativeWork",
        "url": appearance.url,
        "headline": appearance.title,
        "datePublished": appearance.published,
        "publisher": _organisation(appearance.outlet),
    }


def _citation(item: EvidenceInfo) -> dict[str, Any]:
    return {
        "@type": "CreativeWork",
        "url": item.url or item.archived,
        "name": item.title,
        "publisher": _organisation(item.publisher),
        "datePublished": item.published,
        "text": item.excerpt or item.span_text,
    }


def _organisation(name: str | None) -> dict[str, Any] | None:
    return {"@type": "Organization", "name": name} if name else None


def _pruned(value: Any) -> Any:
    """The value without null fields and empty lists (schema.org readers prefer them absent)."""
    if isinstance(value, dict):
        pruned = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def write_claimreview(
    records: Iterable[CheckExport], out: TextIO, options: ExportOptions = NO_OPTIONS
) -> ExportReport:
    """Write the reviews one by one into one JSON array; a check that cannot be one is named
    in a remark and counted as failed."""
    array = JsonArrayWriter(out)
    remarks: list[str] = []
    count = 0
    for record in records:
        if not record.check.rating:
            continue  # no verdict yet: nothing to review
        count += 1
        review = claim_review(record.check, options)
        if isinstance(review, str):
            remarks.append(f"claimreview: skipped check {record.check.uid}: {review}")
        else:
            array.add(review)
    array.close()
    return ExportReport(count, tuple(remarks), failed=len(remarks))
