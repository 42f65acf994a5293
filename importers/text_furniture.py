"""Where a scrape's article ends: the closing sections a page prints after every article.

Below the last paragraph, pages print the same few sections whatever the outlet: the sources
("References", "Article sources"), the author's box ("About the author"), and a list of what to
read next ("What to read next", "Explore more", "Recent posts", "More articles by …"). Their
header is a short line of its own in the body's last part, and nothing under it is the article
any more.
"""

from __future__ import annotations

import re

from importers.text_lines import Line

# A closing section's header, as the whole (lower-case) line. Methodology boxes ("How we test")
# and FAQ sections are not here: on the dev set's pages the gold body keeps them.
_CLOSING_HEADER = re.compile(
    r"(?:references?|sources?|article sources|citations?|footnotes|bibliography|works cited"
    r"|about the author|meet the author|about (?:the )?writer"
    r"|what to read next|explore more\b.*|keep exploring\b.*|keep reading|more to explore"
    r"|recent(?:ly)? (?:posts|articles|stories)(?: by .*)?|recently by .*"
    r"|more (?:articles|stories|posts) (?:by|from) .*|you (?:may|might) also (?:like|enjoy)\b.*"
    r"|related (?:posts|articles|stories|reading|content|resources)"
    r")[\s:?.!]*"
)
# Longer lines are never such a header: they are not even lower-cased and matched.
_HEADER_MAX_CHARS = 60
# The header must stand in the body's last part (by words): above that, such a line opens a
# section of the article itself (the "Sources" of a story about whistle-blowers).
_TAIL_SHARE = 0.5


def without_closing_sections(lines: list[Line], kept: list[int]) -> list[int]:
    """The body (`kept`, line indices) cut at the first closing-section header in its last part."""
    headers = [
        position
        for position, i in enumerate(kept)
        if position
        and len(lines[i].text) <= _HEADER_MAX_CHARS
        and not lines[i].marker
        and _CLOSING_HEADER.fullmatch(lines[i].text.lower()) is not None
    ]
    if not headers:
        return kept
    words = [len(lines[i].text.split()) for i in kept]
    least = _TAIL_SHARE * sum(words)
    for position in headers:
        if sum(words[:position]) >= least:
            return kept[:position]
    return kept
