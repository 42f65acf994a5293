"""A resolved layer: plain Python, so that the direct reads (`store.direct`) can name one
without loading the ORM.

A layer is named by an annotator's name, or "gold"; its rows carry that annotator's id (NULL
for gold). `store.queries` finds and creates them inside a session.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layer:
    """A resolved layer: its name and the annotator id its rows carry (None for gold)."""

    name: str
    annotator_id: int | None
