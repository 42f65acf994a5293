"""Where factmark keeps its database by default (the configuration file: `settings.paths`).

Only functions: nothing is resolved or created when the module is imported, so tests and other
processes can point the environment elsewhere first.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from vocabulary.names import APP_NAME

DB_FILE_NAME = "factmark.db"
DATA_DIR_ENV = "FACTMARK_DATA_DIR"


def default_data_dir() -> Path:
    """The directory for the default database: $FACTMARK_DATA_DIR, else the platform's data dir."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_db_path() -> Path:
    """The SQLite file used when no --db / FACTMARK_DB is given (not created here)."""
    return default_data_dir() / DB_FILE_NAME
