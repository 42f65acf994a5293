"""What Google's fact-check guidelines ask of a ClaimReview, as a checker the tests run over
every exported object.

Source: Google Search Central, "Fact check (ClaimReview) structured data", section
"Structured data type definitions" (developers.google.com/search/docs/appearance/
structured-data/factcheck), as tabulated by Full Fact's markup investigation
(fullfact.github.io/markup-investigation/docs/notes/01-basic-usage/):

| type        | property          | Google says  | what it must be                       |
|-------------|-------------------|--------------|----------------------------------------|
| ClaimReview | claimReviewed     | REQUIRED     | Text (best under 75 characters)        |
| ClaimReview | reviewRating      | REQUIRED     | Rating                                 |
| ClaimReview | url               | REQUIRED     | URL of the page with the fact check    |
| ClaimReview | author            | RECOMMENDED  | Organization or Person, with a name    |
| ClaimReview | datePublished     | RECOMMENDED  | Date or DateTime (ISO 8601)            |
| ClaimReview | itemReviewed      | RECOMMENDED  | Claim                                  |
| Claim       | appearance        | RECOMMENDED  | URL or CreativeWork                    |
| Claim       | author            | RECOMMENDED  | Organization or Person                 |
| Claim       | datePublished     | RECOMMENDED  | Date or DateTime                       |
| Claim       | firstAppearance   | RECOMMENDED  | URL or CreativeWork                    |
| Rating      | alternateName     | REQUIRED     | Text: the rating as shown in results   |
| Rating      | ratingValue       | RECOMMENDED  | Number, worstRating <= it <= bestRating |
| Rating      | bestRating        | RECOMMENDED  | Number (the truest rating's)           |
| Rating      | worstRating       | RECOMMENDED  | Number (the least true rating's)       |

Numeric ratings need their scale: "there must be a number to text rating system" (the three
numbers come together or not at all).

And for JSON-LD: Google reads an object whose `@context` is schema.org and whose `@type` is
one of its types (here ClaimReview). The guidelines also ask that `claimReviewed` not carry the
rating itself ("Don't include the rating in the claimReviewed field").

`problems(review)` lists every rule an object breaks (an empty list: it follows all of them);
`recommended=False` checks only what Google requires.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

PERSON_OR_ORGANIZATION = ("Person", "Organization")
CREATIVE_WORKS = ("CreativeWork", "NewsArticle", "Article", "WebPage", "SocialMediaPosting")
CLAIM_REVIEWED_ADVISED = 75  # characters: longer ones wrap on a phone (advice, not a rule)


def problems(review: Any, *, recommended: bool = True) -> list[str]:
    """Every guideline `review` breaks, one line each."""
    if not isinstance(review, dict):
        return ["not a JSON object"]
    found: list[str] = []
    if review.get("@context") not in ("https://schema.org", "http://schema.org"):
        found.append("@context is not schema.org")
    if review.get("@type") != "ClaimReview":
        found.append("@type is not ClaimReview")
    found += _required(review)
    if recommended:
        found += _recommended(review)
    return found


def _required(review: dict[str, Any]) -> list[str]:
    found = []
    claim = review.get("claimReviewed")
    if not _text(claim):
        found.append("claimReviewed (required) is missing or empty")
    if not _url(review.get("url")):
        found.append("url (required) is not an http(s) URL")
    rating = review.get("reviewRating")
    if not isinstance(rating, dict) or rating.get("@type") != "Rating":
        found.append("reviewRating (required) is not a Rating")
        return found
    name = rating.get("alternateName")
    if not _text(name):
        found.append("reviewRating.alternateName (required) is missing or empty")
    elif _text(claim) and claim.strip().casefold() == name.strip().casefold():
        found.append("claimReviewed is the rating itself")
    return found


def _recommended(review: dict[str, Any]) -> list[str]:
    found = []
    if not _named(review.get("author"), ("Organization", "Person")):
        found.append("author (recommended) is not a named Organization or Person")
    if not _date(review.get("datePublished")):
        found.append("datePublished (recommended) is not an ISO 8601 date")
    found += _numeric_rating(review.get("reviewRating") or {})
    item = review.get("itemReviewed")
    if not isinstance(item, dict) or item.get("@type") != "Claim":
        return [*found, "itemReviewed (recommended) is not a Claim"]
    if not _named(item.get("author"), PERSON_OR_ORGANIZATION):
        found.append("itemReviewed.author (recommended) is not a named Person or Organization")
    if not _date(item.get("datePublished")):
        found.append("itemReviewed.datePublished (recommended) is not an ISO 8601 date")
    if not _work(item.get("firstAppearance")):
        found.append("itemReviewed.firstAppearance (recommended) is not a URL or CreativeWork")
    appearances = item.get("appearance")
    appearances = appearances if isinstance(appearances, list) else [appearances]
    if not appearances or not all(_work(a) for a in appearances):
        found.append("itemReviewed.appearance (recommended) is not URLs or CreativeWorks")
    return found


def _numeric_rating(rating: dict[str, Any]) -> list[str]:
    numbers = {key: rating.get(key) for key in ("ratingValue", "bestRating", "worstRating")}
    given = {key: value for key, value in numbers.items() if value is not None}
    if not given:
        return []  # a textual rating only: allowed
    if len(given) != 3 or not all(_number(value) for value in given.values()):
        return ["reviewRating: ratingValue, bestRating and worstRating must be numbers together"]
    low, high = sorted((float(given["bestRating"]), float(given["worstRating"])))
    if not low <= float(given["ratingValue"]) <= high:
        return ["reviewRating.ratingValue is outside worstRating..bestRating"]
    return []


def _work(value: Any) -> bool:
    """A URL, or a CreativeWork (or kind of one) that says where: a url or a headline."""
    if isinstance(value, str):
        return _url(value)
    if not isinstance(value, dict) or value.get("@type") not in CREATIVE_WORKS:
        return False
    url = value.get("url")
    return (url is None or _url(url)) and (_url(url) or _text(value.get("headline")))


def _named(value: Any, types: tuple[str, ...]) -> bool:
    return isinstance(value, dict) and value.get("@type") in types and _text(value.get("name"))


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        if len(value) == 10:
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
