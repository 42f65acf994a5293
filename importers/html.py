"""Saved HTML article pages to clean `Article`s: canonical body text plus page metadata.

    from importers.html import extract_html, HTML_EXTRACTOR_VERSION
    article = extract_html(data, url="https://example.org/story")

Pipeline: refuse what is not an article page (empty, binary, oversized), decode
(`importers.html_decode`), parse once with lxml, read the metadata (`importers.html_meta`),
extract the body (`importers.html_body`: trafilatura plus our preparation and trimming, the tail
model in `importers.html_tail`), and join the blocks into canonical text (`vocabulary.text`).
"""

from __future__ import annotations

import re
import threading

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from importers.formats import ImportFailure
from importers.html_body import extract_blocks
from importers.html_decode import (
    MAX_HTML_BYTES,
    check_size,
    check_text_like,
    decode_html,
    decompress_if_gzip,
    repair_mojibake,
    without_invalid_references,
)
from importers.html_meta import PageMeta, extract_meta, page_titles
from importers.html_tail import PageContext
from vocabulary.records import Article
from vocabulary.text import canonical_text

__all__ = [
    "HTML_EXTRACTOR_VERSION",
    "MAX_HTML_BYTES",
    "MAX_HTML_TAGS",
    "MAX_MARKUP_CHARS",
    "extract_html",
]

# Bump whenever a change can alter the text extracted from the same bytes (stored documents
# record it, so re-extraction can tell old output from new).
HTML_EXTRACTOR_VERSION = "1.3"

# What a page may hold outside scripts, styles, comments and inline (data: URI) files: this many
# characters of markup and this many start tags. The largest of the 200 dev pages has 0.85 MB in
# all and under 4,000 elements; trafilatura needs about 5 s per 100,000 elements, and up to 9 s
# per 100,000 links: the tag limit keeps any page under about 3 s.
MAX_MARKUP_CHARS = 8_000_000
MAX_HTML_TAGS = 30_000
# Attributes one element may have: libxml2 checks each new attribute against the element's
# earlier ones, so parsing is quadratic in this (40,000 took 37 s through extraction's three
# parses). Real elements have a handful; 1,000 parse in milliseconds.
MAX_ATTRIBUTES = 1_000

# An article has at least one paragraph this long; menus and link lists alone do not count.
MIN_PARAGRAPH_WORDS = 6

_XML_DECLARATION = re.compile(r"\s*<\?xml[^>]*\?>")
# Where non-markup starts, and the string that ends it (None: the run of base64 characters).
_NON_MARKUP_START = re.compile(r"<(script|style|template)\b|<!--|\bdata:[\w/+.-]+;base64,", re.I)
_BASE64_RUN = re.compile(r"[\w+/=\s]*")
_START_TAG = re.compile(r"<[A-Za-z]")
# A start tag's name and what follows up to its ">", read as HTML reads it: a quote opens a
# value only right after "=", and such a value may hold ">". Alternatives start differently (a
# lone "=" last), so hostile markup cannot make the match backtrack. Or a comment's opener.
_TAG_BODY = re.compile(r"""<([A-Za-z][^\s/>]*)((?:[^>=]+|=\s*"[^"]*"|=\s*'[^']*'|=)*)|<!--""")
# Elements whose content the parser reads as text, not markup, up to their end tag.
_RAW_TEXT_END = {name: re.compile(f"</{name}", re.I) for name in ("script", "style")}
_QUOTED_VALUE = re.compile(r"""=\s*(?:"[^"]*"|'[^']*')""")
_ATTRIBUTE = re.compile(r"""[^\s>/=]+(?:\s*=\s*[^\s>=]*)?""")  # quoted values made "=Q"
# Every element an HtmlElement, chosen in C: lxml.html's own lookup is a Python call for each
# element reached (a million on 300 pages, trafilatura walking its copies), to give forms and
# inputs classes of their own that nothing here uses.
_HTML_CLASSES = lxml.etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)
# lxml parsers must not be shared between threads (imports may run in worker threads).
_PARSERS = threading.local()


def extract_html(data: bytes, *, url: str | None = None) -> Article:
    """The article of a saved HTML page: canonical body text, title, byline, date, outlet, URL.

    `url` is where the page came from, used when the page names no canonical URL of its own.
    Raises ImportFailure (one-line reason) for empty or binary input, a page with no article
    text (no paragraph of MIN_PARAGRAPH_WORDS words), and oversized input, refused before
    parsing: over MAX_HTML_BYTES (64 MB; gzip input is decompressed up to that size), or, once
    scripts, styles, comments and inline data: files are set aside, over MAX_MARKUP_CHARS
    (8 MB) of markup or MAX_HTML_TAGS (30,000) start tags. Within those limits extraction takes
    a few seconds at most: a 50 MB saved page whose bulk is inlined images and scripts takes
    well under one; a 50 MB page of text markup is refused in a fraction of a second.
    """
    check_size(data)
    data = decompress_if_gzip(data)
    check_text_like(data)
    markup = decode_html(data)
    tree = parse_html(markup)
    meta = extract_meta(tree, url)
    context = PageContext.of(meta.outlet, meta.url, meta.title)
    titles = (meta.title, *page_titles(tree))
    blocks = extract_blocks(tree, context, titles, meta.url)
    if not any(len(block.text.split()) >= MIN_PARAGRAPH_WORDS for block in blocks):
        raise ImportFailure("no article text found in the HTML page")
    text = repair_mojibake("\n\n".join(block.text for block in blocks))
    return _article(canonical_text(text), meta)


def parse_html(markup: str) -> HtmlElement:
    """The page's lxml tree; refuses markup too big to extract in reasonable time and memory."""
    check_markup_size(markup)
    check_attribute_counts(markup)
    markup = without_invalid_references(markup)
    declaration = _XML_DECLARATION.match(markup)
    if declaration:  # lxml refuses str input that declares an encoding
        markup = markup[declaration.end() :]
    if not markup.strip():
        raise ImportFailure("no article text found in the HTML page")
    try:
        tree = lxml.html.document_fromstring(markup, parser=_html_parser())
    except (ValueError, lxml.etree.ParserError) as err:
        raise ImportFailure(f"HTML cannot be parsed: {err}") from None
    return tree


def _html_parser() -> lxml.html.HTMLParser:
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = lxml.html.HTMLParser(
            remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False
        )
        parser.set_element_class_lookup(_HTML_CLASSES)
        _PARSERS.parser = parser
    return parser


def check_markup_size(markup: str) -> None:
    """Refuse a page whose markup (scripts, styles, comments, inline files aside) is too big."""
    if len(markup) <= MAX_MARKUP_CHARS and markup.count("<") <= MAX_HTML_TAGS:
        return  # the common case, decided without a pass over the markup
    bare = markup_without_payloads(markup)
    if len(bare) > MAX_MARKUP_CHARS:
        raise ImportFailure(
            f"HTML page has {len(bare) / 1e6:.1f} MB of markup besides scripts, styles and"
            f" inline files, over the {MAX_MARKUP_CHARS / 1e6:.0f} MB an article page can have"
        )
    tags = len(_START_TAG.findall(bare))
    if tags > MAX_HTML_TAGS:
        raise ImportFailure(
            f"HTML page has {tags:,} tags, over the {MAX_HTML_TAGS:,} an article page can have"
        )


def check_attribute_counts(markup: str) -> None:
    """Refuse a page with an element of more than MAX_ATTRIBUTES attributes, in one linear pass.

    The markup is read as the parser reads it, tag after tag: comments and the text of scripts
    and styles are skipped (they hold no elements). Setting them aside first, as a
    separate pass, took longer than the parse, and missed tags that open one of them inside
    their own attributes.
    """
    if len(markup) <= 2 * MAX_ATTRIBUTES:
        return  # too little markup for any element to have that many
    position = 0
    while (tag := _TAG_BODY.search(markup, position)) is not None:
        position = tag.end()
        name, body = tag.group(1, 2)
        if name is None:  # a comment
            end = markup.find("-->", position)
            position = end + 3 if end >= 0 else len(markup)
            continue
        if len(body) > 2 * MAX_ATTRIBUTES:  # each attribute takes at least a blank and a letter
            _check_attribute_count(body)
        raw_text_end = _RAW_TEXT_END.get(name.lower())
        if raw_text_end is not None:
            end_tag = raw_text_end.search(markup, position)
            position = end_tag.start() if end_tag is not None else len(markup)


def _check_attribute_count(body: str) -> None:
    names = len(_ATTRIBUTE.findall(_QUOTED_VALUE.sub("=Q", body)))
    if names > MAX_ATTRIBUTES:
        raise ImportFailure(
            f"HTML page has an element with {names:,} attributes, over the"
            f" {MAX_ATTRIBUTES:,} an element of an article page can have"
        )


def markup_without_payloads(markup: str) -> str:
    """The markup without scripts, styles, templates, comments and inline base64 files.

    One pass: each opener is matched with the first closer after it (an unclosed one runs
    to the end), so hostile input cannot make it quadratic.
    """
    kept: list[str] = []
    position = 0
    lowered = markup.lower()
    while (start := _NON_MARKUP_START.search(markup, position)) is not None:
        kept.append(markup[position : start.start()])
        if start.group(1):
            close = lowered.find(f"</{start.group(1).lower()}", start.end())
            close = lowered.find(">", close) + 1 if close >= 0 else -1
        elif start.group(0) == "<!--":
            close = lowered.find("-->", start.end())
            close = close + 3 if close >= 0 else -1
        else:
            run = _BASE64_RUN.match(markup, start.end())
            assert run is not None  # the pattern matches the empty string
            close = run.end()
        if close <= 0:
            return "".join(kept)
        position = max(close, start.end())
    kept.append(markup[position:])
    return "".join(kept)


def _article(text: str, meta: PageMeta) -> Article:
    return Article(
        text=text,
        title=meta.title,
        byline=meta.byline,
        published=meta.published,
        outlet=meta.outlet,
        url=meta.url,
        extractor="html",
        extractor_version=HTML_EXTRACTOR_VERSION,
    )
