"""The demo corpus: the five sample scrapes and two annotators' spans, built into a database."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from importers.claimreview_ld import claimreviews_in_json
from importers.dispatch import clean_article
from store import Store
from vocabulary.entities import ACTOR_LABEL
from vocabulary.external_checks import ExternalCheck
from vocabulary.records import ImportItem, LayerDraft, RelationDraft, SpanDraft

DEMO_ANNOTATORS = ("alice", "bob")


def demo_files() -> list[tuple[str, bytes]]:
    folder = resources.files(__package__)
    return sorted((p.name, p.read_bytes()) for p in folder.iterdir() if p.name.endswith(".txt"))


def _plan() -> dict:
    return json.loads(resources.files(__package__).joinpath("annotations.json").read_text("utf-8"))


def demo_items() -> list[ImportItem]:
    """The sample articles, each with alice's and bob's layers located by phrase."""
    plan = _plan()
    done = {tuple(pair) for pair in plan["done"]}
    items = []
    for name, data in demo_files():
        article = clean_article(data, "text")
        layers = tuple(
            _layer(article.text, name, who, plan, (name, who) in done) for who in DEMO_ANNOTATORS
        )
        items.append(ImportItem(article=article, layers=layers, raw=data, source_file=name))
    return items


def _layer(text: str, name: str, who: str, plan: dict, done: bool) -> LayerDraft:
    """`who`'s spans and links in file `name`; a span's local id is its phrase, which is how the
    plan's relations name their ends."""
    spans = []
    entities: dict[str, list[str]] = plan.get("entities", {})
    for file, annotator, label, phrase in plan["spans"]:
        start = text.find(phrase) if (file, annotator) == (name, who) else -1
        if start < 0:
            continue
        # Actors whose phrase names an entity carry it in attrs.entity: the import makes it
        # one of the corpus's entities.
        attrs = {}
        if label == ACTOR_LABEL and phrase in entities:
            entity_name, kind = entities[phrase]
            attrs["entity"] = {"name": entity_name, "type": kind}
        spans.append(
            SpanDraft(
                start, start + len(phrase), label, attrs=attrs, origin="manual", local_id=phrase
            )
        )
    relations = tuple(
        RelationDraft(head, child, label)
        for file, annotator, label, head, child in plan.get("relations", [])
        if (file, annotator) == (name, who)
    )
    return LayerDraft(who, tuple(spans), relations, done)


def demo_external_checks() -> list[ExternalCheck]:
    """Other fact-checkers' verdicts on claims of the sample articles (made up for the demo, as
    ClaimReview JSON): what the check form's "checked before" line shows."""
    text = resources.files(__package__).joinpath("external_checks.json").read_text("utf-8")
    return claimreviews_in_json(text).checks


def build_demo_database(path: Path, admin: str) -> Store:
    """A fresh demo database at `path` (an existing file there is replaced).

    `admin` (the person trying the demo) is its first annotator, so its admin: they can open the
    review screen on alice's and bob's work as well as annotate.
    """
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = Store.open(path)
    store.ensure_annotator(admin)
    store.import_items(demo_items())
    store.add_external_checks(demo_external_checks(), "demo: external_checks.json")
    return store
