"""The user's configuration file: label set, keymap, organisation name and guidelines file (TOML).

The file lives at `store.paths.default_config_path()` unless `--config` / `FACTMARK_CONFIG` names
another; `tui/default_config.toml` documents every setting with its default. A file that cannot be
used raises `ConfigError` with one line naming the file, the line and the problem.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from rich.color import Color, ColorParseError
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tui import keys
from vocabulary.labels import DEFAULT_LABEL_DEFS, LabelDef
from vocabulary.text import strip_controls

SHIPPED_GUIDELINES = Path(__file__).with_name("guidelines.md")
DOCUMENTED_DEFAULTS = Path(__file__).with_name("default_config.toml")
_TOP_LEVEL_KEYS = ("organisation", "guidelines", "labels", "keymap")
_LABEL_KEYS = ("name", "key", "color", "description")
_LABEL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_KEY_NAME = re.compile(r"[^\s,]+")


class ConfigError(Exception):
    """A configuration file that cannot be used; the message is one line naming file and line."""


@dataclass(frozen=True)
class Config:
    """What is in force: the file's settings over the defaults; `source` is the file read."""

    labels: tuple[LabelDef, ...] = DEFAULT_LABEL_DEFS
    keymap: dict[str, str] = field(default_factory=dict)
    organisation: str | None = None
    guidelines: Path | None = None
    source: Path | None = None

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)

    @property
    def guidelines_path(self) -> Path:
        """The guidelines Markdown shown in help: the configured file or the shipped one."""
        return self.guidelines or SHIPPED_GUIDELINES

    def label(self, name: str) -> LabelDef | None:
        return next((label for label in self.labels if label.name == name), None)


def load_config(path: Path | None) -> Config:
    """Read the configuration at `path` (None: the default location, where a missing file means the
    defaults). Raises ConfigError naming the file and line for anything it cannot use."""
    explicit = path is not None or _config_env_is_set()
    if path is None:
        path = _default_config_path()
    path = Path(path).expanduser()
    if not path.is_file():
        if explicit or path.exists():
            raise ConfigError(f"{path}: not a readable file")
        return Config()
    source_text = _read_text(path)
    try:
        data = tomllib.loads(source_text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from None
    return _ConfigReader(path, source_text).build(data)


def _default_config_path() -> Path:
    from store.paths import default_config_path

    return Path(default_config_path())


def _config_env_is_set() -> bool:
    """True when FACTMARK_CONFIG names the file: then a missing file is an error, not defaults."""
    from store.paths import CONFIG_ENV

    return bool(os.environ.get(CONFIG_ENV))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read ({error.strerror})") from None


class _ConfigReader:
    """Turns parsed TOML into a Config, pointing each complaint at its line in the file."""

    def __init__(self, path: Path, source_text: str) -> None:
        self.path = path
        self.lines = source_text.splitlines()

    def build(self, data: dict[str, Any]) -> Config:
        for key in data:
            if key not in _TOP_LEVEL_KEYS:
                self.fail(
                    key, None, f"unknown setting {key!r} (known: {', '.join(_TOP_LEVEL_KEYS)})"
                )
        labels = self.labels(data["labels"]) if "labels" in data else DEFAULT_LABEL_DEFS
        return Config(
            labels=labels,
            keymap=self.keymap(data.get("keymap", {}), labels),
            organisation=self.organisation(data.get("organisation")),
            guidelines=self.guidelines(data.get("guidelines")),
            source=self.path,
        )

    def fail(self, key: str, section: str | None, problem: str, index: int = 0) -> NoReturn:
        line = self.line_of(key, section, index)
        where = f"{self.path}, line {line}" if line else str(self.path)
        raise ConfigError(f"{where}: {problem}")

    def line_of(self, key: str, section: str | None, index: int = 0) -> int | None:
        """The 1-based line where `key` is set inside `section` (the index-th one of an array of
        tables), or where the section starts; None if it cannot be found."""
        header = re.compile(r"\s*\[\[?\s*([^\]]+?)\s*\]\]?")
        assignment = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
        current: str | None = None
        seen = -1
        fallback: int | None = None
        for number, line in enumerate(self.lines, start=1):
            if match := header.match(line):
                current = match.group(1)
                if current == section:
                    seen += 1
                    fallback = number if seen == index else fallback
                elif section is None and current == key:
                    fallback = fallback or number
                continue
            if current == section and (section is None or seen == index) and assignment.match(line):
                return number
        return fallback

    def organisation(self, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail("organisation", None, "organisation must be a string")
        return strip_controls(value).strip() or None

    def guidelines(self, value: object) -> Path | None:
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail("guidelines", None, "guidelines must be the path of a Markdown file")
        path = Path(value).expanduser()
        if not path.is_absolute():
            path = self.path.parent / path
        if not path.is_file():
            self.fail("guidelines", None, f"guidelines file {str(path)!r} does not exist")
        return path

    def labels(self, value: object) -> tuple[LabelDef, ...]:
        if not isinstance(value, list) or not value:
            self.fail("labels", None, "labels must be a non-empty array of [[labels]] tables")
        labels = tuple(self.label(entry, index) for index, entry in enumerate(value))
        self.check_unique(labels, "name")
        self.check_unique(labels, "key")
        return labels

    def label(self, entry: object, index: int) -> LabelDef:
        if not isinstance(entry, dict):
            self.fail("labels", None, f"labels entry {index + 1} must be a table")
        for key in entry:
            if key not in _LABEL_KEYS:
                self.fail(key, "labels", f"unknown label setting {key!r}", index)
        name = self.label_string(entry, "name", index, _LABEL_NAME, "a word such as 'claim'")
        key = self.label_string(entry, "key", index, _KEY_NAME, "one key such as '5' or 'f5'")
        color = _expand_short_hex(
            self.label_string(entry, "color", index, None, "a colour such as '#87afff'")
        )
        self.check_color(color, index)
        description = entry.get("description", "")
        if not isinstance(description, str):
            self.fail("description", "labels", "label description must be a string", index)
        return LabelDef(name, key, color, strip_controls(description).strip())

    def label_string(
        self,
        entry: dict[str, Any],
        key: str,
        index: int,
        pattern: re.Pattern[str] | None,
        what: str,
    ) -> str:
        value = entry.get(key)
        if value is None:
            self.fail(key, "labels", f"label {index + 1} has no {key!r} ({what})", index)
        if not isinstance(value, str) or (pattern and not pattern.fullmatch(value)):
            self.fail(key, "labels", f"label {key} must be {what}, not {value!r}", index)
        return value

    def check_color(self, color: str, index: int) -> None:
        try:
            Color.parse(color)
        except ColorParseError:
            self.fail("color", "labels", f"label color {color!r} is not a colour", index)

    def check_unique(self, labels: tuple[LabelDef, ...], attribute: str) -> None:
        seen: set[str] = set()
        for index, label in enumerate(labels):
            value = getattr(label, attribute)
            if value in seen:
                self.fail(attribute, "labels", f"label {attribute} {value!r} is used twice", index)
            seen.add(value)

    def keymap(self, value: object, labels: tuple[LabelDef, ...]) -> dict[str, str]:
        if not isinstance(value, dict):
            self.fail("keymap", None, 'keymap must be a table of binding id = "keys"')
        known = keys.known_binding_ids(labels)
        keymap: dict[str, str] = {}
        for binding_id, keys_value in value.items():
            if binding_id not in known:
                self.fail(binding_id, "keymap", f"unknown binding id {binding_id!r} in [keymap]")
            keymap[binding_id] = self.key_list(binding_id, keys_value)
        return keymap

    def key_list(self, binding_id: str, value: object) -> str:
        parts = value.split(",") if isinstance(value, str) else []
        if not parts or not all(_KEY_NAME.fullmatch(part.strip()) for part in parts):
            self.fail(
                binding_id,
                "keymap",
                f'keymap {binding_id!r} must be keys separated by commas, like "u,ctrl+z"',
            )
        return ",".join(part.strip() for part in parts)


def _expand_short_hex(color: str) -> str:
    """'#fa0' -> '#ffaa00' (CSS shorthand, which Rich does not read)."""
    if re.fullmatch(r"#[0-9a-fA-F]{3}", color):
        return "#" + "".join(digit * 2 for digit in color[1:])
    return color


def describe_config(config: Config) -> RenderableType:
    """What `factmark config` prints: where the file is and every setting in force."""
    return Group(
        _describe_source(config),
        Text.assemble(("Organisation: ", "bold"), config.organisation or "(none)"),
        Text.assemble(("Guidelines:   ", "bold"), str(config.guidelines_path)),
        Text.assemble(
            ("Defaults:     ", "bold"), f"{DOCUMENTED_DEFAULTS} (every setting, explained)"
        ),
        _labels_table(config),
        _keys_table(config),
    )


def _describe_source(config: Config) -> Text:
    if config.source is not None:
        return Text.assemble(("Config file:  ", "bold"), str(config.source))
    try:
        default = str(_default_config_path())
    except ImportError:
        default = "(the default location)"
    return Text.assemble(
        ("Config file:  ", "bold"), default, " (not found: built-in defaults in force)"
    )


def _labels_table(config: Config) -> Table:
    table = Table(title=Text("Labels"), title_justify="left", expand=False)
    for heading in ("key", "name", "colour", "description"):
        table.add_column(heading)
    for label in config.labels:
        swatch = Text(f" {label.color} ", style=label_style(label.color))
        table.add_row(Text(label.key), Text(label.name), swatch, Text(label.description))
    return table


def _keys_table(config: Config) -> Table:
    table = Table(
        title=Text("Keys (remap by id under [keymap])"), title_justify="left", expand=False
    )
    for heading in ("id", "keys", "does", "where"):
        table.add_column(heading)
    for spec, key_list in keys.effective_keys(config.labels, config.keymap):
        shown = keys.display_keys(key_list)
        if spec.id in config.keymap:
            shown += " (config)"
        scope = keys.SCOPE_TITLES.get(spec.scope, spec.scope)
        table.add_row(Text(spec.id), Text(shown), Text(spec.description), Text(scope))
    return table


def label_style(color: str) -> str:
    """A Rich style string for a label: its colour as background, black or white text on top."""
    red, green, blue = Color.parse(color).get_truecolor()
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return f"{'black' if luminance > 110 else 'bright_white'} on {color}"
