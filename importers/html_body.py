"""The article body of a parsed page as blocks: trafilatura finds it, we shape and trim it.

trafilatura 2.3 (recall mode, comments off, tables on) locates the main content and cleans it;
on the dev set it beat our own lxml density locator feeding it, and readability's. Around it:
- before: the tree is prepared (`prepare_tree`): content a browser would show after its scripts
  ran is made visible, and every paragraph is numbered so output blocks know their source;
- during: when recall mode returns a sliver of the page's text, the balanced cascade (readability
  weighed in) gets a say (`_SLIVER_*`);
- after: its XML body becomes blocks (headings, paragraphs, lists with one item per line, tables
  with one row per line, code), section headings it dropped between two output paragraphs are
  put back (`restore_headings`), a second copy of the article is dropped
  (`without_repeated_runs`), a leading copy of the page title is dropped (the title is
  metadata), and the boilerplate tail is cut (`importers.html_tail`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import trafilatura
from lxml.etree import XPath, _Element, strip_elements
from lxml.html import HtmlElement
from trafilatura.settings import Document

from importers.formats import ImportFailure
from importers.html_tail import PageContext, PageLayout, is_stamp, kept_blocks

# trafilatura logs parse problems at ERROR level; with no handler configured Python would print
# them to stderr (the "last resort" handler), which would garble the terminal UI.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())

_BLOCK_TAGS = frozenset({"p", "head", "list", "table", "quote", "code", "div", "item", "row"})
_WORD = re.compile(r"\w+")
# Recall mode keeps trafilatura's own extraction whenever it is long enough, even when that is a
# sliver of the article (one section of a page split into several containers). When the output
# holds under this share of the words in the page's <p> elements, or of all its body text, the
# balanced cascade (which weighs readability's extraction against its own) is run as well, and
# its body is taken when it is _FALLBACK_LONGER times longer.
_SLIVER_OF_PARAGRAPHS = 0.4
_SLIVER_OF_PAGE = 0.1
_FALLBACK_LONGER = 1.5
# A repeated run of this many text blocks and words is a second copy of the article. Short
# repeats are the article's own ("What we like" under each product, table rows); on the tuning
# pages runs of one or two paragraphs repeat in the gold as often as not.
_REPEAT_MIN_BLOCKS = 3
_REPEAT_MIN_WORDS = 60
_REPEATABLE_KINDS = frozenset({"text", "heading"})
# How many leading blocks may be a copy of the title or a date line.
_LEADING_METADATA_BLOCKS = 3
_DISPLAY_NONE = re.compile(r"display\s*:\s*none\s*;?", re.I)
_HIDDEN_WITH_ID = '//*[@id][@hidden or @aria-hidden="true" or contains(@style, "none")]'
_ACCORDION_TARGETS = "//*[@aria-controls][not(@aria-haspopup)]/@aria-controls"
_NOT_PANELS = frozenset({"nav", "ul", "ol", "menu", "dialog", "form"})
_NOT_PANEL_NAMES = re.compile(r"menu|nav|cookie|consent|modal|dialog|popup|search|drawer", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+[|–—:·•»/-]\s+|\s+-\s+")
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_HEADING_MAX_WORDS = 25
# Text nodes, read in C; a word never spans two of them (itertext joined with blanks the same).
_TEXT_NODES = XPath(".//text()", smart_strings=False)
# What trafilatura deletes from the tree it extracts from and none of its fallbacks reads:
# scripts (JSON-LD aside: it reads that for forum threads and as a last-resort body), styles,
# and the text-less <meta> and <link>. Stripping them once, in C, spares each of its runs their
# copy and walks (a tenth of the page's elements).
_UNREAD_ELEMENTS = ("script", "style", "meta", "link")
_READ_SCRIPT_TYPE = "application/ld+json"
_READ_SCRIPT_KEPT_AS = "factmark-ld-json"


# Each <p> of the page gets its index in this attribute before extraction; trafilatura keeps
# attributes of the paragraphs it outputs, so each output paragraph knows where it came from.
SOURCE_ATTRIBUTE = "data-factmark-p"


@dataclass(frozen=True)
class Block:
    """One paragraph of the article: its kind (heading, text, list, table, code) and its text.

    `source` is the index of the page's `<p>` it came from (see SOURCE_ATTRIBUTE), if known.
    """

    kind: str
    text: str
    source: int | None = None


def extract_blocks(
    tree: HtmlElement, context: PageContext, titles: Iterable[str | None], url: str | None
) -> list[Block]:
    """The article's blocks in reading order, trimmed (see the module docstring).

    `context` describes the page (outlet, title), `titles` are the page's own titles (a
    leading copy is dropped), `url` is the page's address (trafilatura uses it for links).
    The tree is changed: read what else is needed from it first.
    """
    blocks, layout = untrimmed_blocks(tree, titles, url)
    return blocks[: kept_blocks(blocks, context, layout)]


def untrimmed_blocks(
    tree: HtmlElement, titles: Iterable[str | None], url: str | None
) -> tuple[list[Block], PageLayout]:
    """The article's blocks before the tail is cut, and where they sit in the page.

    These are what the tail model sees (bench/fit_html_tail.py fits it on them).
    """
    paragraphs = prepare_tree(tree)
    words = PageWords.of(tree, paragraphs)
    strip_unread_elements(tree)
    body = _trafilatura_body(tree, url, words)
    if body is None:
        return [], PageLayout.of([], paragraphs)
    blocks = restore_headings(body_blocks(body), paragraphs)
    blocks = drop_leading_metadata(without_repeated_runs(blocks), titles)
    return blocks, PageLayout.of(blocks, paragraphs)


def prepare_tree(tree: HtmlElement) -> list[HtmlElement]:
    """Make visible what a browser shows once scripts have run; number the paragraphs.

    Returns the page's `<p>` elements, indexed as SOURCE_ATTRIBUTE says.
    """
    hidden = tree.xpath(_HIDDEN_WITH_ID)
    if hidden:
        controlled = set(" ".join(tree.xpath(_ACCORDION_TARGETS)).split())
        for element in hidden:
            if _is_streamed_content(element) or _is_collapsed_panel(element, controlled):
                _unhide(element)
    paragraphs = list(tree.iter("p"))
    for index, paragraph in enumerate(paragraphs):
        paragraph.set(SOURCE_ATTRIBUTE, str(index))
    return paragraphs


@dataclass(frozen=True)
class PageWords:
    """How many words the page's <p> elements hold, and its whole body: what a sliver of the
    page is measured against (counted before `strip_unread_elements`: script text included, as
    the _SLIVER_* shares were set)."""

    in_paragraphs: int
    in_body: int

    @classmethod
    def of(cls, tree: HtmlElement, paragraphs: Sequence[HtmlElement]) -> PageWords:
        page = tree.find("body")
        return cls(
            sum(_text_words(paragraph) for paragraph in paragraphs),
            0 if page is None else _text_words(page),
        )


def _text_words(element: HtmlElement) -> int:
    return len(" ".join(_TEXT_NODES(element)).split())


def strip_unread_elements(tree: HtmlElement) -> None:
    """Remove _UNREAD_ELEMENTS, keeping the text that follows each (their tails)."""
    read_scripts = [s for s in tree.iter("script") if s.get("type") == _READ_SCRIPT_TYPE]
    for script in read_scripts:
        script.tag = _READ_SCRIPT_KEPT_AS
    strip_elements(tree, *_UNREAD_ELEMENTS, with_tail=False)
    for script in read_scripts:
        script.tag = "script"


def _is_streamed_content(element: HtmlElement) -> bool:
    """React streaming SSR sends late content in `<div hidden id="S:0">`; a script shows it."""
    return element.tag == "div" and element.get("id", "").startswith("S:")


def _is_collapsed_panel(element: HtmlElement, controlled: set[str]) -> bool:
    """An accordion panel (FAQ answers, steps): a toggle on the page opens it (aria-controls).

    Menus, pop-ups and dialogs (aria-haspopup, or named so) are not panels.
    """
    return (
        element.get("id") in controlled
        and element.tag not in _NOT_PANELS
        and _NOT_PANEL_NAMES.search(f"{element.get('id')} {element.get('class', '')}") is None
    )


def _unhide(element: HtmlElement) -> None:
    style = element.get("style")
    if style and "none" in style:
        element.set("style", _DISPLAY_NONE.sub("", style))
    element.attrib.pop("hidden", None)
    element.attrib.pop("aria-hidden", None)


def _trafilatura_body(tree: HtmlElement, url: str | None, page: PageWords) -> _Element | None:
    """trafilatura's body, its full cascade in one run; when that is a sliver of the page's
    text, the balanced cascade gets a say (see _SLIVER_*).

    In recall mode trafilatura keeps its own extraction, without running its fallbacks
    (readability, justext), whenever it is over 2,500 characters (its MIN_EXTRACTED_SIZE times
    10): a long result costs no more than `fast` would. Running `fast` first and the cascade
    only for a short result ran trafilatura twice on each short page (2 of the 791 dev pages
    came out otherwise: `fast` also keeps teaser blocks when it recovers stray text).
    """
    body = _run_trafilatura(tree, url)
    words = _word_count(body)
    if _is_sliver(words, page):
        balanced = _run_trafilatura(tree, url, favor_recall=False)
        if _word_count(balanced) > _FALLBACK_LONGER * words:
            body = balanced
    return body


def _word_count(body: _Element | None) -> int:
    return 0 if body is None else len(" ".join(body.itertext()).split())


def _is_sliver(words: int, page: PageWords) -> bool:
    """Whether `words` is a small share of the page's paragraph text or of all its text."""
    return words < _SLIVER_OF_PARAGRAPHS * page.in_paragraphs or words < (
        _SLIVER_OF_PAGE * page.in_body
    )


def _run_trafilatura(
    tree: HtmlElement, url: str | None, *, favor_recall: bool = True
) -> _Element | None:
    try:
        document = trafilatura.bare_extraction(
            tree,  # trafilatura works on a copy
            url=url,
            fast=False,
            favor_recall=favor_recall,
            include_comments=False,
            include_tables=True,
            with_metadata=False,
            output_format="xml",  # we render the body ourselves; skips trafilatura's text pass
        )
    except Exception as err:  # a third-party library on untrusted input: fail this input only
        reason = " ".join(str(err).split()) or type(err).__name__
        raise ImportFailure(f"the HTML body extractor failed: {reason}") from None
    return document.body if isinstance(document, Document) else None  # never a dict: no as_dict


# --- trafilatura's XML body to paragraphs ------------------------------------------------------


def body_blocks(body: _Element) -> list[Block]:
    """Blocks of trafilatura's XML body: one per paragraph, lists and tables as lines."""
    blocks: list[Block] = []
    _render_children(body, blocks)
    return [block for block in blocks if _WORD.search(block.text)]


def _render_children(parent: _Element, out: list[Block]) -> None:
    """Render a mixed element: runs of inline text become paragraphs, blocks render themselves."""
    run: list[str] = [parent.text or ""]
    for child in parent:
        if not isinstance(child.tag, str):
            run.append(child.tail or "")
            continue
        if child.tag in _BLOCK_TAGS or _holds_blocks(child):
            _flush(run, out)
            _render_block(child, out)
            run = [child.tail or ""]
        else:
            run.append(_inline_text(child))
            run.append(child.tail or "")
    _flush(run, out)


def _render_block(element: _Element, out: list[Block]) -> None:
    tag = element.tag
    if tag == "list":
        out.append(Block("list", "\n".join(_list_lines(element, depth=0))))
    elif tag == "table":
        out.append(Block("table", "\n".join(_table_lines(element))))
    elif tag == "code":
        out.append(Block("code", _code_text(element)))
    elif tag == "head":
        out.append(Block("heading", _inline_text(element)))
    elif not _holds_blocks(element):
        out.append(Block("text", _inline_text(element), _source_index(element)))
    else:
        _render_children(element, out)


def _source_index(element: _Element) -> int | None:
    value = element.get(SOURCE_ATTRIBUTE)
    return int(value) if value is not None and value.isdigit() else None


def _list_lines(list_element: _Element, depth: int) -> list[str]:
    lines: list[str] = []
    indent = "  " * depth
    for item in list_element:
        if item.tag != "item":
            text = _inline_text(item)
            if text:
                lines.append(f"{indent}- {text}")
            continue
        nested = [child for child in item if child.tag == "list"]
        for child in nested:
            item.remove(child)  # rendered below, after the item's own text
        text = _inline_text(item)
        if text:
            lines.append(f"{indent}- {text}")
        for child in nested:
            lines.extend(_list_lines(child, depth + 1))
    return lines


def _table_lines(table: _Element) -> list[str]:
    lines = []
    for row in table.iter("row"):
        cells = [_inline_text(cell) for cell in row if isinstance(cell.tag, str)]
        cells = [cell for cell in cells if cell]
        if cells:
            lines.append(" | ".join(cells))
    return lines


def _code_text(element: _Element) -> str:
    text = "".join(element.itertext())
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())


def _inline_text(element: _Element) -> str:
    """An element's text on one line per `<lb>`, inner whitespace collapsed."""
    if len(element) == 0:
        return " ".join((element.text or "").split())
    parts: list[str] = []
    _collect_inline(element, parts)
    return _join_lines(parts)


def _join_lines(parts: list[str]) -> str:
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _collect_inline(element: _Element, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            if child.tag == "lb":
                parts.append("\n")
            else:
                block = child.tag in _BLOCK_TAGS
                parts.append("\n" if block else "")
                _collect_inline(child, parts)
                parts.append("\n" if block else "")
        if child.tail:
            parts.append(child.tail)


def _holds_blocks(element: _Element) -> bool:
    return any(isinstance(child.tag, str) and child.tag in _BLOCK_TAGS for child in element)


def _flush(run: list[str], out: list[Block]) -> None:
    text = _join_lines(run)
    if text:
        out.append(Block("text", text))


# --- headings trafilatura dropped -------------------------------------------------------------


def restore_headings(blocks: list[Block], paragraphs: Sequence[HtmlElement]) -> list[Block]:
    """The blocks with the page's headings put back between the paragraphs they divide.

    When trafilatura's main pass comes up short it recovers the article from paragraphs, lists
    and divs, never headings, so whole pages lose their section titles. A heading that lies
    between two consecutive output paragraphs, all three siblings, belongs to the article,
    unless the output has its text. It goes back right after the first paragraph when only
    headings come between them in the page before it (a heading that opens a list goes before
    the list), else right before the second.
    """
    restored: list[Block] = []
    present: set[str] | None = None  # the output's lines as words, read once a heading is found
    previous: HtmlElement | None = None
    after_previous = 0  # where in `restored` the block after the previous paragraph goes
    for block in blocks:
        if block.kind == "heading":
            previous = None  # trafilatura kept the section's heading
        elif block.source is not None:
            current = paragraphs[block.source]
            if previous is not None:
                opening: list[Block] = []
                for heading, opens in _headings_between(previous, current):
                    if present is None:
                        present = {_words(line) for b in blocks for line in b.text.splitlines()}
                    words = _words(heading)
                    if words not in present:
                        present.add(words)
                        (opening if opens else restored).append(Block("heading", heading))
                restored[after_previous:after_previous] = opening
            previous = current
            after_previous = len(restored) + 1
        restored.append(block)
    return restored


def _headings_between(first: HtmlElement, second: HtmlElement) -> list[tuple[str, bool]]:
    """The text of the headings among the siblings between `first` and `second`, each with
    whether only headings precede it there."""
    if second.getparent() is not first.getparent():
        return []
    found: list[tuple[str, bool]] = []
    opens = True
    for sibling in first.itersiblings():
        if sibling is second:
            return found
        if sibling.tag in _HEADING_TAGS:
            text = " ".join(sibling.text_content().split())
            if _WORD.search(text) and len(text.split()) <= _HEADING_MAX_WORDS:
                found.append((text, opens))
        elif _WORD.search(sibling.text_content()):
            opens = False
    return []  # `second` comes before `first` in the page: nothing lies between them


# --- trimming ---------------------------------------------------------------------------------


def without_repeated_runs(blocks: list[Block]) -> list[Block]:
    """The blocks without a second copy of a run of paragraphs the output already holds.

    Some pages carry the article twice (a print or mobile copy, a preview above the full text)
    and trafilatura keeps both. A run of _REPEAT_MIN_BLOCKS or more text blocks (headings
    included, lists and tables not: a table's rows repeat by design), _REPEAT_MIN_WORDS words
    in all, equal one by one to an earlier run, is dropped.
    """
    first_at: dict[str, int] = {}
    dropped: set[int] = set()
    position = 0
    while position < len(blocks):
        length = _repeat_length(blocks, first_at.get(blocks[position].text), position)
        if length:
            dropped.update(range(position, position + length))
            position += length
            continue
        if blocks[position].kind in _REPEATABLE_KINDS:
            first_at.setdefault(blocks[position].text, position)
        position += 1
    if not dropped:
        return blocks
    return [block for index, block in enumerate(blocks) if index not in dropped]


def _repeat_length(blocks: list[Block], earlier: int | None, position: int) -> int:
    """How many blocks from `position` on repeat those from `earlier` on (0 if too few)."""
    if earlier is None:
        return 0
    length = words = 0
    while (
        position + length < len(blocks)
        and earlier + length < position
        and blocks[position + length].kind in _REPEATABLE_KINDS
        and blocks[position + length].text == blocks[earlier + length].text
    ):
        words += len(blocks[position + length].text.split())
        length += 1
    return length if length >= _REPEAT_MIN_BLOCKS and words >= _REPEAT_MIN_WORDS else 0


def drop_leading_metadata(blocks: list[Block], titles: Iterable[str | None]) -> list[Block]:
    """Without a leading copy of the page title or date lines (they are kept as metadata)."""
    known = _title_forms(titles)
    start = 0
    while start < min(_LEADING_METADATA_BLOCKS, len(blocks) - 1) and (
        _words(blocks[start].text) in known or is_stamp(blocks[start].text)
    ):
        start += 1
    return blocks[start:]


def _title_forms(titles: Iterable[str | None]) -> set[str]:
    """Each title as lowercase words, also each part around a ' | ' / ' - ' site-name separator."""
    forms: set[str] = set()
    for title in titles:
        if not title:
            continue
        for part in [title, *_TITLE_SEPARATORS.split(title)]:
            words = _words(part)
            if len(words.split()) >= 2:
                forms.add(words)
    return forms


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))
