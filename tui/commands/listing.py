"""`factmark list`: documents with their length and each annotator's progress."""

from __future__ import annotations

import argparse
import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui.commands.common import Context, open_store, safe


def run_list(args: argparse.Namespace, context: Context) -> int:
    with open_store(context) as store:
        documents = store.list_documents()
    if args.json:
        print(json.dumps([_as_json(doc) for doc in documents], ensure_ascii=False, indent=1))
    else:
        Console().print(_table(documents))
    return 0


def _as_json(doc) -> dict:
    return {
        "id": doc.id,
        "ext_id": doc.ext_id,
        "title": doc.title,
        "outlet": doc.outlet,
        "published": doc.published,
        "length": doc.length,
        "annotators": {
            name: {"spans": p.spans, "done": p.done} for name, p in sorted(doc.progress.items())
        },
        "assigned": list(doc.assigned),
        "adjudicated": doc.adjudicated,
    }


def _table(documents) -> Table:
    names = sorted({name for doc in documents for name in doc.progress})
    table = Table(title=f"{len(documents)} documents", title_justify="left")
    for column, justify in (
        ("id", "right"),
        ("title", "left"),
        ("outlet", "left"),
        ("length", "right"),
        ("assigned", "left"),
    ):
        table.add_column(column, justify=justify, overflow="ellipsis", no_wrap=column == "title")
    for name in names:
        table.add_column(Text(safe(name)), justify="right")
    for doc in documents:
        cells = [
            str(doc.id),
            Text(safe(doc.title or "—")),
            Text(safe(doc.outlet or "—")),
            f"{doc.length:,}",
            Text(safe(", ".join(doc.assigned)) or "—"),
        ]
        cells += [_progress_cell(doc.progress.get(name)) for name in names]
        table.add_row(*cells)
    return table


def _progress_cell(progress) -> Text:
    if progress is None:
        return Text("·", style="dim")
    return Text(f"{progress.spans}{' ✓' if progress.done else ''}")
