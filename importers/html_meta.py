"""An article page's metadata: title, byline, publication date, outlet and canonical URL.

Sources: JSON-LD (schema.org NewsArticle, Article, BlogPosting, ClaimReview, ... also inside
`@graph` or lists, authors as strings, objects, lists or `@id` references), `<meta>` tags (Open
Graph, `article:*`, `citation_*`, Parse.ly, Sailthru, Dublin Core, plain `author`/`date`), and
the page itself: `<link rel=canonical>`, `<title>`, `<h1>`, the date line by the headline and
labelled dates (`importers.html_dates`), byline elements (`importers.html_byline`), htmldate.
Each field's order is in its function (publication_date, _byline, outlet_name, and
`importers.html_headline.headline`), measured on the tuning part of the dev set (`python -m
bench meta`: date 0.90, author 0.81, title 0.899 on all 791 pages). Every value is cleaned
(entities decoded, mojibake repaired, controls and bidi overrides removed, NFC, whitespace
collapsed).
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from htmldate import find_date
from lxml.html import HtmlElement

from importers.html_byline import byline_names
from importers.html_dates import headline_date, labelled_date, url_date
from importers.html_decode import repair_mojibake
from importers.html_headline import headline
from vocabulary.text import strip_controls

_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "askpublicnewsarticle",
        "satiricalarticle",
        "techarticle",
        "scholarlyarticle",
        "medicalscholarlyarticle",
        "socialmediaposting",
        "liveblogposting",
        "report",
        "posting",
    }
)
# Fact-check pages (Snopes, PolitiFact) describe themselves as a ClaimReview, dated and published.
_PAGE_TYPES = frozenset(
    {"claimreview", "webpage", "itempage", "medicalwebpage", "collectionpage", "aboutpage"}
)
_TITLE_KEYS = (
    "og:title",
    "citation_title",
    "parsely-title",
    "sailthru.title",
    "dc.title",
    "dcterms.title",
    "twitter:title",
    "headline",
    "title",
)
_AUTHOR_KEYS = (
    "author",
    "article:author",
    "citation_author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "byline",
    "sailthru.byline",
    "cxenseparse:author",
)
_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "citation_publication_date",
    "citation_online_date",
    "citation_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "publish-date",
    "publish_date",
    "pubdate",
    "publication_date",
    "date",
)
_OUTLET_KEYS = (
    "og:site_name",
    "citation_journal_title",
    "citation_publisher",
    "dc.publisher",
    "dcterms.publisher",
    "application-name",
    "apple-mobile-web-app-title",
)
_URL_KEYS = ("og:url", "twitter:url", "parsely-link", "citation_public_url", "dc.identifier")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_BY_PREFIX = re.compile(r"^\s*by[\s:]+", re.I)
_AND_PREFIX = re.compile(r"^\s*and\s+", re.I)
_SLASH_DATE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b", re.I)
_JSON_COMMENT = re.compile(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$")
_MAX_FIELD = 500


@dataclass(frozen=True)
class PageMeta:
    """What the page says about itself; None where it says nothing usable."""

    title: str | None = None
    byline: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None


def extract_meta(tree: HtmlElement, url: str | None = None) -> PageMeta:
    """The page's metadata from JSON-LD, meta tags and the document, best evidence first."""
    metas = meta_tags(tree)
    article = _article_ld(tree)
    titles = [
        _ld_text(article, "headline"),
        _ld_text(article, "name"),
        *(metas.get(key) for key in _TITLE_KEYS),
        _title_element(tree),
    ]
    page_url = _first_url(
        url,
        _canonical_link(tree),
        *(metas.get(key) for key in _URL_KEYS),
        _ld_url(article),
        url,
    )
    # A fact-check's ClaimReview names its outlet as the review's author organisation.
    publisher = _ld_name(article, "publisher") or next(iter(_ld_authors(article)[1]), None)
    site_names = [metas.get(key) for key in _OUTLET_KEYS]
    sections = (metas.get("article:section"), _ld_text(article, "articleSection"))
    outlet = outlet_name(publisher, site_names, page_url or url, sections)
    # Titles end in what the site calls itself, even a section name or a handle.
    site_label = _site_name(_first_text(publisher, *site_names))
    cleaned_titles = [t for t in (_first_text(title) for title in titles) if t]
    h1s = [h for h in (_first_text(h1) for h1 in _h1_texts(tree)) if h]
    names = [name for name in (site_label, outlet) if name]
    title = headline(cleaned_titles, h1s, names, page_url)
    byline = _byline(tree, article, metas, outlet)
    published = publication_date(tree, article, metas, page_url or url)
    return PageMeta(title, byline, published, outlet, page_url)


def publication_date(
    tree: HtmlElement, article: _LinkedArticle | None, metas: dict[str, str], url: str | None
) -> str | None:
    """When the page says it was published, or None (never a guess from the clock).

    Order measured on the tuning part of the dev set (bench/bench_meta.py): a full date in the
    URL's path, `article:published_time`, the date line by the headline (what readers see,
    often the "Updated" date the outlet stands by), JSON-LD `datePublished` (never
    `dateModified`), other publication meta tags, then htmldate's reading of the page.
    """
    return (
        url_date(url)
        or _first_date(metas.get("article:published_time"))
        or headline_date(tree)
        or _first_date(_ld_text(article, "datePublished"), _ld_text(article, "dateCreated"))
        or _first_date(
            *(metas.get(key) for key in _DATE_KEYS),
            *(value for key, value in metas.items() if "publish" in key),
        )
        or labelled_date(tree)
        or _htmldate(tree)
        or _first_date(_time_element_date(tree))
    )


def _htmldate(tree: HtmlElement) -> str | None:
    """htmldate's original-date reading (it works on its own copy of the tree)."""
    try:
        found = find_date(tree, extensive_search=False, original_date=True)
    except (ValueError, TypeError):  # a page it cannot read is a page without its date
        return None
    return iso_date(found)


def _byline(
    tree: HtmlElement, article: _LinkedArticle | None, metas: dict[str, str], outlet: str | None
) -> str | None:
    """People first: JSON-LD persons, the author meta tags, the page's byline element; an
    organisation named as author only when no person is."""
    people, organisations = _ld_authors(article)
    site = _words(outlet or "")
    meta_authors = _meta_authors(metas)
    if meta_authors and site and _words(meta_authors) == site:
        organisations.append(meta_authors)
        meta_authors = None
    return (
        _join_names(people)
        or meta_authors
        or byline_names(tree)
        or _join_names(list(dict.fromkeys(organisations)))
    )


_HANDLE = re.compile(r"^@|^https?://")


def outlet_name(
    publisher: str | None,
    site_names: list[str | None],
    url: str | None,
    sections: tuple[str | None, ...] = (),
) -> str | None:
    """The outlet: the JSON-LD publisher, else a site name that names the site (not a section
    such as "U.S." or a handle such as "@politifact"), else a name made from the URL's host."""
    name = _site_name(clean_field(_first_line(publisher)))
    if name and not _HANDLE.match(name):
        return name
    section_names = {_squeezed(part) for part in (urlsplit(url).path if url else "").split("/")}
    section_names.update(_squeezed(section or "") for section in sections)
    section_names.discard("")
    for raw in site_names:
        name = _site_name(clean_field(_first_line(raw)))
        if name and not _HANDLE.match(name) and _squeezed(name) not in section_names:
            return name
    host = _host_label(url)
    return host.capitalize() if host else None


def _squeezed(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


_SECOND_LEVELS = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"})


def _host_label(url: str | None) -> str | None:
    """The site's own label in a URL's host: "reuters" of www.reuters.com, "bbc" of bbc.co.uk."""
    host = urlsplit(url).hostname if url else None
    labels = [label for label in (host or "").split(".") if label]
    if len(labels) < 2 or labels[-1].isdigit():
        return None
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVELS and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2]


def _site_name(name: str | None) -> str | None:
    """A site name without the tagline some sites append ('Site | Tagline')."""
    if name is None:
        return None
    return name.split(" | ")[0].strip(" |-–—") or None


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def clean_field(value: Any) -> str | None:
    """A metadata string fit to store and show: decoded, no controls, NFC, one line, capped."""
    if not isinstance(value, str):
        return None
    value = repair_mojibake(html.unescape(value))
    value = strip_controls(unicodedata.normalize("NFC", value))
    value = _SPACE.sub(" ", value).strip()
    return value[:_MAX_FIELD] or None


def meta_tags(tree: HtmlElement) -> dict[str, str]:
    """`<meta>` contents by lowercased name/property/itemprop; repeated keys joined by '\\n'."""
    found: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        if not key or content is None or not content.strip():
            continue
        values = found.setdefault(key.strip().lower(), [])
        if content.strip() not in values:
            values.append(content.strip())
    return {key: "\n".join(values) for key, values in found.items()}


def iso_date(value: str | None) -> str | None:
    """A date or timestamp as ISO 8601 (offset kept as given), or None if it is not one."""
    text = clean_field(value)
    if text is None:
        return None
    slash = _SLASH_DATE.match(text)
    if slash:
        text = "{}-{:0>2}-{:0>2}".format(*slash.groups())
    text = _ORDINAL.sub(r"\1", text)  # "December 17th, 2025"
    parsed = _parse_datetime(text)
    if parsed is None:
        return None
    if ":" not in text and parsed.hour == parsed.minute == 0:
        return parsed.date().isoformat()  # the page gave a date only
    return parsed.replace(microsecond=0).isoformat()


def _parse_datetime(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)  # RFC 2822, as some feeds and CMSs write it
    except (TypeError, ValueError, IndexError):
        pass
    for pattern in ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


# --- JSON-LD ---------------------------------------------------------------------------------


def json_ld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON object of the page's JSON-LD blocks, flattened out of lists and `@graph`."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        data = _load_json(script.text or "")
        if data is not None:
            yield from _flatten_ld(data)


def _load_json(text: str) -> Any:
    text = _JSON_COMMENT.sub("", text.strip()).strip().rstrip(";")
    try:
        return json.loads(text, strict=False)  # strict=False: raw newlines inside strings
    except (ValueError, RecursionError):
        return None


def _flatten_ld(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten_ld(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _flatten_ld(graph, depth + 1)


def _ld_types(obj: dict[str, Any]) -> set[str]:
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {k.rsplit("/", 1)[-1].lower() for k in kinds if isinstance(k, str)}


@dataclass(frozen=True)
class _LinkedArticle:
    """The page's main JSON-LD object, with the page's objects by `@id` to resolve references."""

    obj: dict[str, Any]
    by_id: dict[str, dict[str, Any]]

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
            return self.by_id.get(value["@id"], value)
        return value


def _article_ld(tree: HtmlElement) -> _LinkedArticle | None:
    objects = list(json_ld_objects(tree))
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    articles = [o for o in objects if _ld_types(o) & _ARTICLE_TYPES]
    pages = [o for o in objects if _ld_types(o) & _PAGE_TYPES]
    chosen = articles[0] if articles else (pages[0] if pages else None)
    return _LinkedArticle(chosen, by_id) if chosen is not None else None


def _ld_text(article: _LinkedArticle | None, key: str) -> str | None:
    if article is None:
        return None
    value = article.resolve(article.obj.get(key))
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    return value if isinstance(value, str) else None


def _ld_name(article: _LinkedArticle | None, key: str) -> str | None:
    if article is None:
        return None
    value = article.resolve(article.obj.get(key))
    if isinstance(value, list):
        value = article.resolve(value[0]) if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) else None


def _ld_authors(article: _LinkedArticle | None) -> tuple[list[str], list[str]]:
    """(people's names, organisations' names) the JSON-LD article gives as its authors."""
    if article is None:
        return [], []
    raw = article.obj.get("author") or article.obj.get("creator")
    items = raw if isinstance(raw, list) else [raw]
    people: list[str] = []
    organisations: list[str] = []
    for item in items:
        item = article.resolve(item)
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, list):
            name = " ".join(n for n in name if isinstance(n, str))
        is_organisation = isinstance(item, dict) and bool(
            _ld_types(item) & {"organization", "newsmediaorganization", "corporation"}
        )
        _add_name(organisations if is_organisation else people, name)
    return people, organisations


def _ld_url(article: _LinkedArticle | None) -> str | None:
    if article is None:
        return None
    url = article.obj.get("url")
    if isinstance(url, str):
        return url
    entity = article.obj.get("mainEntityOfPage")
    if isinstance(entity, dict):
        entity = entity.get("@id") or entity.get("url")
    return entity if isinstance(entity, str) else None


# --- meta tags and the document ---------------------------------------------------------------


def _meta_authors(metas: dict[str, str]) -> str | None:
    for key in _AUTHOR_KEYS:
        value = metas.get(key)
        if not value:
            continue
        names: list[str] = []
        for name in value.split("\n"):
            _add_name(names, name)
        if names:
            return _join_names(names)
    return None


def _add_name(names: list[str], name: Any) -> None:
    """Keep a person's or organisation's name; drop profile URLs and handles given instead."""
    name = clean_field(name)
    if name is None or "://" in name or name.startswith(("@", "www.")):
        return
    name = _AND_PREFIX.sub("", _BY_PREFIX.sub("", name))
    if name and name not in names:
        names.append(name)


def _join_names(names: list[str]) -> str | None:
    """ "A", "A and B", or "A, B, C" (as lists of contributors are usually written)."""
    if not names:
        return None
    if len(names) == 2:
        return " and ".join(names)
    return ", ".join(names)


def page_titles(tree: HtmlElement) -> list[str]:
    """The titles the page shows: its `<title>` and its first `<h1>` headings (raw text)."""
    title = _title_element(tree)
    return ([title] if title else []) + _h1_texts(tree)


def _h1_texts(tree: HtmlElement) -> list[str]:
    return [h1.text_content() for h1 in tree.iter("h1")][:2]


def _title_element(tree: HtmlElement) -> str | None:
    title = tree.find(".//title")
    return title.text_content() if title is not None else None


def _canonical_link(tree: HtmlElement) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            return link.get("href")
    return None


def _time_element_date(tree: HtmlElement) -> str | None:
    times = list(tree.iter("time"))
    for time in times:
        if time.get("itemprop") == "datePublished" or time.get("pubdate") is not None:
            return time.get("datetime") or time.text_content()
    for time in times:
        if iso_date(time.get("datetime")):
            return time.get("datetime")
    return times[0].text_content() if times else None


def _first_text(*candidates: str | None) -> str | None:
    for candidate in candidates:
        cleaned = clean_field(_first_line(candidate))
        if cleaned:
            return cleaned
    return None


def _first_date(*candidates: str | None) -> str | None:
    for candidate in candidates:
        date = iso_date(_first_line(candidate))
        if date:
            return date
    return None


def _first_line(value: str | None) -> str | None:
    """The first non-blank line (repeated meta tags are joined by newlines)."""
    if not value:
        return None
    return next((line for line in value.split("\n") if line.strip()), None)


def _first_url(base: str | None, *candidates: str | None) -> str | None:
    """The first candidate that is (or resolves against the page address to) an http(s) URL."""
    for candidate in candidates:
        cleaned = clean_field(candidate)
        if not cleaned:
            continue
        absolute = urljoin(base, cleaned) if base else cleaned
        parts = urlsplit(absolute)
        if parts.scheme in ("http", "https") and parts.netloc:
            return absolute
    return None
