"""How the annotate screen's status line writes a selection, and which digits label (not count).

Textual-free. A selection is article text: its line breaks are shown as ⏎ and tabs as ⇥ (so a
selection running into the next paragraph is seen as such), and every other control or
format character (escape sequences, bidi overrides) as a visible escape, never sent raw.
"""

from __future__ import annotations

import unicodedata

from settings.config import Config
from settings.keys import label_binding_id
from tui.titles import cut_in_middle

SHOWN_CELLS = 44  # with "Selected N characters" it fits an 80-column status line
_VISIBLE = {"\n": "⏎", "\r": "⏎", "\t": "⇥", "\u2028": "⏎", "\u2029": "⏎"}
# Joiners shape emoji and scripts: kept, as the article view keeps them.
_KEPT_FORMAT = frozenset("\u200c\u200d")


def _visible_char(char: str) -> str:
    shown = _VISIBLE.get(char)
    if shown is not None:
        return shown
    category = unicodedata.category(char)
    if category == "Cc" or (category == "Cf" and char not in _KEPT_FORMAT):
        return f"\\u{ord(char):04x}" if ord(char) > 0xFF else f"\\x{ord(char):02x}"
    return char


def shown_selection(text: str, cells: int = SHOWN_CELLS) -> str:
    """`text` on one line with its breaks and control characters made visible, cut in the
    middle to `cells` terminal cells."""
    return cut_in_middle("".join(_visible_char(char) for char in text), cells)


def label_keys_in_force(config: Config) -> frozenset[str]:
    """The single characters that apply a label (after the keymap): a digit among them labels,
    any other digit starts a count."""
    keys: set[str] = set()
    for label in config.labels:
        for key in config.keymap.get(label_binding_id(label.name), label.key).split(","):
            keys.add(key.strip())
    return frozenset(key for key in keys if len(key) == 1)
