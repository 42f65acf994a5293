"""`factmark config`: the configuration in force, drawn with Rich (untrusted text as plain text)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from settings.config import load_config
from tui.config import describe_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_describe_config_shows_what_is_in_force(tmp_path: Path) -> None:
    path = write(tmp_path, 'organisation = "[b]Desk[/b]"\n\n[keymap]\nundo = "ctrl+z"\n')
    console = Console(width=140, record=True, color_system=None)
    console.print(describe_config(load_config(path)))
    shown = console.export_text()
    assert str(path) in shown
    assert "[b]Desk[/b]" in shown  # shown as typed, not as markup
    assert "ctrl+z (config)" in shown
    assert "figure" in shown and "label-figure" in shown
