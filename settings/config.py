"""The user's configuration file: label set, keymap, organisation name and guidelines file (TOML).

The file lives at `settings.paths.default_config_path()` unless `--config` / `FACTMARK_CONFIG`
names another; `settings/default_config.toml` documents every setting with its default. A file
that cannot be used raises `ConfigError` with one line naming the file, the line and the problem.
No Rich, no Textual: the commands load it as the screens do (`tui.config` shows it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from settings.card_settings import CardSettings, read_card
from settings.colors import expand_short_hex, is_colour
from settings.keys import (
    SCOPE_TITLES,
    KeySpec,
    effective_keys,
    known_binding_ids,
    label_binding_id,
)
from settings.paths import config_env_is_set, default_config_path
from vocabulary.checks import PUBLISHED, CheckSettings, RatingDef
from vocabulary.labels import DEFAULT_LABEL_DEFS, DEFAULT_RELATION_DEFS, LabelDef, RelationDef
from vocabulary.text import strip_controls

SHIPPED_GUIDELINES = Path(__file__).with_name("guidelines.md")
DOCUMENTED_DEFAULTS = Path(__file__).with_name("default_config.toml")
# A POSIX portable group name (the group itself is looked up when a database is created).
_GROUP_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?")
_TOP_LEVEL_KEYS = (
    "organisation",
    "shared_group",
    "review_url",
    "guidelines",
    "labels",
    "relations",
    "keymap",
    "suggest",
    "checks",
    "card",
    "find_exact",
)
_CHECKS_KEYS = ("statuses", "ratings", "require_second_reviewer")
_RATING_KEYS = ("name", "value")
_SUGGEST_KEYS = ("spacy_model",)
_LABEL_KEYS = ("name", "key", "color", "description")
_RELATION_KEYS = ("name", "heads", "children", "color", "description")
_LABEL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_KEY_NAME = re.compile(r"[^\s,]+")
# Where a label key is live: the annotate and review screens, their widgets (the text, the
# annotation pane, the candidate list) and the app's own keys (quit, help) under them. A label key
# that another binding of these scopes also has would silently lose to one of them, or take it
# over (a label key `a` once wrote a gold actor where review's `a` accepts).
LABEL_KEY_SCOPES = frozenset({"app", "article", "annotate", "pane", "review", "candidates"})


class ConfigError(Exception):
    """A configuration file that cannot be used; the message is one line naming file and line."""


@dataclass(frozen=True)
class Config:
    """What is in force: the file's settings over the defaults; `source` is the file read."""

    labels: tuple[LabelDef, ...] = DEFAULT_LABEL_DEFS
    relations: tuple[RelationDef, ...] = DEFAULT_RELATION_DEFS
    keymap: dict[str, str] = field(default_factory=dict)
    organisation: str | None = None
    guidelines: Path | None = None
    source: Path | None = None
    # [suggest] spacy_model: a spaCy pipeline saved on disk whose entities join the rules'
    # suggestions (never downloaded; None: the rules alone).
    spacy_model: Path | None = None
    # The fact-check desk: statuses, verdict scale, sign-off rule ([checks]), and where a
    # published check lives when its verdict names no URL (`{check_id}` is the check's id).
    checks: CheckSettings = field(default_factory=CheckSettings)
    review_url: str | None = None
    # The Unix group a new SQLite database file and its new directory are shared with (file 0660,
    # directory 2770); None: private to their owner (0600, 0700). Existing files are not touched.
    shared_group: str | None = None
    # [card]: the exported dataset's licence, citation and languages, for its data card.
    card: CardSettings = field(default_factory=CardSettings)
    # The annotate screen's find: False folds case and accents (é finds e, E finds e); True keeps
    # them exact. Typed quotes and dashes find their typographic forms either way.
    find_exact: bool = False

    def review_url_for(self, check_id: str) -> str | None:
        return self.review_url.replace("{check_id}", check_id) if self.review_url else None

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)

    @property
    def guidelines_path(self) -> Path:
        """The guidelines Markdown shown in help: the configured file or the shipped one."""
        return self.guidelines or SHIPPED_GUIDELINES

    def label(self, name: str) -> LabelDef | None:
        return next((label for label in self.labels if label.name == name), None)

    @property
    def relation_names(self) -> tuple[str, ...]:
        return tuple(relation.name for relation in self.relations)

    def relation(self, name: str) -> RelationDef | None:
        return next((relation for relation in self.relations if relation.name == name), None)


def load_config(path: Path | None) -> Config:
    """Read the configuration at `path` (None: the default location, where a missing file means the
    defaults). Raises ConfigError naming the file and line for anything it cannot use."""
    explicit = path is not None or config_env_is_set()
    if path is None:
        path = default_config_path()
    path = Path(path).expanduser()
    if not path.is_file():
        if explicit or path.exists():
            raise ConfigError(f"{path}: not a readable file")
        return Config()
    source_text = _read_text(path)
    import tomllib  # only when there is a file to parse: most starts have none

    try:
        data = tomllib.loads(source_text)
    except (tomllib.TOMLDecodeError, ValueError) as error:
        raise ConfigError(f"{path}: {error}") from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively: thousands deep exhaust
        # Python's stack before it can say where. No configuration nests beyond a few levels.
        line = _deep_nesting_line(source_text)
        where = f"{path}, line {line}" if line else str(path)
        raise ConfigError(f"{where}: arrays or tables nested too deeply") from None
    return _ConfigReader(path, source_text).build(data)


_TOO_DEEP = 100


def _deep_nesting_line(source_text: str) -> int | None:
    """The line where arrays and inline tables first nest `_TOO_DEEP` deep (brackets in quoted
    strings and comments not counted), or None if they never do."""
    depth, line, quote = 0, 1, ""
    comment = False
    for char in source_text:
        if char == "\n":
            line, comment = line + 1, False
            quote = "" if quote in {'"', "'"} else quote  # a basic string ends with its line
        elif comment:
            continue
        elif quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#":
            comment = True
        elif char in "[{":
            depth += 1
            if depth >= _TOO_DEEP:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


@dataclass(frozen=True)
class LabelKeyClash:
    """A label key that another binding also has where label keys are live."""

    label: str
    index: int  # the label's place in the label set
    binding_id: str  # the label's own binding id (its keymap entry, if remapped)
    key: str
    others: tuple[KeySpec, ...]  # every binding that has the key, in the key table's order

    def said(self) -> str:
        others = " and ".join(
            f"{other.id!r} ({other.description!r}, {SCOPE_TITLES.get(other.scope, other.scope)})"
            for other in self.others
        )
        return f"label key {self.key!r} of {self.label!r} is also the key of {others}"


def label_key_clashes(
    labels: tuple[LabelDef, ...], keymap: Mapping[str, str]
) -> list[LabelKeyClash]:
    """Every label key that another binding of LABEL_KEY_SCOPES also has, keymap applied."""
    label_ids = {label_binding_id(label.name) for label in labels}
    taken: dict[str, list[KeySpec]] = {}
    for spec, keys in effective_keys(labels, keymap):
        if spec.id not in label_ids and spec.scope in LABEL_KEY_SCOPES:
            for key in keys.split(","):
                for variant in _key_variants(key):
                    taken.setdefault(variant, []).append(spec)
    clashes = []
    for index, label in enumerate(labels):
        binding_id = label_binding_id(label.name)
        for key in keymap.get(binding_id, label.key).split(","):
            others = [spec for k in _key_variants(key) for spec in taken.get(k, [])]
            if others:
                unique = tuple(dict.fromkeys(others))
                clashes.append(LabelKeyClash(label.name, index, binding_id, key.strip(), unique))
    return clashes


def _key_variants(key: str) -> tuple[str, ...]:
    """The ways one key can be written ("L" is "shift+l")."""
    key = key.strip()
    if len(key) == 1 and key.isalpha() and key.isupper():
        return (key, f"shift+{key.lower()}")
    if key.startswith("shift+") and len(key) == 7 and key[6].isalpha():
        return (key, key[6].upper())
    return (key,)


def _default_relations_for(labels: tuple[LabelDef, ...]) -> tuple[RelationDef, ...]:
    """The default relation types whose head and child labels are all in `labels` (a label set
    without `claim` keeps no relation that needs one)."""
    names = {label.name for label in labels}
    return tuple(
        relation
        for relation in DEFAULT_RELATION_DEFS
        if set(relation.heads) <= names and set(relation.children) <= names
    )


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
        keymap = self.keymap(data.get("keymap", {}), labels)
        self.check_label_keys(labels, keymap)
        relations = (
            self.relations(data["relations"], labels)
            if "relations" in data
            else _default_relations_for(labels)
        )
        return Config(
            labels=labels,
            relations=relations,
            keymap=keymap,
            organisation=self.organisation(data.get("organisation")),
            guidelines=self.guidelines(data.get("guidelines")),
            source=self.path,
            spacy_model=self.suggest(data.get("suggest", {})),
            checks=self.checks(data.get("checks", {})),
            review_url=self.review_url(data.get("review_url")),
            shared_group=self.shared_group(data.get("shared_group")),
            card=read_card(data.get("card", {}), self.fail),
            find_exact=self.find_exact(data.get("find_exact", False)),
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

    def suggest(self, value: object) -> Path | None:
        """The [suggest] table: `spacy_model`, a directory (relative to the file) or nothing."""
        if not isinstance(value, dict):
            self.fail("suggest", None, "suggest must be a table: [suggest]")
        for key in value:
            if key not in _SUGGEST_KEYS:
                self.fail(key, "suggest", f"unknown suggest setting {key!r} (known: spacy_model)")
        model = value.get("spacy_model")
        if model is None:
            return None
        if not isinstance(model, str) or not model.strip():
            self.fail(
                "spacy_model",
                "suggest",
                "suggest.spacy_model must be the path of a spaCy pipeline directory",
            )
        path = Path(model).expanduser()
        if not path.is_absolute():
            path = self.path.parent / path
        if not path.is_dir():
            self.fail(
                "spacy_model", "suggest", f"suggest.spacy_model {str(path)!r} is not a directory"
            )
        return path

    def checks(self, value: object) -> CheckSettings:
        """The [checks] table: statuses, the verdict scale, and the sign-off rule."""
        if not isinstance(value, dict):
            self.fail("checks", None, "checks must be a table: [checks]")
        for key in value:
            if key not in _CHECKS_KEYS:
                known = ", ".join(_CHECKS_KEYS)
                self.fail(key, "checks", f"unknown checks setting {key!r} (known: {known})")
        defaults = CheckSettings()
        statuses = defaults.statuses
        if "statuses" in value:
            statuses = self.check_statuses(value["statuses"])
        ratings = defaults.ratings
        if "ratings" in value:
            ratings = self.ratings(value["ratings"])
        second = value.get("require_second_reviewer", True)
        if not isinstance(second, bool):
            self.fail(
                "require_second_reviewer",
                "checks",
                "checks.require_second_reviewer is true or false",
            )
        return CheckSettings(statuses, ratings, second)

    def check_statuses(self, value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not value or not all(isinstance(s, str) for s in value):
            self.fail("statuses", "checks", "checks.statuses must be a non-empty list of names")
        statuses = tuple(" ".join(strip_controls(s).split()) for s in value)
        if any(not s for s in statuses) or len({s.casefold() for s in statuses}) < len(statuses):
            self.fail("statuses", "checks", "checks.statuses must be distinct, non-empty names")
        if PUBLISHED not in statuses:
            self.fail("statuses", "checks", f"checks.statuses must include {PUBLISHED!r}")
        return statuses

    def ratings(self, value: object) -> tuple[RatingDef, ...]:
        if not isinstance(value, list) or not value:
            self.fail("ratings", None, "checks.ratings must be [[checks.ratings]] tables")
        ratings: list[RatingDef] = []
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                self.fail("ratings", None, f"checks.ratings entry {index + 1} must be a table")
            for key in entry:
                if key not in _RATING_KEYS:
                    self.fail(key, "checks.ratings", f"unknown rating setting {key!r}", index)
            name = entry.get("name")
            if not isinstance(name, str) or not strip_controls(name).strip():
                self.fail("name", "checks.ratings", f"rating {index + 1} needs a name", index)
            number = entry.get("value")
            if number is not None and (
                isinstance(number, bool) or not isinstance(number, int | float)
            ):
                self.fail("value", "checks.ratings", "a rating value must be a number", index)
            ratings.append(RatingDef(strip_controls(name).strip(), number))
        if len({r.name.casefold() for r in ratings}) < len(ratings):
            self.fail("ratings", None, "checks.ratings names must be distinct")
        return tuple(ratings)

    def review_url(self, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            self.fail("review_url", None, "review_url must be an http(s) URL template")
        return strip_controls(value).strip()

    def shared_group(self, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not _GROUP_NAME.fullmatch(value):
            self.fail("shared_group", None, "shared_group must be the name of a Unix group")
        return value

    def find_exact(self, value: object) -> bool:
        if not isinstance(value, bool):
            self.fail("find_exact", None, "find_exact must be true or false")
        return value

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
        color = expand_short_hex(
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
        if not is_colour(color):
            self.fail("color", "labels", f"label color {color!r} is not a colour", index)

    def check_unique(self, labels: tuple[LabelDef, ...], attribute: str) -> None:
        seen: set[str] = set()
        for index, label in enumerate(labels):
            value = getattr(label, attribute)
            if value in seen:
                self.fail(attribute, "labels", f"label {attribute} {value!r} is used twice", index)
            seen.add(value)

    def relations(self, value: object, labels: tuple[LabelDef, ...]) -> tuple[RelationDef, ...]:
        if not isinstance(value, list):
            self.fail("relations", None, "relations must be an array of [[relations]] tables")
        names = {label.name for label in labels}
        relations = tuple(self.relation(entry, index, names) for index, entry in enumerate(value))
        seen: set[str] = set()
        for index, relation in enumerate(relations):
            if relation.name in seen:
                self.fail(
                    "name", "relations", f"relation name {relation.name!r} is used twice", index
                )
            seen.add(relation.name)
        return relations

    def relation(self, entry: object, index: int, label_names: set[str]) -> RelationDef:
        if not isinstance(entry, dict):
            self.fail("relations", None, f"relations entry {index + 1} must be a table")
        for key in entry:
            if key not in _RELATION_KEYS:
                self.fail(key, "relations", f"unknown relation setting {key!r}", index)
        name = entry.get("name")
        if not isinstance(name, str) or not _LABEL_NAME.fullmatch(name):
            what = "a word such as 'said_by'"
            self.fail("name", "relations", f"relation {index + 1} name must be {what}", index)
        heads = self.relation_ends(entry, "heads", index, label_names)
        children = self.relation_ends(entry, "children", index, label_names)
        color = expand_short_hex(str(entry.get("color", "#bcbcbc")))
        if not is_colour(color):
            self.fail("color", "relations", f"relation color {color!r} is not a colour", index)
        description = entry.get("description", "")
        if not isinstance(description, str):
            self.fail("description", "relations", "relation description must be a string", index)
        return RelationDef(name, heads, children, strip_controls(description).strip(), color)

    def relation_ends(
        self, entry: dict[str, Any], key: str, index: int, label_names: set[str]
    ) -> tuple[str, ...]:
        """The labels a relation's heads or children may have ([] or missing: any label)."""
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(key, "relations", f"relation {key} must be a list of label names", index)
        unknown = [item for item in value if item not in label_names]
        if unknown:
            self.fail(
                key,
                "relations",
                f"relation {key} name {unknown[0]!r}, which is not a label of the label set",
                index,
            )
        return tuple(value)

    def check_label_keys(self, labels: tuple[LabelDef, ...], keymap: dict[str, str]) -> None:
        """A label's key must not also be the key of another binding where labels are pressed:
        refused in one line naming every clash (the first one's line in the file)."""
        clashes = label_key_clashes(labels, keymap)
        if not clashes:
            return
        first = clashes[0]
        problem = "; ".join(clash.said() for clash in clashes)
        problem += "; choose other keys, or move those bindings under [keymap]"
        if first.binding_id in keymap:
            self.fail(first.binding_id, "keymap", problem)
        self.fail("key", "labels", problem, first.index)

    def keymap(self, value: object, labels: tuple[LabelDef, ...]) -> dict[str, str]:
        if not isinstance(value, dict):
            self.fail("keymap", None, 'keymap must be a table of binding id = "keys"')
        known = known_binding_ids(labels)
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
