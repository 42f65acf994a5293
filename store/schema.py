"""The schema's version, and where a database records its own: read by the migrations and by the
direct reader (`store.direct`), which must not import SQLAlchemy to find it out."""

from __future__ import annotations

SCHEMA_VERSION = 5
META_TABLE = "factmark_meta"
VERSION_KEY = "schema_version"
CREATED_KEY = "created_at"
UPGRADED_KEY = "upgraded_to_"  # + the version reached: {"from", "at", "step"} as JSON
