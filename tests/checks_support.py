"""A fact-check desk on the sample corpus, built through the Store as its users would: shared by
the tests of the check exports (ClaimReview, checks JSONL, native JSONL round trip).

The seeds are imported; alice tags claims and actors in her layer, names the speakers as
entities, opens checks, writes verdicts and evidence; carol (a reviewer) publishes. The checks:

- "lin": Lin Jian's claim in seed 002, claimant Lin Jian (Person), rated False, two evidence
  items (a URL, and a sentence of seed 000), published by carol; no verdict URL, so its
  ClaimReview url comes from the configured review_url;
- "toll": the Gaza toll, made in seed 002 and again in the emoji article (two appearances in
  two documents), claimant the Gaza Ministry of Health (Organization), rated Mostly true, with
  its verdict's published URL, published;
- "review": a claim with a verdict still in review (ClaimReview only with --status any);
- "new": a claim nobody has researched (no verdict: never a ClaimReview).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from store import Store
from tests.formats_support import seed_articles
from vocabulary.records import Article, ImportItem

LIN_CLAIM = "representatives of Palestinian groups Fatah and Hamas held"
ORGANISATION = "Example Fact-Check Desk"
REVIEW_URL = "https://factcheck.example.org/claims/{check_id}"
CONFIG = f'organisation = "{ORGANISATION}"\nreview_url = "{REVIEW_URL}"\n'
# The seed of Lin Jian's claim is plain text: the desk imported it with what the page said.
LIN_ARTICLE = {
    "title": "Hamas and Fatah hold reconciliation talks in Beijing",
    "url": "https://english.almayadeen.net/news/politics/hamas-fatah-beijing",
    "outlet": "Al Mayadeen English",
    "published": "2024-04-30",
}


def desk_articles() -> list[Article]:
    """The seeds, Lin Jian's with its page's title, URL, outlet and date."""
    return [replace(a, **LIN_ARTICLE) if LIN_CLAIM in a.text else a for a in seed_articles()]


@dataclass(frozen=True)
class Desk:
    path: Path
    lin: str  # check ids
    toll: str
    review: str
    new: str
    lin_document: int
    evidence_document: int


def _span(store: Store, doc: int, needle: str, label: str, layer: str = "alice") -> int:
    text = store.document(doc).text
    start = text.index(needle)
    return store.add_span(doc, layer, start, start + len(needle), label).id


def _document_with(store: Store, needle: str) -> int:
    return next(d.id for d in store.list_documents() if needle in store.document(d.id).text)


def _sentence_with(text: str, needle: str) -> str:
    start = text.index(needle)
    begin = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    end = text.index(".", start) + 1
    return text[begin:end].strip()


def build_desk(path: Path) -> Desk:
    with Store.open(path) as store:
        store.import_items([ImportItem(article=a, source_file=a.title) for a in desk_articles()])
        store.set_role("admin", "admin", actor="admin")
        store.set_role("alice", "annotator", actor="admin")
        store.set_role("carol", "reviewer", actor="admin")
    with Store.open(path, user="alice") as alice, Store.open(path, user="carol") as carol:
        lin_doc = _document_with(alice, LIN_CLAIM)
        seed0 = _document_with(alice, "Gaza")
        emoji = _document_with(alice, "👍🏽")
        lin = _lin(alice, carol, lin_doc, seed0)
        toll = _toll(alice, carol, lin_doc, emoji)
        review = _in_review(alice, lin_doc)
        new = alice.create_check(_span(alice, lin_doc, "The consultations were held", "claim"))
    return Desk(path, lin, toll, review, new.uid, lin_doc, seed0)


def _lin(alice: Store, carol: Store, doc: int, evidence_doc: int) -> str:
    claim = _span(alice, doc, LIN_CLAIM, "claim")
    actor = _span(alice, doc, "Lin Jian", "actor")
    alice.add_relation(doc, "alice", claim, actor, "said_by")
    person = alice.create_entity("Lin Jian", "Person")
    alice.name_entity(actor, "alice", person.id)
    uid = alice.create_check(claim).uid
    alice.set_check_field(uid, "claimant", person.uid, expected=None)
    alice.set_check_field(uid, "rating", "False", expected=None)
    alice.set_check_field(uid, "summary", "No talks were held that week", expected=None)
    alice.set_check_field(uid, "explanation", "Both sides denied it.\nSee below.", expected=None)
    alice.set_check_field(uid, "date", "2024-05-03", expected=None)
    alice.set_check_field(uid, "status", "in review", expected="new")
    alice.add_evidence(
        uid,
        {
            "url": "https://example.org/statement",
            "title": "Statement",
            "publisher": "Example News",
            "published": "2024-05-01",
            "accessed": "2026-11-20",
            "stance": "refutes",
        },
    )
    text = alice.document(evidence_doc).text
    sentence = _sentence_with(text, "Gaza")
    evidence_span = _span(alice, evidence_doc, sentence, "claim")
    alice.add_evidence(uid, {"span_id": evidence_span, "stance": "context"})
    carol.set_check_field(uid, "status", "published", expected="in review")
    return uid


def _toll(alice: Store, carol: Store, seed2: int, emoji: int) -> str:
    first = _span(alice, seed2, "34,535 Palestinians have been killed", "claim")
    uid = alice.create_check(first, claim="Gaza ministry: 34,535 Palestinians killed").uid
    alice.attach_appearance(
        uid, _span(alice, emoji, "34,535 Palestinians 👨‍👩‍👧‍👦 were killed", "claim")
    )
    ministry = alice.create_entity("Gaza Ministry of Health", "Organization")
    alice.set_check_field(uid, "claimant", ministry.uid, expected=None)
    alice.set_check_field(uid, "rating", "Mostly true", expected=None)
    alice.set_check_field(uid, "url", "https://factcheck.example.org/toll", expected=None)
    alice.add_evidence(uid, {"url": "https://example.org/un", "title": "UN figures"})
    carol.set_check_field(uid, "status", "published", expected="new")
    return uid


def _in_review(alice: Store, doc: int) -> str:
    uid = alice.create_check(_span(alice, doc, "Lin said", "claim"), claim="Lin said so").uid
    alice.set_check_field(uid, "rating", "Half true", expected=None)
    alice.set_check_field(uid, "status", "in review", expected="new")
    return uid
