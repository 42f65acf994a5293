"""Text objects for selecting what annotators label: sentence, clause, quotation, parenthesis.

Pure functions over the document text (no Textual), in code-point offsets like every span. Each
object answers "what would pressing its key select now": around the cursor when nothing is
selected, else the next larger unit that covers the selection, so pressing the key again widens
(a clause, then the next clause too; a quotation's inside, then with its quotes, then the quotation
around it). A count repeats the widening.
"""

from __future__ import annotations

from functools import lru_cache

import regex

Range = tuple[int, int]

OBJECT_KINDS = ("sentence", "clause", "quotation", "parenthesis")

# Sentence ends: terminators with any closing quotes/brackets after them, then space or line end.
_SENTENCE_END = regex.compile(r"[.!?…]+[”’\"'»)\]]*(?=\s|$)")
# A '.' that ends one of these words does not end the sentence (the next word may be a name).
_ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "col", "lt", "sgt", "capt",
        "gov", "sen", "rep", "pres", "rev", "hon", "vs", "etc", "no", "nos", "vol", "fig", "inc",
        "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
        "nov", "dec", "approx", "est", "dept", "univ", "e.g", "i.e", "cf", "al",
    }
)  # fmt: skip
_WORD_BEFORE = regex.compile(r"([\w.]+)$")
# Clause separators: commas, semicolons and colons (not a comma or colon between digits:
# "34,535", "10:30"), and dashes with space around them.
_CLAUSE_SEPARATOR = regex.compile(r"(?<!\d)[,:]|[,:](?!\d)|;|\s[-–—―]\s|[—―]")

_QUOTE_PAIRS = {"“": "”", "‘": "’", "«": "»"}
_BRACKET_PAIRS = {"(": ")", "[": "]", "{": "}"}
_QUOTE_CHARS = frozenset("\"'“”‘’«»\n")


# -- sentences and clauses ------------------------------------------------------------------------


def _line_bounds(text: str, pos: int) -> Range:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return (start, len(text) if end < 0 else end)


def _is_abbreviation(text: str, line_start: int, dot: int) -> bool:
    """True if the '.' at `dot` closes an abbreviation or an initial ("Dr.", "U.S.", "J.")."""
    before = _WORD_BEFORE.search(text, line_start, dot)
    if before is None:
        return False
    word = before.group(1)
    if word.lower().rstrip(".") in _ABBREVIATIONS:
        return True
    # Initials and dotted abbreviations: "U.S", "J" (one letter), "a.m".
    parts = word.split(".")
    return all(len(part) == 1 and part.isalpha() for part in parts) and word[-1:].isalpha()


def _strip(text: str, start: int, end: int) -> Range:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end)


def sentences_of_line(text: str, pos: int) -> list[Range]:
    """The sentences of the line holding `pos`, in order, without surrounding whitespace."""
    line_start, line_end = _line_bounds(text, pos)
    pieces: list[Range] = []
    start = line_start
    for match in _SENTENCE_END.finditer(text, line_start, line_end):
        single_dot = match.group().rstrip("”’\"'»)]") == "."
        if single_dot and _is_abbreviation(text, line_start, match.start()):
            continue
        pieces.append(_strip(text, start, match.end()))
        start = match.end()
    pieces.append(_strip(text, start, line_end))
    return [piece for piece in pieces if piece[1] > piece[0]]


def clauses_of_line(text: str, pos: int) -> list[Range]:
    """The clauses of the line holding `pos`: each sentence cut at its clause separators."""
    pieces: list[Range] = []
    for sentence_start, sentence_end in sentences_of_line(text, pos):
        start = sentence_start
        for match in _CLAUSE_SEPARATOR.finditer(text, sentence_start, sentence_end):
            pieces.append(_strip(text, start, match.start()))
            start = match.end()
        pieces.append(_strip(text, start, sentence_end))
    return [piece for piece in pieces if piece[1] > piece[0]]


def _unit_index(units: list[Range], pos: int) -> int:
    """The unit holding `pos`, else the first one after it (the last one if none is after)."""
    for index, (_start, end) in enumerate(units):
        if pos < end:
            return index
    return len(units) - 1


def _select_units(units: list[Range], region: Range, count: int) -> Range | None:
    if not units:
        return None
    start, end = region
    first = _unit_index(units, start)
    last = first if end <= start else _unit_index(units, end - 1)
    if end > start and units[last][1] == end:
        last += count  # already ends where a unit does: take the next ones too
    else:
        last += count - 1
    return (units[first][0], units[min(last, len(units) - 1)][1])


# -- quotations and parentheses -------------------------------------------------------------------


def _is_word(char: str) -> bool:
    return char.isalnum()


@lru_cache(maxsize=4)
def quotation_pairs(text: str) -> list[Range]:
    """Every matched pair of quotes as (opening offset, closing offset), nested pairs included.

    Typographic quotes pair by kind and may span lines; straight quotes pair with the next
    straight quote of their kind within the paragraph. An apostrophe inside a word (don’t, Gaza’s)
    or closing one (Hamas’) is not a quote unless a ‘ is open.
    """
    pairs: list[Range] = []
    stack: list[tuple[str, int]] = []
    length = len(text)
    for index, char in enumerate(text):
        if char not in _QUOTE_CHARS:
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < length else " "
        if char == "\n":
            if after == "\n":  # a paragraph ends: straight quotes left open stay unmatched
                stack = [entry for entry in stack if entry[0] not in "\"'"]
            continue
        if _is_word(before) and _is_word(after) and char in "'’":
            continue  # an apostrophe inside a word: don’t
        closer = _QUOTE_PAIRS.get(char)
        open_at = _open_index(stack, char)
        if char in "\"'":
            if open_at is not None and (char == '"' or not before.isspace()):
                pairs.append((stack[open_at][1], index))
                del stack[open_at:]
            elif char == '"' or (not _is_word(before) and _is_word(after)):
                stack.append((char, index))
        elif closer is not None:
            if not (char == "‘" and _is_word(before)):
                stack.append((closer, index))
        elif open_at is not None:
            pairs.append((stack[open_at][1], index))
            del stack[open_at:]
    return sorted(pairs)


def _open_index(stack: list[tuple[str, int]], closer: str) -> int | None:
    """Where on `stack` the innermost opening that `closer` closes is."""
    for index in range(len(stack) - 1, -1, -1):
        if stack[index][0] == closer:
            return index
    return None


@lru_cache(maxsize=4)
def bracket_pairs(text: str) -> list[Range]:
    """Every matched pair of ( ), [ ] and { } as (opening offset, closing offset)."""
    pairs: list[Range] = []
    stack: list[tuple[str, int]] = []
    for index, char in enumerate(text):
        if char in _BRACKET_PAIRS:
            stack.append((_BRACKET_PAIRS[char], index))
        elif char in ")]}":
            open_at = _open_index(stack, char)
            if open_at is not None:
                pairs.append((stack[open_at][1], index))
                del stack[open_at:]
    return sorted(pairs)


def _select_pair(pairs: list[Range], region: Range, count: int) -> Range | None:
    """The inside of the innermost pair around `region`, then with its marks, then the next pair
    out; with nothing around it, the inside of the next pair after it."""
    start, end = region
    options: list[Range] = []
    for opening, closing in pairs:
        if opening <= start and end <= closing + 1:
            options.extend(((opening + 1, closing), (opening, closing + 1)))
    if end > start:
        options = [o for o in options if o[0] <= start and end <= o[1] and o != region]
    else:
        options = [o for o in options if o[0] <= start <= o[1]]
    options.sort(key=lambda option: option[1] - option[0])
    if options:
        return options[min(count, len(options)) - 1]
    following = [(opening + 1, closing) for opening, closing in pairs if opening >= end]
    return following[0] if following else None


# -- the one entry point --------------------------------------------------------------------------


def select_object(
    text: str, kind: str, cursor: int, selection: Range | None, count: int = 1
) -> Range | None:
    """What the `kind` key selects (None: nothing of that kind here)."""
    if not text:
        return None
    region = selection or (cursor, cursor)
    count = max(1, count)
    anchor = min(region[0], len(text) - 1)
    if kind == "sentence":
        return _select_units(sentences_of_line(text, anchor), region, count)
    if kind == "clause":
        return _select_units(clauses_of_line(text, anchor), region, count)
    if kind == "quotation":
        return _select_pair(quotation_pairs(text), region, count)
    if kind == "parenthesis":
        return _select_pair(bracket_pairs(text), region, count)
    raise ValueError(f"unknown text object {kind!r}")
