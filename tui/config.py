"""`factmark config` and the TUI's label colours: the configuration in force, drawn with Rich.

The configuration itself (loading, checking, defaults) is `settings.config`; this module only
shows it.
"""

from __future__ import annotations

from rich.color import Color
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from settings.config import DOCUMENTED_DEFAULTS, Config
from settings.keys import SCOPE_TITLES, display_keys, effective_keys
from settings.paths import default_config_path


def describe_config(config: Config) -> RenderableType:
    """What `factmark config` prints: where the file is and every setting in force."""
    return Group(
        _describe_source(config),
        Text.assemble(("Organisation: ", "bold"), config.organisation or "(none)"),
        Text.assemble(("Guidelines:   ", "bold"), str(config.guidelines_path)),
        Text.assemble(
            ("New database: ", "bold"),
            f"shared with group {config.shared_group} (file 0660, directory 2770)"
            if config.shared_group
            else "private to you (file 0600, directory 0700)",
        ),
        Text.assemble(
            ("Suggestions:  ", "bold"),
            f"rules + spaCy pipeline {config.spacy_model}" if config.spacy_model else "rules",
        ),
        Text.assemble(
            ("Defaults:     ", "bold"), f"{DOCUMENTED_DEFAULTS} (every setting, explained)"
        ),
        _labels_table(config),
        _relations_table(config),
        _checks_text(config),
        _keys_table(config),
    )


def _describe_source(config: Config) -> Text:
    if config.source is not None:
        return Text.assemble(("Config file:  ", "bold"), str(config.source))
    default = str(default_config_path())
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


def _relations_table(config: Config) -> Table:
    table = Table(title=Text("Relations (links)"), title_justify="left", expand=False)
    for heading in ("name", "from", "to", "colour", "description"):
        table.add_column(heading)
    for relation in config.relations:
        swatch = Text(f" {relation.color} ", style=label_style(relation.color))
        heads = ", ".join(relation.heads) or "any label"
        children = ", ".join(relation.children) or "any label"
        table.add_row(
            Text(relation.name), Text(heads), Text(children), swatch, Text(relation.description)
        )
    return table


def _checks_text(config: Config) -> Text:
    """The fact-check desk's settings: workflow, verdict scale, sign-off rule, review URL."""
    settings = config.checks
    scale = ", ".join(
        rating.name if rating.value is None else f"{rating.name} ({rating.value:g})"
        for rating in settings.ratings
    )
    sign_off = (
        "a reviewer who did not write the verdict"
        if settings.require_second_reviewer
        else "any reviewer (require_second_reviewer = false)"
    )
    return Text.assemble(
        ("Checks\n", "bold"),
        ("  Statuses:   ", "bold"),
        ", ".join(settings.statuses),
        "\n",
        ("  Verdicts:   ", "bold"),
        scale,
        "\n",
        ("  Publishing: ", "bold"),
        sign_off,
        "\n",
        ("  Review URL: ", "bold"),
        config.review_url or "(none: a verdict without its own URL is not exported)",
    )


def _keys_table(config: Config) -> Table:
    table = Table(
        title=Text("Keys (remap by id under [keymap])"), title_justify="left", expand=False
    )
    for heading in ("id", "keys", "does", "where"):
        table.add_column(heading)
    for spec, key_list in effective_keys(config.labels, config.keymap):
        shown = display_keys(key_list)
        if spec.id in config.keymap:
            shown += " (config)"
        scope = SCOPE_TITLES.get(spec.scope, spec.scope)
        table.add_row(Text(spec.id), Text(shown), Text(spec.description), Text(scope))
    return table


def label_style(color: str) -> str:
    """A Rich style string for a label: its colour as background, black or white text on top."""
    red, green, blue = Color.parse(color).get_truecolor()
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return f"{'black' if luminance > 110 else 'bright_white'} on {color}"
