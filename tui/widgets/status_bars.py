"""One-line bars: the header (who is working, where in the queue) and the size warning."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from vocabulary.text import strip_controls

MIN_WIDTH = 60
MIN_HEIGHT = 15


class StatusHeader(Static):
    """The top line: app name, organisation, annotator, and what the screen is showing."""

    DEFAULT_CSS = """
    StatusHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def show(self, organisation: str | None, annotator: str, where: str) -> None:
        """Plain text only: the organisation and annotator names come from files and the shell."""
        line = Text.assemble(("factmark", "bold"))
        if organisation:
            line.append(f" · {strip_controls(organisation)}")
        line.append(" · annotator ")
        line.append(strip_controls(annotator), "bold")
        if where:
            line.append(f" · {where}")
        line.no_wrap = True
        line.overflow = "ellipsis"
        self.update(line)


class SizeWarning(Static):
    """Shown instead of the screen's content when the terminal is below the minimum size."""

    DEFAULT_CSS = """
    SizeWarning {
        display: none;
        width: 1fr;
        height: 1fr;
        content-align: center middle;
        text-align: center;
        color: $warning;
    }
    """

    def __init__(self) -> None:
        super().__init__(
            Text(
                f"This terminal is too small for factmark: it needs at least "
                f"{MIN_WIDTH} columns × {MIN_HEIGHT} rows. Enlarge the window or reduce the font "
                f"size. (ctrl+q quits.)"
            ),
            classes="size-warning",
        )
