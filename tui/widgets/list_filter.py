"""A list's filter field, entered with `/`: letters typed elsewhere stay keys (q quits, ? helps)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class ListFilter(Input):
    """The filter above a table: escape goes back to the table, keeping what was typed."""

    BINDINGS = [Binding("escape", "back_to_list", "List", show=False)]

    def __init__(self, table_id: str, *, placeholder: str, id: str) -> None:  # noqa: A002
        super().__init__(placeholder=placeholder, id=id)
        self._table_id = table_id

    def action_back_to_list(self) -> None:
        self.screen.query_one(f"#{self._table_id}").focus()
