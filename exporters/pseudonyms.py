"""Annotators as pseudonyms in a data card: "annotator 1", "annotator 2", … by first appearance.

Stable within one card (the same login always gets the same pseudonym), and a login the card
meets late still gets one, so no login can slip through by being unlisted.
"""

from __future__ import annotations

from collections.abc import Iterable


class Pseudonyms:
    """Hands out "annotator N" to logins in the order it first sees them."""

    def __init__(self, first_seen: Iterable[str] = ()) -> None:
        self._names: dict[str, str] = {}
        for login in first_seen:
            self(login)

    def __call__(self, login: str) -> str:
        if login not in self._names:
            self._names[login] = f"annotator {len(self._names) + 1}"
        return self._names[login]


def as_typed(login: str) -> str:
    """The login itself: what a card without pseudonyms shows."""
    return login
