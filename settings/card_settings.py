"""The data card's settings (`[card]`): the dataset's licence, how to cite it, its languages.

They go into the card's Hugging Face front matter (`license`, `language`) and its Licensing and
Citation sections. Read by `settings.config`, which points any complaint at its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from vocabulary.text import strip_controls

CARD_KEYS = ("license", "citation", "language")
# As the Hugging Face Hub writes licence ids: "cc-by-4.0", "apache-2.0", "other", "unknown".
_LICENSE_ID = re.compile(r"[a-z0-9][a-z0-9.+-]*")
# An ISO 639 code, with an optional script or region: "en", "fr", "pt-BR", "zh-Hans".
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")

Fail = Callable[[str, str | None, str], NoReturn]  # (key, section, problem): raises ConfigError


@dataclass(frozen=True)
class CardSettings:
    """What the card says about licence, citation and languages (None/empty: not configured)."""

    license: str | None = None
    citation: str | None = None
    language: tuple[str, ...] = ()


def read_card(value: object, fail: Fail) -> CardSettings:
    """The `[card]` table, checked; `fail` names the key, the section and the problem."""
    if not isinstance(value, dict):
        fail("card", None, "card must be a table: [card]")
    for key in value:
        if key not in CARD_KEYS:
            fail(key, "card", f"unknown card setting {key!r} (known: {', '.join(CARD_KEYS)})")
    return CardSettings(
        license=_license(value.get("license"), fail),
        citation=_citation(value.get("citation"), fail),
        language=_languages(value.get("language"), fail),
    )


def _license(value: object, fail: Fail) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _LICENSE_ID.fullmatch(value):
        fail(
            "license",
            "card",
            f"card.license must be a licence id such as 'cc-by-4.0' or 'other', not {value!r}",
        )
    return value


def _citation(value: object, fail: Fail) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not strip_controls(value).strip():
        fail("citation", "card", "card.citation must be text (BibTeX or a reference)")
    return strip_controls(value).strip()


def _languages(value: object, fail: Fail) -> tuple[str, ...]:
    if value is None:
        return ()
    codes = [value] if isinstance(value, str) else value
    if (
        not isinstance(codes, list)
        or not codes
        or not all(isinstance(code, str) and _LANGUAGE.fullmatch(code) for code in codes)
    ):
        fail(
            "language",
            "card",
            f'card.language must be ISO 639 codes such as "en" or ["en", "fr"], not {value!r}',
        )
    return tuple(codes)
