"""Where the configuration file is: $FACTMARK_CONFIG, else config.toml in the platform's config dir.

Only functions: nothing is resolved when the module is imported, so tests and other processes can
point the environment elsewhere first.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from vocabulary.names import APP_NAME

CONFIG_FILE_NAME = "config.toml"
CONFIG_ENV = "FACTMARK_CONFIG"


def default_config_path() -> Path:
    """The user's config file: $FACTMARK_CONFIG, else config.toml in the platform's config dir."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE_NAME


def config_env_is_set() -> bool:
    """True when FACTMARK_CONFIG names the file: then a missing file is an error, not defaults."""
    return bool(os.environ.get(CONFIG_ENV))
