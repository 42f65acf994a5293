"""The canonical form of article text: the one string span offsets index into, forever."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls except \t and \n, DEL, and the bidi embedding/override/isolate controls
# (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): they can reorder or hide text on a terminal. And lone
# surrogates (from a JSON "\\ud800" escape): not characters, so nothing can encode them as UTF-8.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# What a terminal must not be sent raw, as `escape_controls` writes it visibly instead: the
# characters above but \t and \n, line separators, and lone surrogates (unencodable). In JSON
# only these can appear raw (json.dumps escapes C0 itself), so escaping keeps it the same JSON.
_ESCAPED = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\u0085\x0b\x0c]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")


def strip_controls(text: str) -> str:
    """Remove characters that must never reach a terminal or an offset (keeps \\n and \\t)."""
    return _INVISIBLE.sub("", text)


def escape_controls(text: str) -> str:
    """`text` with every character a terminal would act on (`_ESCAPED`) written as a visible
    \\uXXXX escape: for JSON, the same JSON; for other text, what a reader at a terminal sees."""
    return _ESCAPED.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def terminal_json(value: object, *, indent: int | None = None) -> str:
    """`value` as JSON (non-ASCII text kept readable) with nothing in it a terminal would act on;
    it still reads back to exactly the stored strings."""
    import json  # here: the screens import this module for its sanitiser, and start faster

    return escape_controls(json.dumps(value, ensure_ascii=False, indent=indent))


def canonical_string(text: str) -> str:
    """A metadata string as stored: NFC, no control or bidi-override characters; line breaks
    (CR, U+0085, U+2028...) become newlines, which stay, as tabs do."""
    return unicodedata.normalize("NFC", strip_controls(_LINE_BREAKS.sub("\n", text)))


def canonical_line(text: str) -> str:
    """A title-like field as stored: a canonical string on one line, blanks collapsed."""
    return " ".join(canonical_string(text).split())


def canonical_text(text: str) -> str:
    """NFC, `\\n` newlines, no control or bidi-override characters, paragraphs one blank apart.

    Line separators (U+2028, U+2029, U+0085, CR) become newlines before controls are removed,
    so they separate lines instead of vanishing.
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = strip_controls(text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n ")


def paragraphs_to_text(paragraphs: list[str]) -> str:
    """Join cleaned paragraphs into canonical text (one blank line between paragraphs)."""
    kept = [p.strip() for p in paragraphs if p and p.strip()]
    return canonical_text("\n\n".join(kept))


def is_canonical(text: str) -> bool:
    return canonical_text(text) == text


def text_sha256(text: str) -> str:
    import hashlib  # here: the screens import this module for its sanitiser, and start faster

    return hashlib.sha256(text.encode("utf-8")).hexdigest()
