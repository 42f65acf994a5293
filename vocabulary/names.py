"""Names with one meaning everywhere: layers, span origins, roles, and the labels code relies on."""

from __future__ import annotations

APP_NAME = "factmark"  # the program; its directory in the platform's data and config dirs
GOLD_LAYER = "gold"  # the adjudicated layer: a layer name no annotator may take
ALL_LAYERS = "all"  # `--source all`: every layer of every document
SPAN_ORIGINS: tuple[str, ...] = ("manual", "suggested", "imported")

ROLES: tuple[str, ...] = ("annotator", "reviewer", "admin")
REVIEW_ROLES: tuple[str, ...] = ("reviewer", "admin")  # may review and write gold
ADMIN_ROLES: tuple[str, ...] = ("admin",)  # may also manage roles

# The label and relation that fact-checking outputs (ClaimReview) are built from.
CLAIM_LABEL = "claim"
SAID_BY = "said_by"

# Label Studio keeps no extra key of an annotation but every key of a task's `data`: factmark's
# export names each annotation's layer there (annotation id -> layer name) and its import reads it.
LABELSTUDIO_LAYERS_KEY = "factmark_layers"
