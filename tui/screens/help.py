"""The help screen: every key in force (after the user's keymap) and the labelling guidelines."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from settings.config import Config
from settings.keys import SCOPE_TITLES, display_keys, effective_keys
from tui import keys
from tui.claim_filter import FILTER_TERMS_HELP
from tui.config import label_style


def keys_table(config: Config) -> Table:
    """Every binding, grouped by where it works, with the keys the config puts in force."""
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    current_scope = None
    for spec, key_list in effective_keys(config.labels, config.keymap):
        if spec.scope != current_scope:
            current_scope = spec.scope
            table.add_row(Text(""), Text(""))
            table.add_row(Text(SCOPE_TITLES.get(spec.scope, spec.scope), "underline"), Text(""))
        table.add_row(Text(display_keys(key_list)), Text(spec.description))
    table.add_row(Text(""), Text(""))
    table.add_row(Text("mouse drag", "bold"), Text("Select text"))
    return table


def labels_table(config: Config) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=False)
    for label in config.labels:
        table.add_row(
            Text(label.key, "bold"),
            Text(f" {label.name} ", style=label_style(label.color)),
            Text(label.description),
        )
    return table


def read_guidelines(path: Path) -> str:
    """The guidelines Markdown, or a line saying why it cannot be shown."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return f"*The guidelines file {path} cannot be read: {error}*"


class HelpScreen(ModalScreen[None]):
    """Keys and guidelines; `escape`, `?` or `q` closes it."""

    BINDINGS = keys.bindings_for("help")

    def __init__(self, config: Config) -> None:
        super().__init__()
        self._config = config

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text("Labels", "bold"), classes="help-heading")
            yield Static(labels_table(self._config))
            yield Static(Text("Keys", "bold"), classes="help-heading")
            yield Static(keys_table(self._config), id="help-keys")
            yield Static(Text("Claims desk filter", "bold"), classes="help-heading")
            yield Static(Text(FILTER_TERMS_HELP), id="help-claims-filter")
            yield Markdown(read_guidelines(self._config.guidelines_path), id="guidelines")
