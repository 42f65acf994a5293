"""The fast JSONL export: lines SQLite assembles, read by forked workers, equal the reference.

`Store.iter_export_lines` builds formats.md's native lines inside SQLite and, on a file, reads
them in worker processes; `exporters.jsonl.native_record` over `Store.iter_export` is the
reference it must match, key order included, on every layer choice and in every chunking.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

import store.chunks as chunks
from exporters.common import dumps
from exporters.jsonl import native_record
from store import Store, StoreError
from store.forked import ForkedReaders, WorkerFailed, can_fork
from tests.conftest import run_factmark
from tests.formats_support import annotated_items
from tests.process_support import INTERRUPTED_EXITS, alive_pids, still_alive_after, workers_of
from vocabulary.names import GOLD_LAYER
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

needs_fork = pytest.mark.skipif(not can_fork(), reason="worker processes need fork (POSIX)")
BIG = 123456789012345678901234567890  # over 64 bits: orjson would read it as a float
HARD_NOTE = 'a "quoted" back\\slash, tab\tand line\nbreak, \u2028 separator, 🙂 and قال'


def _ordered(line: bytes | str) -> list:
    """A JSON line with every object as its list of pairs: equal only with keys in same order."""
    return json.loads(line, object_pairs_hook=list)


def _hard_items() -> list[ImportItem]:
    """Imported meta beside the article's own keys, a note and attrs JSON must escape."""
    article = Article(
        text="Minister Ana Ruiz said 4.2% of 🙂 voters قال “yes”.",
        title="Vote",
        url="https://example.org/v",
        meta={"title": "shadowed", "section": None, "tags": ["a", "ü"], "n": {"x": 1.5, "id": BIG}},
    )
    spans = (
        SpanDraft(9, 17, "actor", note=HARD_NOTE, attrs={"score": 0.25, "ü": [1, None], "id": BIG}),
        SpanDraft(23, 27, "figure", attrs={"value": "4.2", "unit": "%"}),
    )
    return [ImportItem(article, (LayerDraft(GOLD_LAYER, spans), LayerDraft("carol", spans[:1])))]


@pytest.fixture(scope="module")
def hard_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("lines") / "hard.db"
    with Store.open(path) as store:
        outcomes = store.import_items([*annotated_items(), *_hard_items()])
        ids = [o.document_id for o in outcomes]
        for start in (30, 20, 10, 0):  # added out of text order: the export sorts them
            store.add_span(ids[0], "dora", start, start + 5, "claim")
        store.set_done(ids[1], "dora")  # done with no spans: a record with empty arrays
        # Named actors carry attrs.entity, added after their attrs (big numbers and all).
        ruiz = store.create_entity('Ana "the" Ruiz 🙂', "Person")
        for layer in (GOLD_LAYER, "carol"):
            actor = next(s for s in store.spans(ids[-1], layer) if s.label == "actor")
            store.name_entity(actor.id, layer, ruiz.id)
        store.import_items([ImportItem(Article(text=f"Filler {n}."), ()) for n in range(4)])
    with sqlite3.connect(path) as connection:  # a gap in the ids, as deleted rows leave
        connection.execute("DELETE FROM documents WHERE text = 'Filler 1.'")
        # Rows written by hand or by an older version: JSON null for attrs and for meta.
        connection.execute("UPDATE spans SET attrs = 'null' WHERE id = 2")
        connection.execute("UPDATE documents SET meta = 'null' WHERE id = 1")
    return path


@pytest.mark.parametrize("processes", [1, 3])
@pytest.mark.parametrize("source", ["all", GOLD_LAYER, "alice", "carol", "dora"])
def test_assembled_lines_equal_the_reference(hard_db, monkeypatch, source, processes):
    monkeypatch.setattr(chunks, "EXPORT_CHUNK", 2)  # many chunks, shared among workers
    with Store.open(hard_db) as store:
        reference = [dumps(native_record(record)) for record in store.iter_export(source)]
        assembled = store.iter_export_lines(source, processes=processes)
        assert assembled is not None
        lines = [line.line for line in assembled]
    assert reference, "the source has records"
    assert [_ordered(line) for line in lines] == [_ordered(line) for line in reference]


def test_lines_keep_text_order_layers_and_escapes(hard_db):
    with Store.open(hard_db) as store:
        records = [json.loads(line.line) for line in store.iter_export_lines("all")]
    for record in records:
        starts = [(s["start"], s["end"], s["label"]) for s in record["spans"]]
        assert starts == sorted(starts)
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]
    dora = [r for r in records if r["_annotator_id"] == "dora"]
    assert [s["start"] for s in dora[0]["spans"]] == [0, 10, 20, 30]
    assert dora[1]["spans"] == [] and dora[1]["relations"] == []
    hard = next(r for r in records if r["meta"]["title"] == "Vote")
    assert list(hard["meta"])[-3:] == ["section", "tags", "n"] and hard["meta"]["section"] is None
    assert hard["spans"][0]["note"] == HARD_NOTE
    assert hard["spans"][0]["attrs"]["id"] == BIG  # exact, not 1.2345678901234568e+29
    entity = hard["spans"][0]["attrs"]["entity"]
    assert (entity["name"], entity["type"]) == ('Ana "the" Ruiz 🙂', "Person")
    assert list(hard["spans"][0]["attrs"])[-1] == "entity"
    assert hard["meta"]["n"]["id"] == BIG
    layers = [r["_annotator_id"] for r in records if r["id"] == records[0]["id"]]
    assert layers == [GOLD_LAYER, *sorted(layers[1:])]


def test_an_unknown_layer_and_an_empty_database(tmp_path):
    with Store.open(tmp_path / "empty.db") as store:
        assert list(store.iter_export_lines("all") or ["not sqlite"]) == []
        with pytest.raises(StoreError, match="no annotator named 'zed'"):
            store.iter_export_lines("zed")


def test_an_in_memory_database_is_read_in_process(monkeypatch):
    monkeypatch.setattr(chunks, "EXPORT_CHUNK", 1)
    with Store.open("sqlite://") as store:
        store.import_items(annotated_items()[:3])
        lines = store.iter_export_lines(GOLD_LAYER, processes=4)
        reference = [dumps(native_record(r)) for r in store.iter_export(GOLD_LAYER)]
        assert [_ordered(x.line) for x in lines] == [_ordered(x) for x in reference]


# -- the worker processes ------------------------------------------------------------------------


def _squares() -> object:
    return lambda chunk: [chunk * chunk, -chunk]


def _failing_at_five() -> object:
    def read(chunk: int) -> list[int]:
        if chunk == 5:
            raise sqlite3.OperationalError("database disk image is malformed\nmore detail")
        return [chunk]

    return read


@needs_fork
def test_workers_hand_back_chunks_in_order():
    readers = ForkedReaders(_squares, list(range(11)), processes=3)
    assert list(readers) == [x for n in range(11) for x in (n * n, -n)]
    assert readers._workers == []


@needs_fork
def test_a_worker_failure_is_one_line_and_stops_every_worker():
    readers = ForkedReaders(_failing_at_five, list(range(40)), processes=2)
    pids = [worker.pid for worker in readers._workers]
    seen = []
    with pytest.raises(WorkerFailed, match=r"^database disk image is malformed$"):
        seen.extend(readers)
    assert seen == [0, 1, 2, 3, 4]
    assert alive_pids(pids) == []


@needs_fork
def test_stopping_early_stops_the_workers():
    readers = ForkedReaders(_squares, list(range(1000)), processes=2)
    pids = [worker.pid for worker in readers._workers]
    iterator = iter(readers)
    assert [next(iterator) for _ in range(4)] == [0, 0, 1, -1]
    iterator.close()
    assert alive_pids(pids) == []


# -- the command ---------------------------------------------------------------------------------


def _many_documents(path: Path, count: int) -> Path:
    with Store.open(path) as store:
        items = []
        for n in range(count):
            text = f"Report {n}: the minister said unemployment fell to {n % 9}.{n % 7}% in May."
            spans = (SpanDraft(10, 22, "actor"), SpanDraft(28, 47, "claim"))
            items.append(
                ImportItem(Article(text=text, title=f"R{n}"), (LayerDraft("gold", spans),))
            )
        store.import_items(items)
    return path


@pytest.fixture(scope="module")
def many_db(tmp_path_factory) -> Path:
    return _many_documents(tmp_path_factory.mktemp("many") / "many.db", 1_300)


def test_the_command_writes_the_same_file_with_one_process_or_several(many_db, tmp_path):
    outputs = []
    for processes in ("1", "2"):
        target = tmp_path / f"out-{processes}.jsonl"
        result = run_factmark(
            "--db", str(many_db), "export", "--format", "jsonl", "--source", "gold",
            "-o", str(target), env={"FACTMARK_EXPORT_PROCESSES": processes},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") == 1_300


def test_a_bad_process_count_is_a_usage_error(many_db):
    result = run_factmark(
        "--db", str(many_db), "export", "--format", "jsonl",
        env={"FACTMARK_EXPORT_PROCESSES": "two"},
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode().strip().endswith("must be a whole number of at least 1")
    assert b"Traceback" not in result.stderr


@needs_fork
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the export forks no worker")
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_export_leaves_no_worker_and_no_file(many_db, tmp_path, how):
    target = tmp_path / "out.jsonl"
    # Written to a pipe nobody reads: the export blocks mid-way, its workers running.
    child = subprocess.Popen(
        [sys.executable, "-m", "cli", "--db", str(many_db), "export", "--format", "jsonl",
         "--source", "gold", "-o", "-"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "CI": "true"},
    )  # fmt: skip
    workers = workers_of(child.pid, 2)
    assert len(workers) == 2, "the export forked its two workers"
    time.sleep(0.5)  # let it fill the pipe
    child.send_signal(how)
    if how == signal.SIGKILL:
        child.stdout.close()  # the reader of the export goes away with it, as in a shell pipe
    child.wait(timeout=30)
    assert still_alive_after(workers) == []
    if how == signal.SIGINT:
        assert child.returncode in INTERRUPTED_EXITS
        assert b"Traceback" not in child.stderr.read()
    assert not target.exists()


# -- the data card's counts ----------------------------------------------------------------------


def _counted_from_records(store: Store, source: str) -> dict:
    """What the card used to count while records streamed past: the reference for the store's."""
    documents: dict[int, object] = {}
    layers: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    gold_sources: Counter[str | None] = Counter()
    for record in store.iter_export(source):
        documents[record.document.id] = record.document
        layers[record.layer] += 1
        labels.update(span.label for span in record.spans)
        gold_sources.update(s.gold_source for s in record.spans if s.layer == GOLD_LAYER)
    docs = list(documents.values())
    return {
        "documents": len(docs),
        "characters": sum(len(d.text) for d in docs),
        "spans": sum(labels.values()),
        "layers": dict(layers),
        "outlets": sorted(d.outlet or "" for d in docs),
        "extractors": sorted((d.extractor, d.extractor_version) for d in docs),
        "published": sorted(d.published for d in docs if d.published),
        "imported": sorted(d.imported_at for d in docs),
        "labels": dict(labels),
        "gold_sources": dict(gold_sources),
    }


@pytest.mark.parametrize("source", ["all", GOLD_LAYER, "alice", "dora"])
def test_the_stores_card_counts_equal_the_exported_records(hard_db, source):
    with Store.open(hard_db) as store:
        expected = _counted_from_records(store, source)
        tally = store.export_tally(source)
    got = {
        "documents": tally.documents,
        "characters": tally.characters,
        "spans": tally.spans,
        "layers": tally.layers,
        "outlets": sorted(outlet or "" for outlet in tally.outlets),
        "extractors": sorted(tally.extractors),
        "published": sorted(tally.published),
        "imported": sorted(tally.imported),
        "labels": tally.labels,
        "gold_sources": {k: v for k, v in tally.gold_sources.items() if v},
    }
    assert got == expected
