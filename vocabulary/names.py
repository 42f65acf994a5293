"""Names with one meaning everywhere: layers, span origins, roles, and the labels code relies on."""

from __future__ import annotations

APP_NAME = "factmark"  # the program; its directory in the platform's data and config dirs
GOLD_LAYER = "gold"  # the adjudicated layer: a layer name no annotator may take
ALL_LAYERS = "all"  # `--source all`: every layer of every document
SPAN_ORIGINS: tuple[str, ...] = ("manual", "suggested", "imported")
SUGGESTED_PREFIX = "suggested:"  # + the rule: an accepted suggestion's origin (formats.md)


def is_span_origin(origin: object) -> bool:
    """Whether `origin` may be stored on a span: one of SPAN_ORIGINS, or `suggested:<rule>` (a
    rule name of letters, digits, dots, dashes or underscores; the whole within 20 characters)."""
    if origin in SPAN_ORIGINS:
        return True
    if not isinstance(origin, str) or not origin.startswith(SUGGESTED_PREFIX) or len(origin) > 20:
        return False
    rule = origin[len(SUGGESTED_PREFIX) :]
    return bool(rule) and all(c.isascii() and (c.isalnum() or c in "._-") for c in rule)


ROLES: tuple[str, ...] = ("annotator", "reviewer", "admin")
REVIEW_ROLES: tuple[str, ...] = ("reviewer", "admin")  # may review and write gold
ADMIN_ROLES: tuple[str, ...] = ("admin",)  # may also manage roles

# The label and relation that fact-checking outputs (ClaimReview) are built from.
CLAIM_LABEL = "claim"
SAID_BY = "said_by"

# Label Studio keeps no extra key of an annotation but every key of a task's `data`: factmark's
# export names each annotation's layer there (annotation id -> layer name) and its import reads it.
LABELSTUDIO_LAYERS_KEY = "factmark_layers"
