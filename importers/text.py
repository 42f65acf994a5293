"""Plain-text page scrapes (copy-pasted pages, text-browser dumps) to clean Articles.

    from importers.text import extract_text
    article = extract_text(scraped)   # Article(text=..., title=..., extractor="text")

The work is done in three steps, each in its own module: `text_lines` re-joins hard-wrapped rows
into one logical line per paragraph, `text_classify` scores the lines and keeps the article
region, `text_meta` reads title, byline, date and outlet from the lines around it.
"""

from __future__ import annotations

import re
import unicodedata

from importers.formats import ImportFailure
from importers.text_classify import select_article
from importers.text_lines import Line, logical_lines
from importers.text_meta import ScrapeMeta, scrape_meta
from vocabulary.records import Article
from vocabulary.text import strip_controls

TEXT_EXTRACTOR_VERSION = "1.3"
# The most text a scrape may hold, as for an HTML page's markup (html.MAX_MARKUP_CHARS): the
# longest articles are well under 1 MB, and cleaning 25 MB takes 9 s.
MAX_TEXT_CHARS = 8_000_000

# Paragraphs are joined as canonical text joins them. The result needs no second pass through
# canonical_text(): the input was normalised (newlines, controls, NFC) by normalised_input(),
# every line is stripped and non-empty, and joining NFC pieces at a newline or space keeps NFC.
PARAGRAPH_BREAK = "\n\n"

# The line separators canonical_text knows (after CR LF): each becomes a newline first.
_LINE_BREAK_CHARS = "\r\u2028\u2029\u0085\x0b\x0c"
_LINE_BREAKS = re.compile(f"[{_LINE_BREAK_CHARS}]")


def extract_text(text: str) -> Article:
    """The article of a plain-text scrape: body as canonical text, plus what the page says about it.

    Raises ImportFailure (one-line reason) when there is no article text at all, or more than
    MAX_TEXT_CHARS of it.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise ImportFailure(
            f"the scrape holds {len(text) / 1e6:.1f} million characters, over the"
            f" {MAX_TEXT_CHARS / 1e6:.0f} million an article can have"
        )
    lines = logical_lines(normalised_input(text))
    if not lines:
        raise ImportFailure("no text: the scrape is empty or only whitespace")
    selection = select_article(lines)
    if not selection.body:
        raise ImportFailure("no article text: the scrape holds only menus, links and boilerplate")
    meta = scrape_meta(lines, selection.body, set(selection.furniture))
    body = body_without_meta(selection.body, meta)
    return Article(
        text=PARAGRAPH_BREAK.join(paragraphs(lines, body)),
        title=meta.title,
        byline=meta.byline,
        published=meta.published,
        outlet=meta.outlet,
        extractor="text",
        extractor_version=TEXT_EXTRACTOR_VERSION,
    )


def normalised_input(text: str) -> str:
    """The scrape with `\\n` newlines, no control or bidi-override characters, in NFC.

    The same steps canonical_text() starts with; the output is canonicalised again at the end.
    """
    # Looking for each separator with `in` is many times faster than one regex over the page.
    if any(separator in text for separator in _LINE_BREAK_CHARS):
        text = _LINE_BREAKS.sub("\n", text.replace("\r\n", "\n"))
    if not _all_printable(text):
        text = strip_controls(text)
    return unicodedata.normalize("NFC", text)


def _all_printable(text: str) -> bool:
    """True when every character is printable, newlines and no-break spaces aside: then the
    scrape holds none of the characters strip_controls removes (all are of the Unicode
    categories Cc, Cf or Cs, never printable). str.isprintable tests a page in C several times
    faster than strip_controls' regex scans it, and most pages pass."""
    return text.replace("\n", " ").replace("\xa0", " ").isprintable()


def body_without_meta(body: list[int], meta: ScrapeMeta) -> list[int]:
    """The body minus the headline, byline and date lines: those are metadata, not article text.

    A scrape that is nothing but one such line keeps it rather than come out empty.
    """
    remaining = [i for i in body if i not in meta.used]
    return remaining or body


def paragraphs(lines: list[Line], body: list[int]) -> list[str]:
    """Body lines as paragraphs: one per prose line; runs of list items or table rows stay one."""
    result: list[str] = []
    previous: Line | None = None
    previous_index = -2
    for i in body:
        line = lines[i]
        text = f"{line.marker} {line.text}" if line.marker else line.text
        if previous is not None and previous_index == i - 1 and _same_group(previous, line):
            result[-1] = f"{result[-1]}\n{text}"
        else:
            result.append(text)
        previous, previous_index = line, i
    return result


def _same_group(previous: Line, line: Line) -> bool:
    """Consecutive list items, or consecutive table rows, of one block read as one unit."""
    if previous.block != line.block:
        return False
    return (previous.bullet and line.bullet) or (previous.tabular and line.tabular)
