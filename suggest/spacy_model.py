"""The optional statistical model: a spaCy pipeline the user already has on disk.

`suggest.spacy_model = "PATH"` in the configuration names it; nothing is ever downloaded. Its
named entities are mapped to our labels (people, organisations and nations that act -> actor;
money, percentages, quantities and counts -> figure, widened by the figure rules to their counted
noun; dates only after a deadline cue) and merged under the rules: a rule's suggestion wins any
overlap. spaCy is the optional `spacy` extra; without it a configured model is a one-line error.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from suggest.model import Suggestion

_ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP_GROUP", "GPE"})
_FIGURE_LABELS = frozenset({"MONEY", "PERCENT", "QUANTITY", "CARDINAL"})
_ACTS_AFTER = re.compile(
    r"\s+(?:[a-z]+ly\s+)?(?:said|says|told|announced|claimed|has|have|had|will|would|agreed|"
    r"rejected|accused|called|urged|warned|denied|confirmed|reported|added)\b"
)


class ModelError(Exception):
    """The configured model cannot be used; the message is one line naming the path."""


@lru_cache(maxsize=2)
def load_model(path: str) -> Any:
    """The spaCy pipeline saved at `path` (loaded once per process)."""
    try:
        import spacy
    except ImportError:
        raise ModelError(
            f"{path}: suggest.spacy_model needs spaCy (pip install 'factmark[spacy]')"
        ) from None
    where = Path(path).expanduser()
    if not where.is_dir():
        raise ModelError(f"{where}: suggest.spacy_model is not a directory with a spaCy pipeline")
    try:
        return spacy.load(where)
    except Exception as error:  # spaCy raises many kinds (OSError, ValueError, its own Errors)
        reason = " ".join(str(error).split())[:200]
        raise ModelError(f"{where}: cannot load the spaCy pipeline ({reason})") from None


def model_suggestions(text: str, nlp: Any) -> list[Suggestion]:
    """The pipeline's entities mapped to our labels (rule `spacy`)."""
    from suggest.figures import figure_suggestions

    doc = nlp(text)
    found: list[Suggestion] = []
    for ent in doc.ents:
        start, end, kind = ent.start_char, ent.end_char, ent.label_
        if kind in ("PERSON", "ORG") or (
            kind in ("GPE", "NORP") and _ACTS_AFTER.match(text, end) is not None
        ):
            found.append(Suggestion(start, end, "actor", text[start:end], "spacy"))
        elif kind in _FIGURE_LABELS:
            # The model never takes the counted noun or the qualifier: let the rules widen it
            # where they agree it is a figure.
            widened = [
                s for s in figure_suggestions(text[max(0, start - 40) : min(len(text), end + 60)])
            ]
            offset = max(0, start - 40)
            better = next(
                (s for s in widened if s.start + offset <= start < s.end + offset),
                None,
            )
            if better is not None:
                b_start, b_end = better.start + offset, better.end + offset
                found.append(Suggestion(b_start, b_end, "figure", text[b_start:b_end], "spacy"))
            else:
                found.append(Suggestion(start, end, "figure", text[start:end], "spacy"))
    return found
