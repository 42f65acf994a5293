"""The configuration file: defaults, the documented example, and one-line errors naming the line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.color import ANSI_COLOR_NAMES, Color, ColorParseError

from settings import keys
from settings.colors import COLOUR_NAMES, expand_short_hex, is_colour
from settings.config import (
    DOCUMENTED_DEFAULTS,
    SHIPPED_GUIDELINES,
    Config,
    ConfigError,
    load_config,
)
from settings.paths import default_config_path
from vocabulary.checks import CheckSettings, RatingDef
from vocabulary.labels import (
    DEFAULT_LABEL_DEFS,
    DEFAULT_RELATION_DEFS,
    LabelDef,
    RelationDef,
    fitting_relations,
)

SHIPPED_EXAMPLE = DOCUMENTED_DEFAULTS


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_default_file_means_the_defaults(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("FACTMARK_CONFIG", raising=False)
    monkeypatch.setattr("settings.config.default_config_path", lambda: tmp_path / "absent.toml")
    config = load_config(None)
    assert config == Config()
    assert config.label_names == ("actor", "claim", "figure", "outcome")
    assert config.guidelines_path == SHIPPED_GUIDELINES and SHIPPED_GUIDELINES.is_file()


def test_factmark_config_names_the_file_to_read(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, 'organisation = "Desk"\n')
    monkeypatch.setenv("FACTMARK_CONFIG", str(path))
    assert load_config(None).organisation == "Desk"
    monkeypatch.setenv("FACTMARK_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="missing.toml"):
        load_config(None)


def test_the_documented_example_is_exactly_the_defaults() -> None:
    config = load_config(SHIPPED_EXAMPLE)
    assert config.labels == DEFAULT_LABEL_DEFS
    assert config.relations == DEFAULT_RELATION_DEFS
    assert config.keymap == {} and config.organisation is None and config.guidelines is None
    assert config.checks == CheckSettings() and config.review_url is None


def test_a_full_config_is_read(tmp_path: Path) -> None:
    (tmp_path / "rules.md").write_text("# Our rules\n", encoding="utf-8")
    path = write(
        tmp_path,
        """
organisation = "Example Desk"
guidelines = "rules.md"

[[labels]]
name = "source"
key = "s"
color = "dodger_blue2"
description = "Where a claim comes from"

[[labels]]
name = "quote"
key = "5"
color = "#d7af5f"

[keymap]
undo = "u,ctrl+z"
label-quote = "Q"
object-sentence = "o"
""",
    )
    config = load_config(path)
    assert config.organisation == "Example Desk"
    assert config.guidelines == tmp_path / "rules.md"
    assert config.labels == (
        LabelDef("source", "s", "dodger_blue2", "Where a claim comes from"),
        LabelDef("quote", "5", "#d7af5f", ""),
    )
    assert config.keymap == {"undo": "u,ctrl+z", "label-quote": "Q", "object-sentence": "o"}
    assert config.source == path


def test_a_label_key_can_take_a_key_whose_binding_moved(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[labels]]\nname = "actor"\nkey = "a"\ncolor = "red"\n\n'
        '[keymap]\naccept-suggestion = "ctrl+a"\nreview-accept = "ctrl+a"\n',
    )
    assert load_config(path).labels[0].key == "a"


def test_relation_types_are_read_and_follow_the_label_set(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[[relations]]
name = "cites"
heads = ["claim"]
color = "#d7af5f"
description = "A claim citing anything"
""",
    )
    config = load_config(path)
    assert config.relations == (
        RelationDef("cites", ("claim",), (), "A claim citing anything", "#d7af5f"),
    )
    cites = config.relations[0]
    assert cites.fits("claim", "figure") and not cites.fits("actor", "claim")
    only_actors = write(
        tmp_path, '[[labels]]\nname = "actor"\nkey = "1"\ncolor = "red"\n', "actors.toml"
    )
    assert load_config(only_actors).relations == ()  # every default needs a claim or a figure
    assert fitting_relations(DEFAULT_RELATION_DEFS, "figure", "actor")[0].name == "source"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('organisation = "Desk\n', "line 1"),  # TOML syntax: unterminated string
        ('organisation = "Desk"\n\n[keymap]\nundo = \n', "line 4"),
        ("organisation = 3\n", r"line 1: organisation must be a string"),
        ('organisaton = "Desk"\n', r"line 1: unknown setting 'organisaton'"),
        ('guidelines = "nowhere.md"\n', r"line 1: guidelines file .*nowhere.md.* does not exist"),
        (
            '[[labels]]\nname = "a"\nkey = "1"\ncolor = "#fff"\n\n'
            '[[labels]]\nname = "b"\nkey = "2"\ncolor = "blurple"\n',
            r"line 9: label color 'blurple' is not a colour",
        ),
        (
            '[[labels]]\nname = "a"\nkey = "1"\ncolor = "red"\n\n'
            '[[labels]]\nname = "b"\nkey = "1"\ncolor = "blue"\n',
            r"line 8: label key '1' is used twice",
        ),
        ('[[labels]]\nname = "a"\ncolor = "red"\n', r"line 1: label 1 has no 'key'"),
        ('[[labels]]\nname = "two words"\nkey = "1"\ncolor = "red"\n', r"line 2: label name"),
        ('[[labels]]\nname = "a"\nkey = "1"\ncolor = "red"\nshape = 3\n', r"line 5: unknown label"),
        ('[keymap]\nundo = "u"\nfrobnicate = "f"\n', r"line 3: unknown binding id 'frobnicate'"),
        ('[keymap]\nundo = ""\n', r"line 2: keymap 'undo' must be keys"),
        ("[keymap]\nundo = 5\n", r"line 2: keymap 'undo' must be keys"),
        ("labels = []\n", r"line 1: labels must be a non-empty array"),
        (
            '[[labels]]\nname = "actor"\nkey = "A"\ncolor = "red"\n',
            r"line 3: label key 'A' of 'actor' is also the key of 'accept-all-suggestions'",
        ),
        (
            '[[labels]]\nname = "actor"\nkey = "shift+l"\ncolor = "red"\n',
            r"line 3: label key 'shift\+l' of 'actor' is also the key of 'link-remove'",
        ),
        ('[[relations]]\nname = "said by"\n', r"line 2: relation 1 name must be a word"),
        (
            '[[relations]]\nname = "cites"\nheads = ["claim"]\nchildren = ["person"]\n',
            r"line 4: relation children name 'person', which is not a label",
        ),
        ('[[relations]]\nname = "cites"\nheads = "claim"\n', r"line 3: relation heads must be"),
        (
            '[[relations]]\nname = "cites"\ncolor = "blurple"\n',
            r"line 3: relation color 'blurple' is not a colour",
        ),
        (
            '[[relations]]\nname = "cites"\n\n[[relations]]\nname = "cites"\n',
            r"line 5: relation name 'cites' is used twice",
        ),
        ('[[relations]]\nname = "cites"\nweight = 2\n', r"line 3: unknown relation setting"),
    ],
)
def test_bad_files_give_one_line_naming_file_and_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=expected) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'organisation = "\xff"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path)


def test_a_deeply_nested_file_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    text = f'# a comment with [[[ brackets\norganisation = "[[["\nlabels = {deep}\n'
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}, line 3: arrays or tables nested too deeply"
    # The command line says it in one line too, as a usage error.
    from tests.conftest import run_factmark

    note = write(tmp_path, "Talks ended.", name="note.txt")
    result = run_factmark("--config", str(path), "suggest", str(note))
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [f"factmark: {caught.value}"]


def test_an_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a readable file"):
        load_config(tmp_path / "nope.toml")


def test_keymap_ids_follow_the_label_set(tmp_path: Path) -> None:
    path = write(tmp_path, '[keymap]\nlabel-actor = "z"\n')
    assert load_config(path).keymap == {"label-actor": "z"}
    clashing = write(tmp_path, '[keymap]\nlabel-actor = "a"\n', "clash.toml")
    with pytest.raises(ConfigError, match="line 2: label key 'a' of 'actor' is also the key of"):
        load_config(clashing)
    custom = write(
        tmp_path,
        '[[labels]]\nname = "who"\nkey = "1"\ncolor = "red"\n\n[keymap]\nlabel-actor = "a"\n',
    )
    with pytest.raises(ConfigError, match="unknown binding id 'label-actor'"):
        load_config(custom)


def test_every_binding_has_a_unique_id() -> None:
    ids = [spec.id for spec in keys.KEY_SPECS]
    assert len(ids) == len(set(ids))
    label_ids = {spec.id for spec in keys.label_key_specs(DEFAULT_LABEL_DEFS)}
    assert label_ids == {"label-actor", "label-claim", "label-figure", "label-outcome"}


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("FACTMARK_DB", "FACTMARK_DATA_DIR", "FACTMARK_CONFIG"):
        monkeypatch.delenv(variable, raising=False)


def test_default_config_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_env: None):
    assert default_config_path().name == "config.toml"
    assert "factmark" in default_config_path().parts
    monkeypatch.setenv("FACTMARK_CONFIG", str(tmp_path / "mine.toml"))
    assert default_config_path() == tmp_path / "mine.toml"


def test_the_colour_names_are_riches() -> None:
    assert set(ANSI_COLOR_NAMES) == COLOUR_NAMES


def _rich_reads(value: str) -> bool:
    try:
        Color.parse(value)
    except (ColorParseError, ValueError):
        return False
    return True


@pytest.mark.parametrize(
    "value",
    [
        "#87afff",
        "#D7AF5F",
        " red ",
        "Dodger_Blue2",
        "grey50",
        "default",
        "color(68)",
        "Color(255)",
        "color(256)",
        "color()",
        "rgb(1,2,3)",
        "rgb( 10 , 20 ,30 )",
        "rgb(1,2)",
        "rgb(256,0,0)",
        "blurple",
        "#fff",
        "#ffff",
        "",
    ],
)
def test_colours_are_read_as_rich_reads_them(value: str) -> None:
    assert is_colour(value) == _rich_reads(value)


def test_css_shorthand_expands_to_six_digits() -> None:
    assert expand_short_hex("#fA0") == "#ffAA00"
    assert expand_short_hex("#ffaa00") == "#ffaa00" and expand_short_hex("red") == "red"


def test_key_table_flags_are_keywords() -> None:
    with pytest.raises(TypeError):
        keys.KeySpec("id", "k", "action", "Does", "app", False)
    assert not keys.KeySpec("id", "k", "action", "Does", "app", show=False).show


def test_the_check_desk_is_configured(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'review_url = "https://fc.example.org/c/{check_id}"\n'
        "[checks]\n"
        'statuses = ["new", "published", "spiked"]\n'
        "require_second_reviewer = false\n"
        "[[checks.ratings]]\n"
        'name = "Correct"\n'
        "value = 1\n"
        "[[checks.ratings]]\n"
        'name = "Misleading"\n',
    )
    config = load_config(path)
    assert config.checks.statuses == ("new", "published", "spiked")
    assert config.checks.ratings == (RatingDef("Correct", 1), RatingDef("Misleading", None))
    assert not config.checks.require_second_reviewer
    assert config.review_url_for("c-1") == "https://fc.example.org/c/c-1"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[checks]\nstatuses = []\n", "line 2: checks.statuses must be a non-empty list"),
        ('[checks]\nstatuses = ["new"]\n', "line 2: checks.statuses must include 'published'"),
        ('[checks]\nstatuses = ["published", "Published"]\n', "line 2: checks.statuses must be"),
        ("[checks]\nrequire_second_reviewer = 1\n", "line 2: checks.require_second_reviewer"),
        ("[checks]\nsteps = 1\n", "line 2: unknown checks setting 'steps'"),
        ('[[checks.ratings]]\nname = "A"\nvalue = "high"\n', "line 3: a rating value must be"),
        ("[[checks.ratings]]\nvalue = 1\n", "line 1: rating 1 needs a name"),
        ('review_url = "factcheck.org/{check_id}"\n', "line 1: review_url must be an http(s)"),
    ],
)
def test_bad_check_settings_give_one_line(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(problem)):
        load_config(write(tmp_path, text))
