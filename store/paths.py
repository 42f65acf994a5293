"""Where factmark keeps its database and its configuration by default.

Only functions: nothing is resolved or created when the module is imported, so tests and other
processes can point the environment elsewhere first.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "factmark"
DB_FILE_NAME = "factmark.db"
CONFIG_FILE_NAME = "config.toml"
DATA_DIR_ENV = "FACTMARK_DATA_DIR"
CONFIG_ENV = "FACTMARK_CONFIG"


def default_data_dir() -> Path:
    """The directory for the default database: $FACTMARK_DATA_DIR, else the platform's data dir."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_db_path() -> Path:
    """The SQLite file used when no --db / FACTMARK_DB is given (not created here)."""
    return default_data_dir() / DB_FILE_NAME


def default_config_path() -> Path:
    """The user's config file: $FACTMARK_CONFIG, else config.toml in the platform's config dir."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE_NAME
