"""An article page's headline, chosen between its `<h1>` and the titles its metadata gives.

Pages give the headline several times: the `<h1>` the reader sees, `og:title`, the JSON-LD
`headline`, `<title>` (often with " | Site" added). They disagree: SEO titles reword the
headline, blogs print the site's name as their `<h1>`, the JSON-LD headline is cut near 110
characters, an `<h1>` lost characters to a wrong encoding. Rules, measured on the tuning part
of the dev set (`python -m bench meta`):

- an `<h1>` that is the site's name (the outlet, the host, a host name, or the part of `<title>`
  beside `og:title` in "Site: Story") is no headline, and is cut from the titles like any site name;
- a metadata title that another one carries on (a cut headline) is read whole;
- the `<h1>`, without a site name at either end, is the headline when a metadata title (or
  its story part, without the site's name) holds it or shares enough of its words, unless it
  is a damaged copy of a metadata title;
- else the first metadata title, without its site-name part or a short trailing tag.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_WORD = re.compile(r"\w+")
_TITLE_SEPARATORS = re.compile(r"\s+[|–—•·»:/-]\s+|\s+::\s+")
_TRAILING_TAG = re.compile(r"\s+[|–—-]\s+([^|–—]+)$")
# Measured on the tuning part of the dev set: an `<h1>` of 2-30 words sharing more than this share
# of its words with a metadata title is the headline (below it, the `<h1>` is often a section's
# name). Tuning pages right by threshold: 0.1: 558, 0.15-0.22: 562, 0.25: 559, 0.3: 556 (of 627):
# an `<h1>` that rewords an SEO title shares over a fifth of its words with it more often than not.
_H1_WORD_OVERLAP = 0.2
_H1_MAX_WORDS = 30
# Google shows at most 110 characters of a JSON-LD headline; publishers cut longer ones there.
_CUT_HEADLINE_CHARS = 100
_REPLACED = re.compile("[?\ufffd]")  # what a wrong decoding leaves in place of characters
# "davidbau.com", not "Node.js" (a library's name can be a page's headline).
_HOST_NAME = re.compile(r"[\w-]+(?:\.[\w-]+)*\.(?!(?:js|ts|py|rs|md)$)[a-z]{2,}", re.IGNORECASE)


def headline(
    titles: list[str], h1s: list[str], site_names: list[str], url: str | None
) -> str | None:
    """The article's headline from the metadata titles (best source first, cleaned), the
    page's `<h1>` texts, the names the site goes by, and the page's address."""
    labels = _site_labels(site_names, url, titles)
    candidates = _completed(titles, labels)
    headings: list[str] = []
    shown: set[str] = set()  # site names the page prints as its heading
    for h1 in h1s:
        if _is_site_label(h1, candidates, labels):
            shown.add(_words(h1))
        else:
            headings.append(_without_site_name(h1, labels, edges_only=True))
    usable = [h for h in headings if not any(_damaged_copy(h, c) for c in candidates)]
    # A title without its site part ("Story - The Go Programming Language") is the story.
    stories = [_without_site_name(c, labels) for c in candidates]
    for h1 in usable:
        words = _words(h1)
        if words.count(" ") >= 1:  # two words or more: not a logo or a section name
            for candidate in [*candidates, *stories]:
                whole = _words(candidate)
                if words in whole and len(words) >= len(whole) / 2:
                    return h1
    if usable and candidates and _shares_words(usable[0], candidates):
        return usable[0]
    if not candidates:
        return headings[0] if headings else None
    title = _without_site_name(candidates[0], labels | shown)
    return _without_trailing_tag(_without_site_prefix(title, shown))


def _site_labels(site_names: list[str], url: str | None, titles: list[str]) -> set[str]:
    """The words the site's names are written with: its names, its host and the host's labels.

    A "site name" that is the story's own title (some pages fill `og:site_name` with it) is no
    name of the site."""
    stories = {_words(_TITLE_SEPARATORS.split(title)[0]) for title in titles}
    labels = {_words(name) for name in site_names} - stories
    host = urlsplit(url).hostname if url else None
    if host:
        host = host.removeprefix("www.")
        labels.add(_words(host))
        labels.update(_words(p) for p in host.split(".") if p not in ("com", "org"))
    labels.discard("")
    return labels


def _is_site_label(h1: str, titles: list[str], labels: set[str]) -> bool:
    """An `<h1>` naming the site: one of its names, a host name ("davidbau.com"), or the other
    part of a title that reads "h1: og:title" or "og:title | h1" (a blog's name printed as every
    page's heading)."""
    words = _words(h1)
    if not words or words in labels or _HOST_NAME.fullmatch(h1.strip()):
        return True
    others = {_words(title) for title in titles} - labels
    for title in titles:
        whole = _words(title)
        if whole.startswith(words + " ") and whole[len(words) + 1 :] in others:
            return True
        if whole.endswith(" " + words) and whole[: -len(words) - 1] in others:
            return True
    return False


def _completed(titles: list[str], labels: set[str]) -> list[str]:
    """The titles, a cut one (long, or with a bracket left open) replaced by the title that
    carries on from it."""
    completed = []
    for title in titles:
        if len(title) >= _CUT_HEADLINE_CHARS or title.count("(") > title.count(")"):
            start = _words(title)
            for other in titles:
                whole = _without_site_name(other, labels)
                if len(whole) > len(title) and _words(whole).startswith(start):
                    title = whole
                    break
        completed.append(title)
    return completed


def _damaged_copy(h1: str, title: str) -> bool:
    """An `<h1>` whose characters a wrong decoding replaced with "?" where the title has them
    ("Beginner? Guide" beside "Beginner's Guide")."""
    if not _REPLACED.search(h1):
        return False
    pattern = "[^?\ufffd]{1,2}".join(re.escape(part) for part in _REPLACED.split(h1))
    return re.fullmatch(pattern, title, re.IGNORECASE | re.DOTALL) is not None


def _shares_words(h1: str, candidates: list[str]) -> bool:
    words = set(_words(h1).split())
    if not 2 <= len(words) <= _H1_MAX_WORDS:
        return False
    for candidate in candidates:
        other = set(_words(candidate).split())
        if len(words & other) / len(words | other) > _H1_WORD_OVERLAP:
            return True
    return False


def _without_trailing_tag(title: str) -> str:
    """'Story | Rust Blog' as 'Story': a trailing part of one or two words is the site's tag."""
    tag = _TRAILING_TAG.search(title)
    if tag is None or len(tag.group(1).split()) > 2 or len(title[: tag.start()].split()) < 3:
        return title
    return title[: tag.start()].strip()


def _without_site_name(title: str, labels: set[str], *, edges_only: bool = False) -> str:
    """'Story - Site' or 'Site | Story' as 'Story', when a part names the site; with
    `edges_only`, only a first or last part that is one of the site's names."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    if edges_only:
        bars = list(_TITLE_SEPARATORS.finditer(title))
        if _words(parts[-1]) in labels:
            return title[: bars[-1].start()].strip()
        if _words(parts[0]) in labels:
            return title[bars[0].end() :].strip()
        return title
    kept = [p for p in parts if _words(p) not in labels and not _names_site(p, labels)]
    if not kept or len(kept) == len(parts):
        return title
    return max(kept, key=len).strip()


def _without_site_prefix(title: str, shown: set[str]) -> str:
    """'davidbau.com Vibe Coding' as 'Vibe Coding': a name of two words or more that the page
    prints as its heading, written before the story with no separator."""
    words = _words(title)
    for label in shown:
        if " " in label and words.startswith(label + " "):
            label_end = list(_WORD.finditer(title))[len(label.split()) - 1].end()
            return title[label_end:].lstrip(" :|-–—") or title
    return title


def _names_site(part: str, labels: set[str]) -> bool:
    words = _words(part)
    return bool(words) and any(words in name or name in words for name in labels)


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))
