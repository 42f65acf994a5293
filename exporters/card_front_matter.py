"""The data card's YAML front matter: the Hugging Face dataset card metadata, so the card can be
a dataset repository's README (written with PyYAML, never by hand)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from vocabulary.text import strip_controls

# The Hub's size_categories bins, by number of examples (here: documents).
_SIZE_BINS = (
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
)
UNKNOWN_LICENSE = "unknown"


def size_category(documents: int) -> str:
    return next((name for bound, name in _SIZE_BINS if documents < bound), "n>10M")


def front_matter(
    *,
    pretty_name: str,
    license_id: str | None,
    languages: Sequence[str],
    documents: int,
) -> str:
    """`---`, the metadata as YAML, `---`."""
    metadata: dict[str, Any] = {
        "pretty_name": " ".join(strip_controls(pretty_name).split()),
        "license": license_id or UNKNOWN_LICENSE,
    }
    if languages:
        metadata["language"] = list(languages)
    metadata |= {
        "task_categories": ["token-classification"],
        "size_categories": [size_category(documents)],
        "tags": ["fact-checking", "span-annotation", "factmark"],
    }
    text = yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{text}---"
