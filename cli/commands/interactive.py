"""Commands that open screens (the library, `annotate`, `demo`), and `config`.

`annotate` on a current SQLite file starts fast: its first screen is read without SQLAlchemy
(`store.first_screen`) and the store opens behind it, in the app (see `tui.app`). Every other
case opens the store first. The checks, and their one-line errors, come in the same order.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from cli.common import (
    CliError,
    Context,
    checked_annotator,
    direct_read,
    load_settings,
    open_store,
    screens_can_draw,
    store_user,
)

if TYPE_CHECKING:
    from store import Store
    from store.first_screen import FirstScreen


def run_interactive(args: argparse.Namespace, context: Context) -> int:
    if args.command == "config":
        return _show_config(context)
    if args.command == "demo":
        return _run_demo(args, context)
    if args.command == "annotate" and screens_can_draw():
        first = _first_screen(context, getattr(args, "doc", None))
        if first is not None:
            return _run_annotate_fast(context, first)
    with open_store(context) as store:
        doc_id = _document_id(store, getattr(args, "doc", None))
        start = "annotate" if args.command == "annotate" else "library"
        return _run_app(store, context, start=start, doc_id=doc_id)


def _run_app(store: Store, context: Context, *, start: str, doc_id: int | None) -> int:
    from tui.app import make_app

    annotator = store_user(store)
    config = load_settings(context)
    store.ensure_annotator(annotator)
    if not screens_can_draw():
        raise CliError("the screens need a terminal (standard output is not one)")
    make_app(store, annotator, config, start=start, doc_id=doc_id).run(mouse=context.mouse)
    return 0


def _first_screen(context: Context, ref: str | None) -> FirstScreen | None:
    """The annotate screen's first document, read without the store; None where only the store
    can read it (not a current SQLite file, nothing to annotate, an error the store should word)."""
    import sqlite3

    from store.errors import StoreError
    from store.first_screen import read_first_screen

    with direct_read(context) as direct:
        if direct is None:
            return None
        try:
            return read_first_screen(direct.connection, ref, checked_annotator(context.annotator))
        except StoreError as error:
            raise CliError(str(error)) from None
        except sqlite3.Error:
            return None


def _run_annotate_fast(context: Context, first: FirstScreen) -> int:
    from tui.app import make_app

    annotator = checked_annotator(context.annotator)
    config = load_settings(context)
    app = make_app(
        lambda: open_store(context),
        annotator,
        config,
        start="annotate",
        doc_id=first.document.id,
        first_screen=first,
    )
    try:
        app.run(mouse=context.mouse)
    finally:
        if app.opened_store is not None:
            app.opened_store.close()
    if app.store_failure is not None:
        raise CliError(app.store_failure)
    return 0


def _document_id(store: Store, ref: str | None) -> int | None:
    if ref is None:
        return None
    from store import StoreError

    try:
        return store.find_document(ref).id
    except StoreError as error:
        raise CliError(str(error)) from None


def _show_config(context: Context) -> int:
    from tui.config import describe_config

    config = load_settings(context)
    Console().print(describe_config(config))
    return 0


def _run_demo(args: argparse.Namespace, context: Context) -> int:
    from cli.demo import build_demo_database
    from store import StoreError
    from store.paths import default_db_path

    if context.db is not None and not context.db.strip():
        from store.identity import EMPTY_TARGET

        raise CliError(EMPTY_TARGET)
    path = Path(context.db) if context.db else default_db_path().parent / "demo.db"
    if context.db and "://" in context.db:
        raise CliError("demo builds an SQLite file: give --db a file path")
    try:
        if args.fresh or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            build_demo_database(path, checked_annotator(context.annotator)).close()
    except (StoreError, OSError) as error:
        raise CliError(f"demo database {path}: {error}") from None
    Console(stderr=True).print(Text(f"demo database: {path}"))
    if args.no_open:
        return 0
    demo_context = replace(context, db=str(path))
    with open_store(demo_context) as store:
        return _run_app(store, demo_context, start="library", doc_id=None)
