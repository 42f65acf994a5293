"""Full-text search over every stored document: the index's SQL and `Store.search`'s reads.

SQLite: an FTS5 table, `documents_fts`, over `documents.text` (external content: the text is
stored once, in `documents`), kept in step by triggers on `documents`, so every way a document
is written or deleted — the bulk import, a restore, a cascade — changes the index in the same
transaction. PostgreSQL: a GIN index on the `simple` tsvector of the folded text
(`factmark_fold`: lower case, Latin accents off, punctuation as spaces, so its words are the
ones FTS5 sees); no extension, so an ordinary database owner can create it.

The database finds and ranks the documents (FTS5: bm25; PostgreSQL: ts_rank over the first
`PG_RANKED` matches); `vocabulary.fulltext` then finds the matches in each one's text, in code
points, with the same folding. A document the database returns where that finds no match (the
two disagree on a rare character) is left out, and the next one read instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from store.column_values import ext_id
from store.desk_info import SearchHit
from store.errors import StoreError
from store.listing import OPENING_CHARS
from vocabulary.fulltext import Query, find_matches, snippet

FTS5_MODULE = "fts5"  # a name, so a test can stand in an SQLite that lacks it
PG_RANKED = 2000  # PostgreSQL ranks at most this many matching documents (the first found)
_PAGE_MIN = 20
_COLUMNS = "d.id, d.text, d.title, d.outlet, d.published, d.text_sha256"

# -- the index (version 4) -------------------------------------------------------------------


def sqlite_fulltext_statements(module: str) -> list[str]:
    """The FTS5 table over documents' text and the triggers that keep it in step."""
    insert = "INSERT INTO documents_fts (rowid, text) VALUES (new.id, new.text);"
    delete = (
        "INSERT INTO documents_fts (documents_fts, rowid, text) "
        "VALUES ('delete', old.id, old.text);"
    )
    # IF NOT EXISTS: an upgrade step may meet what it makes already there (and runs anyway).
    trigger = "CREATE TRIGGER IF NOT EXISTS documents_fts_"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING {module}(text, "
        "content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        f"{trigger}insert AFTER INSERT ON documents BEGIN {insert} END",
        f"{trigger}delete AFTER DELETE ON documents BEGIN {delete} END",
        f"{trigger}update AFTER UPDATE OF text ON documents BEGIN {delete} {insert} END",
    ]


# Latin letters with one accent (both cases: lower() leaves them alone under a C locale) and the
# punctuation PostgreSQL's parser would join words over ("3.5", "a-b", hosts, e-mail addresses).
_PG_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~‘’‚‛“”„‐‑‒–—―…«»‹›·•¡¿"


def _pg_fold_table() -> tuple[str, str]:
    from vocabulary.fulltext import fold

    sources, targets = [], []
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded.isascii() and folded != char:
            sources.append(char)
            targets.append(folded)
    return "".join(sources) + _PG_PUNCTUATION, "".join(targets) + " " * len(_PG_PUNCTUATION)


def pg_fulltext_statements() -> list[str]:
    """The folding function and the GIN index over documents' folded text."""
    sources, targets = _pg_fold_table()

    def literal(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    return [
        "CREATE OR REPLACE FUNCTION factmark_fold(value text) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS "
        f"$$ SELECT translate(lower(value), {literal(sources)}, {literal(targets)}) $$",
        f"CREATE INDEX IF NOT EXISTS ix_documents_fulltext ON documents USING GIN ({_PG_VECTOR})",
    ]


_PG_VECTOR = "to_tsvector('simple'::regconfig, factmark_fold(text))"


def install_fulltext(connection: Connection) -> None:
    """Create the index (and fill it from the documents there are), in the caller's
    transaction. StoreError, in one line, for an SQLite built without FTS5."""
    if connection.dialect.name == "postgresql":
        for statement in pg_fulltext_statements():
            connection.execute(text(statement))
        return
    try:
        for statement in sqlite_fulltext_statements(FTS5_MODULE):
            connection.exec_driver_sql(statement)
    except OperationalError as exc:
        if "no such module" not in str(exc.orig):
            raise
        import sqlite3

        where = connection.engine.url.database or "the database"
        raise StoreError(
            f"cannot open {where}: this Python's SQLite ({sqlite3.sqlite_version}) has no FTS5 "
            "full-text search, which factmark needs; use a Python whose sqlite3 module has it"
        ) from None
    connection.exec_driver_sql("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')")


# -- searching ---------------------------------------------------------------------------------


def search(session: Session, query: Query, limit: int, every: bool) -> list[SearchHit]:
    """The best `limit` documents for `query`, best first, with their match (or, `every`, all
    their matches, in text order)."""
    hits: list[SearchHit] = []
    documents = 0
    for rows in _pages(session, query, max(limit * 2, _PAGE_MIN)):
        for row in rows:
            found = _hits(row, query, every, documents + 1)
            if found:
                hits.extend(found)
                documents += 1
                if documents == limit:
                    return hits
    return hits


def _hits(row: Any, query: Query, every: bool, rank: int) -> list[SearchHit]:
    doc_id, body, title, outlet, published, sha = row
    hits = []
    for start, end in find_matches(body, query, every=every):
        line = snippet(body, start, end)
        hits.append(
            SearchHit(
                document_id=doc_id,
                ext_id=ext_id(sha),
                title=title,
                outlet=outlet,
                published=published,
                start=start,
                end=end,
                text=body[start:end],
                snippet=line.text,
                snippet_start=line.start,
                snippet_end=line.end,
                rank=rank,
                opening=body[:OPENING_CHARS],
            )
        )
    return hits


def _pages(session: Session, query: Query, size: int) -> Iterator[list[Any]]:
    """The matching documents' rows, best first, `size` at a time, until there are no more."""
    dialect = session.connection().dialect.name
    read = _pg_page if dialect == "postgresql" else _sqlite_page
    offset = 0
    while True:
        rows = read(session, query, size, offset)
        if rows:
            yield rows
        if len(rows) < size:
            return
        offset += size


def _sqlite_page(session: Session, query: Query, size: int, offset: int) -> list[Any]:
    sql = (
        f"SELECT {_COLUMNS} FROM documents_fts JOIN documents AS d ON d.id = documents_fts.rowid "
        "WHERE documents_fts MATCH :query ORDER BY documents_fts.rank LIMIT :size OFFSET :offset"
    )
    parameters = {"query": query.fts5(), "size": size, "offset": offset}
    try:
        return list(session.execute(text(sql), parameters))
    except OperationalError as exc:
        if "no such table: documents_fts" in str(exc.orig) or "no such module" in str(exc.orig):
            raise StoreError(
                "this database has no full-text index: open it once with a factmark whose "
                "SQLite has FTS5"
            ) from None
        raise


def _pg_tsquery(query: Query, parameters: dict[str, Any]) -> str:
    """The query as a tsquery expression over bind parameters (never spliced into the SQL)."""
    parts = []
    for index, term in enumerate(query.terms):
        words = term.words[:-1] if term.prefix else term.words
        pieces = []
        if words:
            parameters[f"p{index}"] = " ".join(words)
            pieces.append(f"phraseto_tsquery('simple', factmark_fold(:p{index}))")
        if term.prefix:
            parameters[f"x{index}"] = term.words[-1]
            pieces.append(f"to_tsquery('simple', quote_literal(factmark_fold(:x{index})) || ':*')")
        parts.append(pieces[0] if len(pieces) == 1 else f"tsquery_phrase({pieces[0]}, {pieces[1]})")
    return " && ".join(f"({part})" for part in parts)


def _pg_page(session: Session, query: Query, size: int, offset: int) -> list[Any]:
    parameters: dict[str, Any] = {"size": size, "offset": offset, "ranked": PG_RANKED}
    tsquery = _pg_tsquery(query, parameters)
    # The index finds the documents; ranking re-reads each one's text, so only the first
    # PG_RANKED found are ranked (a word in every document must not read them all).
    sql = (
        f"WITH q AS (SELECT {tsquery} AS query), "
        f"found AS (SELECT documents.id FROM documents, q WHERE {_PG_VECTOR} @@ q.query "
        "LIMIT :ranked) "
        f"SELECT {_COLUMNS} FROM documents AS d JOIN found ON found.id = d.id, q "
        "ORDER BY ts_rank(to_tsvector('simple'::regconfig, factmark_fold(d.text)), q.query) "
        "DESC, d.id LIMIT :size OFFSET :offset"
    )
    return list(session.execute(text(sql), parameters))
