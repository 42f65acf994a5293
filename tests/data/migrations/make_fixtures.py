"""Database files made by every earlier schema version, BY THE CODE OF THAT VERSION, for the
migration tests (tests/test_migration_fixtures.py).

Rerun from the repository root (it needs git history and the project's .venv):

    .venv/bin/python tests/data/migrations/make_fixtures.py

For each version below it extracts that commit's tree (`git archive`) into a temporary directory
and runs this same file in a child Python whose import path is that tree and the virtual
environment's site-packages, without the editable install of the current checkout (`-S`), so that
every row is written, and read back, by that version's own `Store`. Each version leaves `vN.db`
(the database, checkpointed into one file) and `vN.json`, the manifest: what that version's API
reads back (documents, every layer's spans and relations, done marks, events, and what the
version had of roles, assignments, review decisions, entities and suggestion decisions).

`snapshot` is the one reader of a store the old code and the test share; it uses only methods
and fields that exist in every version from 1 on (more with `version`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# version -> the commit whose code makes its file: the last commit at that schema version, where
# the version's tables were complete (`git log -G'SCHEMA_VERSION' -- store/`).
COMMITS = {
    1: "fda3289",  # store: SQLModel tables, ... schema versions (v1 introduced)
    2: "acee835",  # Review: ... schema v2 with its upgrade (no table change until v3)
    3: "9f0a91a",  # the last commit at version 3 (ff852ec^; its entities, relation and
    # suggestion decisions landed after 8ba07e5 opened version 3; ff852ec made version 4)
}
# A file from the commit that first said version 3 (8ba07e5): version 3 with none of its tables.
EARLY_3 = "8ba07e5"
TEXTS = (
    # Code points beyond the BMP and combining marks: offsets count code points, in every version.
    "Ministerin Müller sagte am Montag 👍, 34.535 Menschen seien getötet worden. Hamas bestätigte.",
    "Hamas said 34,535 Palestinians were killed in Gaza, the ministry reported on Monday.",
    "The senator claimed unemployment fell to 3.1% in March, a figure the bureau disputes.",
)


# ---------------------------------------------------------------------------------------------
# What a store holds, as plain JSON (run by the old code and by the test alike)


def plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return value


def features(store: Any) -> list[str]:
    """What this version of the store can read back beyond documents, layers and events."""
    probes = {
        "review": "review_document",
        "assignments": "assignments",
        "suggestions": "suggestion_decisions",
        "entities": "entities",
        "relation_decisions": "reject_relations",
    }
    return sorted(name for name, method in probes.items() if hasattr(store, method))


def snapshot(store: Any, kinds: list[str]) -> dict[str, Any]:
    """Everything `store` holds that the `kinds` of reads (see `features`) return."""
    names = [annotator.name for annotator in store.annotators()]
    documents = []
    for doc_id in range(1, store.document_count() + 1):
        entry: dict[str, Any] = {
            "document": plain(store.document(doc_id)),
            "raw": plain(store.raw_source(doc_id)),
            "layers": {
                layer: {
                    "spans": plain(store.spans(doc_id, layer)),
                    "relations": plain(store.relations(doc_id, layer)),
                    "done": layer != "gold" and store.is_done(doc_id, layer),
                }
                for layer in [*names, "gold"]
            },
        }
        if "review" in kinds:
            review = store.review_document(doc_id)
            kept = ["pending", "provenance", "decisions", "status"]
            if "relation_decisions" in kinds:
                kept += ["relation_decisions", "gold_relations", "relation_sources"]
            entry["review"] = {key: plain(getattr(review, key)) for key in kept}
        if "suggestions" in kinds:
            entry["suggestions"] = {
                layer: plain(store.suggestion_decisions(doc_id, layer)) for layer in names
            }
        documents.append(entry)
    found: dict[str, Any] = {
        "kinds": kinds,
        "annotators": plain(store.annotators()),
        "documents": documents,
        "events": plain(store.events()),
    }
    if "assignments" in kinds:
        found["assignments"] = plain(store.assignments())
    if "entities" in kinds:
        found["entities"] = plain(store.entities())
    return found


# ---------------------------------------------------------------------------------------------
# The data, written through each version's own API


def _records() -> Any:
    try:
        from vocabulary import records  # version 3's home of the drafts
    except ImportError:
        from importers import records  # versions 1 and 2
    return records


def _import(store: Any) -> None:
    r = _records()
    ana_spans = (
        r.SpanDraft(0, 17, "actor", local_id="a"),
        r.SpanDraft(18, 72, "claim", "checked ✓", {"confidence": "high", "n": 3}, local_id="c"),
        r.SpanDraft(34, 40, "figure", local_id="f"),
    )
    first = r.ImportItem(
        r.Article(
            TEXTS[0],
            title="Müller",
            outlet="Tagblatt",
            url="https://example.org/1",
            meta={"section": "Politik", "n": [1, 2]},
        ),
        layers=(
            r.LayerDraft("ana", ana_spans, (r.RelationDraft("c", "a", "said_by"),)),
            r.LayerDraft("gold", (r.SpanDraft(0, 17, "actor"), r.SpanDraft(34, 40, "figure"))),
        ),
        raw=b"<html><p>" + TEXTS[0].encode() + b"</p></html>",
        source_file="first.html",
    )
    second = r.ImportItem(r.Article(TEXTS[1], title="Gaza figures", published="2024-05-01"))
    third = r.ImportItem(
        r.Article(TEXTS[2], title="Unemployment"),
        layers=(r.LayerDraft("ben", (r.SpanDraft(4, 11, "actor"),), done=False),),
    )
    store.import_items([first, second, third])


def _edit(store: Any) -> None:
    """Annotators' own edits: notes, attributes, links, deletions, undo and redo, done marks."""
    actor = store.add_span(2, "ben", 0, 5, "actor", note="the group", attrs={"kind": "org"})
    figure = store.add_span(2, "ben", 11, 17, "figure")
    claim = store.add_span(2, "ben", 11, 50, "claim", attrs={"check": True})
    store.add_relation(2, "ben", claim.id, actor.id, "said_by")
    store.set_note(figure.id, "ben", "casualty count")
    gone = store.add_span(2, "ben", 60, 68, "actor")
    store.delete_span(gone.id, "ben")
    store.undo(2, "ben")  # the deletion undone: the span is back
    store.redo(2, "ben")  # and deleted again
    store.add_span(2, "ben", 71, 77, "figure")
    store.undo(2, "ben")  # an addition undone
    store.add_span(2, "ana", 0, 5, "actor")
    store.add_span(2, "ana", 11, 17, "figure", note="as ben")
    store.set_done(2, "ana")
    store.set_done(2, "ben")
    store.set_done(3, "ana")
    store.set_done(3, "ana", False)  # undone: the event stays, the mark is off


def _review(store: Any, version: int) -> None:
    if version == 1:
        store.add_span(2, "gold", 0, 5, "actor", gold_source="added", actor="rita")
        return
    store.accept_span(2, 11, 17, "figure", reviewer="rita", from_annotators=["ana", "ben"])
    store.add_gold_span(3, 4, 11, "actor", reviewer="rita")
    store.add_gold_span(3, 20, 32, "claim", reviewer="rita")
    store.undo_gold(3, reviewer="rita")  # the claim taken back out of gold
    store.reject_spans(2, [(0, 5, "actor")], reviewer="rita")
    store.set_adjudicated(2, reviewer="rita")
    store.assign(["ana", "ben"], 1, documents=[1, 2, 3], actor="ana")


def _fact_check_layer(store: Any) -> None:
    """Version 3: entities named by actor spans, link rejections, suggestion answers."""
    entity = store.create_entity("Hamas", "Organization", aliases=["Ḥamās"], actor="ana")
    [actor] = [s for s in store.spans(2, "ana") if s.label == "actor"]
    store.name_entity(actor.id, "ana", entity.id, actor="ana")
    claim, link = store.add_linked_span(
        2, "ana", 11, 50, "claim", actor.id, "said_by", new_is_head=True
    )
    store.reject_relations(
        2, [((claim.start, claim.end, "claim"), (0, 5, "actor"), "said_by")], reviewer="rita"
    )
    store.accept_suggestion(1, "ana", 62, 67, "figure", "figures")
    store.reject_suggestion(1, "ana", 76, 81, "actor", "actors")


def build(path: Path, version: int) -> dict[str, Any]:
    from store import Store

    with Store.open(path) as store:
        store.ensure_annotator("ana", "admin")
        store.ensure_annotator("ben")
        store.ensure_annotator("rita", "reviewer")
        _import(store)
        _edit(store)
        _review(store, version)
        if hasattr(store, "create_entity"):  # not in version 3's first commit
            _fact_check_layer(store)
        return snapshot(store, features(store))


def _child(version: int, out: Path, manifest: Path) -> None:
    import store

    tree = Path(os.environ["FACTMARK_FIXTURE_TREE"]).resolve()
    assert Path(store.__file__).resolve().is_relative_to(tree), store.__file__
    out.unlink(missing_ok=True)
    found = build(out, version)
    loaded = sorted(
        name
        for name, module in sys.modules.items()
        if name.split(".")[0] in {"store", "importers", "vocabulary"}
        and getattr(module, "__file__", None)
    )
    for name in loaded:  # every module of ours came from the old tree, none from this checkout
        assert Path(sys.modules[name].__file__ or "").resolve().is_relative_to(tree), name
    connection = sqlite3.connect(out)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA journal_mode = DELETE")  # one file in the repository
    (stored,) = connection.execute(
        "SELECT value FROM factmark_meta WHERE key = 'schema_version'"
    ).fetchone()
    connection.close()
    assert int(stored) == version, (stored, version)
    manifest.write_text(json.dumps(found, indent=1, ensure_ascii=False, sort_keys=True) + "\n")


def _make(name: str, version: int, commit: str) -> None:
    repo = Path(
        subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=HERE,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "archive", commit], cwd=repo, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        site = sysconfig.get_paths()["purelib"]
        env = {
            **os.environ,
            "PYTHONPATH": f"{folder}{os.pathsep}{site}",
            "FACTMARK_FIXTURE_TREE": folder,
        }
        for variable in ("FACTMARK_DB", "FACTMARK_CONFIG"):
            env.pop(variable, None)
        command = [
            sys.executable,
            "-S",
            str(Path(__file__).resolve()),
            "--build",
            str(version),
            str(HERE / f"{name}.db"),
            str(HERE / f"{name}.json"),
        ]
        subprocess.run(command, cwd=folder, env=env, check=True)
    print(f"{name}.db: schema version {version}, made by {commit}")


def main(argv: list[str]) -> None:
    if argv[:1] == ["--build"]:
        _child(int(argv[1]), Path(argv[2]), Path(argv[3]))
        return
    for version, commit in COMMITS.items():
        _make(f"v{version}", version, commit)
    _make("v3-early", 3, EARLY_3)


if __name__ == "__main__":
    main(sys.argv[1:])
