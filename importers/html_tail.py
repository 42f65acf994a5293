"""Trimming what follows an article: author bios, pitches, related links, legal notes.

Extractors stop late. After the last paragraph pages add "About the author", newsletter and demo
pitches, "Related posts", disclaimers and share prompts; on the dev set these tails hold the
largest share of the extra text. Each of the last TAIL_MAX_BLOCKS blocks gets the log-odds of
being boilerplate from a small logistic model, and the trailing run with the largest positive
sum is dropped (never more than TAIL_MAX_SHARE of the article's words). The model looks at:

- what the block says: words that pitch, relate, credit, disclaim, share or stamp a date; "we";
  the outlet's name; words of the title; whether it reads as a sentence; its length and kind;
- where it sits in the page: outside the container that holds most of the article's opening
  paragraphs, how deep below it, inside elements whose class or id names boilerplate.

Pages where no output paragraph can be placed in the page are left as they are. Weights were
fitted (logistic regression, L2, C=0.3, blocks weighted by the square root of their words,
labels from the gold bodies) on the dev set's tuning pages only (bench/dev_split.py holds a
fifth out); bench/fit_html_tail.py redoes the fit. The cut is worth little on its own: with
extractor 1.2 (headings put back), F1 on the tuning pages goes from 0.9429 (no cut) to 0.9447,
0.9452 when each half is cut by the model fitted on the other half's tuning pages; on the
held-out pages from 0.9479 to 0.9489. A refit after the headings came back gave the same
tuning figure and 0.0001 less held-out, so these weights stay.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from lxml.html import HtmlElement


class TextBlock(Protocol):
    """A block of extracted text; `source` indexes the page paragraph it came from, if known.

    Read-only members, so frozen dataclasses (importers.html_body.Block) satisfy it.
    """

    @property
    def kind(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def source(self) -> int | None: ...


# Words that pitch, relate, credit, disclaim or share; matched on lowercased text.
_KEYWORD_GROUPS: dict[str, str] = {
    "pitch": (
        r"subscribe|newsletter|sign[ -]?up|join (us|our|the)|follow (us|me)|download|"
        r"free trial|get started|book a|contact us|get in touch|learn more|click here|"
        r"register|try .{0,20}free|start (a|your) free|request a|schedule a|explore our|"
        r"check out|get (the|our|your)|call us|talk to|let'?s (talk|chat|get)|"
        r"sign in|log ?in|inbox|updates?"
    ),
    "related": (
        r"related|recent posts?|popular|read more|read next|also like|more from|"
        r"other posts?|further reading|recommended|see also|more stories|latest|trending|"
        r"you may|you might|next post|previous post|more articles|keep reading"
    ),
    "credit": (
        r"about the (author|reviewer|writer)|written by|reviewed by|edited by|"
        r"fact[- ]checked|author|contributor|editor|writer|journalist|reporter|"
        r"founder|co-founder|ceo|specializes|holds a|graduated|lives in|bio"
    ),
    "legal": (
        r"copyright|all rights reserved|disclaimer|disclosure|affiliate|commission|"
        r"terms of (use|service)|privacy|cookies?|not (intended|a substitute)|medical advice|"
        r"legal advice|sponsored|advertis\w*"
    ),
    "share": (
        r"share|tweet|facebook|twitter|linkedin|instagram|pinterest|youtube|tiktok|"
        r"whatsapp|reddit|email this|print"
    ),
}
# One word boundary around all the groups, not one per group: the same matches, and a position
# inside a word is rejected once instead of once per group (a third faster on long blocks).
_KEYWORDS = re.compile(
    r"\b(?:"
    + "|".join(f"(?P<{name}>{words})" for name, words in _KEYWORD_GROUPS.items())
    + r")\b|(?P<copyright_sign>©)"
)
# A date, a reading time or an "updated ..." line standing alone.
_STAMP = re.compile(
    r"^\W*((updated|published|posted|last updated|last reviewed)\b.*|"
    r"\d+\s*min(ute)?s?( read)?|"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}|"
    r"\d{1,2} (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4}|"
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4})\W*$"
)
_STAMP_MAX_CHARS = 80
_BOILERPLATE_CLASS = re.compile(
    r"author|bio|byline|related|recommend|share|social|newsletter|subscri|signup|cta|promo|"
    r"banner|sidebar|widget|footer|comment|disclaimer|disclosure|tags|meta|more|popular|"
    r"trending|next|prev|card|teaser|listing|feed|ad[s_-]|sponsor|callout|box|signature",
    re.I,
)
_WORD = re.compile(r"\w+")
_SECOND_PERSON = frozenset({"you", "your", "yours"})
_FIRST_PLURAL = frozenset({"we", "our", "us", "ours"})
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_NAME_WORD = re.compile(r"[A-Z][\w'’-]+")

TAIL_BIAS = -0.17
TAIL_WEIGHTS: dict[str, float] = {
    # what the block says
    "pitch": 0.63,
    "related": -0.09,
    "credit": 0.29,
    "legal": 0.74,
    "share": 0.26,
    "stamp": 0.66,
    "we": 1.41,
    "you": 0.03,
    "outlet": 0.63,
    "title_words": -0.77,
    "sentence": -0.58,
    "short": -0.38,
    "log_words": -2.96,
    "kind_heading": -1.56,
    "near_end": 2.61,
    "last": -0.90,
    # where it sits in the page
    "outside_main": 2.10,
    "depth_below": 0.92,
    "boilerplate_class": 0.42,
    "own_source": -0.94,
}
TAIL_MAX_BLOCKS = 20
TAIL_MAX_SHARE = 0.35
# The "main" container holds at least this share of the opening paragraphs' elements.
_MAIN_SHARE = 0.7
_GENERIC_HOST_PARTS = frozenset({"www", "com", "org", "net", "co", "blog", "news"})


@dataclass(frozen=True)
class PageContext:
    """What the page says about itself: its outlet and title, to recognise self-promotion."""

    outlet_words: frozenset[str]
    title_words: frozenset[str]

    @classmethod
    def of(cls, outlet: str | None, url: str | None, title: str | None) -> PageContext:
        outlet_words = {w.lower() for w in _NAME_WORD.findall(outlet or "") if len(w) > 2}
        host = urlsplit(url).hostname if url else None
        if host:
            parts = [p for p in host.split(".") if p not in _GENERIC_HOST_PARTS]
            outlet_words.update(p.lower() for p in parts[:1] if len(p) > 3)
        return cls(frozenset(outlet_words), frozenset(_topic_words(title or "")))


@dataclass(frozen=True)
class PageLayout:
    """The page's paragraphs and the container holding most of the article's opening text."""

    paragraphs: Sequence[HtmlElement]
    main: HtmlElement | None
    _named_boilerplate: dict[HtmlElement, bool] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def of(cls, blocks: Sequence[TextBlock], paragraphs: Sequence[HtmlElement]) -> PageLayout:
        opening = blocks[: max(1, len(blocks) * 2 // 3)]
        elements = [paragraphs[b.source] for b in opening if b.source is not None]
        return cls(paragraphs, _deepest_common_container(elements))

    def named_boilerplate(self, element: HtmlElement) -> bool:
        """Whether the element's class or id names boilerplate (cached per element)."""
        known = self._named_boilerplate.get(element)
        if known is None:
            known = bool(_BOILERPLATE_CLASS.search(_class_and_id(element)))
            self._named_boilerplate[element] = known
        return known

    def source_of(self, blocks: Sequence[TextBlock], position: int) -> HtmlElement | None:
        """The page element of a block, or of its nearest neighbour that has one."""
        order = [position, *range(position + 1, len(blocks)), *range(position - 1, -1, -1)]
        for index in order:
            source = blocks[index].source
            if source is not None:
                return self.paragraphs[source]
        return None


def kept_blocks(
    blocks: Sequence[TextBlock],
    context: PageContext,
    layout: PageLayout,
    weights: Mapping[str, float] = TAIL_WEIGHTS,
    bias: float = TAIL_BIAS,
) -> int:
    """How many blocks the article keeps: the end of `blocks` that scores as boilerplate goes.

    The trailing run with the largest positive sum of log-odds goes, within TAIL_MAX_BLOCKS
    and TAIL_MAX_SHARE of the article's words: one ambiguous block inside a run of clear
    boilerplate goes with it. `weights` and `bias` are the model's (other values only to
    evaluate a refit, see bench/fit_html_tail.py).
    """
    if layout.main is None:
        return len(blocks)  # no paragraph says where the article sits: too little to judge
    budget = TAIL_MAX_SHARE * sum(_word_count(block.text) for block in blocks)
    keep, best, gain, dropped = len(blocks), 0.0, 0.0, 0
    for position in range(len(blocks) - 1, max(0, len(blocks) - 1 - TAIL_MAX_BLOCKS), -1):
        dropped += _word_count(blocks[position].text)
        if dropped > budget:
            break
        features = tail_features(blocks, position, context, layout)
        gain += boilerplate_log_odds(features, weights, bias)
        if gain > best:
            keep, best = position, gain
    return keep


def boilerplate_log_odds(
    features: dict[str, float],
    weights: Mapping[str, float] = TAIL_WEIGHTS,
    bias: float = TAIL_BIAS,
) -> float:
    """The model's log-odds that a block with these features is not part of the article."""
    return bias + sum(weights.get(name, 0.0) * value for name, value in features.items())


def tail_features(
    blocks: Sequence[TextBlock], position: int, context: PageContext, layout: PageLayout
) -> dict[str, float]:
    """Everything the model looks at for one block: its text and its place in the page."""
    features = text_features(blocks[position], context, len(blocks) - 1 - position)
    features.update(layout_features(blocks, position, layout))
    return features


def text_features(block: TextBlock, context: PageContext, from_end: int) -> dict[str, float]:
    """What one block says and how (values in [0, 1])."""
    text = block.text
    lowered = text.lower()
    lower = _WORD.findall(lowered)
    count = len(lower) or 1
    topic = [w for w in lower if len(w) > 3 and not w.isdigit()]
    found = {match.lastgroup for match in _KEYWORDS.finditer(lowered)}
    features = {name: float(name in found) for name in _KEYWORD_GROUPS}
    if "copyright_sign" in found:
        features["legal"] = 1.0
    stamp = is_stamp(lowered)
    features.update(
        {
            "we": min(1.0, 10 * sum(w in _FIRST_PLURAL for w in lower) / count),
            "you": min(1.0, 10 * sum(w in _SECOND_PERSON for w in lower) / count),
            "outlet": float(not context.outlet_words.isdisjoint(lower)),
            "title_words": sum(w in context.title_words for w in topic) / len(topic)
            if topic
            else 0.0,
            "sentence": float(bool(_SENTENCE_END.search(text.rstrip()))),
            "stamp": float(stamp),
            "short": float(len(lower) <= 4),
            "log_words": math.log1p(len(lower)) / 5,
            "kind_heading": float(block.kind == "heading"),
            "near_end": 1.0 / (1 + from_end),
            "last": float(from_end == 0),
        }
    )
    return features


def layout_features(
    blocks: Sequence[TextBlock], position: int, layout: PageLayout
) -> dict[str, float]:
    """Where a block sits relative to the article's main container (values in [0, 1])."""
    element = layout.source_of(blocks, position)
    if element is None or layout.main is None:
        return {}
    between: list[HtmlElement] = []
    inside = False
    for ancestor in element.iterancestors():
        if ancestor is layout.main:
            inside = True
            break
        between.append(ancestor)
    if not inside:
        between = between[:8]
    boilerplate = any(layout.named_boilerplate(e) for e in [element, *between])
    return {
        "outside_main": float(not inside),
        "depth_below": min(1.0, len(between) / 6) if inside else 0.0,
        "boilerplate_class": float(boilerplate),
        "own_source": float(blocks[position].source is not None),
    }


def is_stamp(text: str) -> bool:
    """Whether a block is only a date, a reading time or an "Updated ..." line."""
    lowered = text.strip().lower()
    return len(lowered) <= _STAMP_MAX_CHARS and _STAMP.match(lowered) is not None


def _deepest_common_container(elements: Sequence[HtmlElement]) -> HtmlElement | None:
    """The deepest element holding at least _MAIN_SHARE of `elements`."""
    if len(elements) < 2:
        return elements[0].getparent() if elements else None
    counts: dict[HtmlElement, int] = {}
    for element in elements:
        for ancestor in element.iterancestors():
            counts[ancestor] = counts.get(ancestor, 0) + 1
    needed = math.ceil(_MAIN_SHARE * len(elements))
    best, best_depth = None, -1
    for ancestor, count in counts.items():
        if count >= needed:
            depth = sum(1 for _ in ancestor.iterancestors())
            if depth > best_depth:
                best, best_depth = ancestor, depth
    return best


def _class_and_id(element: HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _topic_words(text: str) -> Iterable[str]:
    return (w.lower() for w in _WORD.findall(text) if len(w) > 3 and not w.isdigit())


def _word_count(text: str) -> int:
    return len(text.split())
