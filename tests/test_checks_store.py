"""Checks in the store, on real SQLite files (and PostgreSQL where configured): creating one from a
claim span, appearances across documents, fields and their rules, the sign-off, evidence, the
history, the desk's order and filters, and two reviewers editing one check from two processes."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from store import CheckConflict, CheckFilter, PermissionDenied, Store, StoreError
from tests.postgres import fresh_postgres_database
from vocabulary.checks import CheckSettings, RatingDef
from vocabulary.records import Article, ImportItem

FIRST = 'Lin Jian said "the talks failed" on Monday. Ministry says 34,535 people were killed.'
SECOND = "Again the claim: 34,535 people were killed, the ministry says. Lin Jian spoke."


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        with Store.open(tmp_path / "f.db") as opened:
            yield opened
        return
    with fresh_postgres_database(request.node.name) as url, Store.open(url) as opened:
        yield opened


def _docs(store: Store) -> tuple[int, int]:
    outcomes = store.import_items(
        [
            ImportItem(Article(text=FIRST, title="One", published="2024-05-02"), (), None, "a"),
            ImportItem(Article(text=SECOND, title="Two", published="2024-04-30"), (), None, "b"),
        ]
    )
    return outcomes[0].document_id, outcomes[1].document_id


def _people(store: Store) -> None:
    store.set_role("admin", "admin", actor="admin")
    store.set_role("alice", "annotator", actor="admin")
    store.set_role("carol", "reviewer", actor="admin")
    store.set_role("dave", "reviewer", actor="admin")


def _claim(store: Store, doc: int, text: str, needle: str, layer: str = "alice") -> int:
    start = text.index(needle)
    return store.add_span(doc, layer, start, start + len(needle), "claim").id


def test_a_check_from_a_claim_span_and_its_appearances(store: Store) -> None:
    one, two = _docs(store)
    _people(store)
    first = _claim(store, one, FIRST, "34,535 people were killed")
    check = store.create_check(first, user="alice")
    assert check.uid.startswith("c-") and len(check.uid) == 14
    assert (check.claim, check.status, check.created_by) == (
        "34,535 people were killed",
        "new",
        "alice",
    )
    assert [a.span_id for a in check.appearances] == [first]
    second = _claim(store, two, SECOND, "34,535 people were killed", layer="carol")
    check = store.attach_appearance(check.uid, second, user="carol")
    assert [(a.document_id, a.layer) for a in check.appearances] == [(one, "alice"), (two, "carol")]
    # The earliest published appearance, whatever the order they were attached in.
    assert check.first_appearance is not None and check.first_appearance.document_id == two
    assert store.check_of_span(second) == check == store.check(check.uid[:6])
    with pytest.raises(StoreError, match="already an appearance of check"):
        store.create_check(second, user="alice")
    actor = store.add_span(one, "alice", 0, 8, "actor").id
    with pytest.raises(StoreError, match="only claim spans are checked"):
        store.attach_appearance(check.uid, actor, user="alice")
    check = store.detach_appearance(check.uid, second, user="carol")
    assert [a.span_id for a in check.appearances] == [first]
    with pytest.raises(StoreError, match="no check c-000"):
        store.check("c-000")


def test_fields_are_checked_and_changes_made_against_what_the_user_saw(store: Store) -> None:
    one, _ = _docs(store)
    _people(store)
    uid = store.create_check(_claim(store, one, FIRST, "the talks failed"), user="alice").uid
    settings = CheckSettings()
    for field, value, problem in [
        ("url", "ftp://x.org/a", "http:// or https://"),
        ("date", "2 May 2024", "YYYY-MM-DD"),
        ("summary", "x" * 76, "at most 75"),
        ("rating", "Pants on fire", "not a rating"),
        ("status", "done", "not a status"),
        ("assignee", "zoe", "no annotator called 'zoe'"),
    ]:
        with pytest.raises(StoreError, match=problem):
            seen = "new" if field == "status" else None
            store.set_check_field(uid, field, value, expected=seen, user="alice", settings=settings)
    with pytest.raises(StoreError, match="a check needs its claim"):  # not a NOT NULL error
        store.set_check_field(uid, "claim", " \x07 ", expected="the talks failed", user="alice")
    assert store.check(uid).claim == "the talks failed"
    check = store.set_check_field(uid, "rating", "mostly FALSE", expected=None, user="alice")
    assert (check.rating, check.rating_value, check.verdict_by) == ("Mostly false", 2, "alice")
    check = store.set_check_field(uid, "assignee", "alice", expected=None, user="carol")
    assert check.assignee == "alice"
    # carol saw no rating, but alice has set one since: refused, saying who and what.
    with pytest.raises(CheckConflict, match="alice set its rating to 'Mostly false'"):
        store.set_check_field(uid, "rating", "False", expected=None, user="carol")
    check = store.set_check_field(uid, "summary", " Not so. ", expected=None, user="carol")
    assert check.summary == "Not so." and check.rating == "Mostly false"
    check = store.set_check_field(
        uid, "explanation", "Line one\nline two\x07", expected=None, user="alice"
    )
    assert check.explanation == "Line one\nline two"


def test_publishing_needs_a_verdict_and_a_second_reviewer(store: Store) -> None:
    one, _ = _docs(store)
    _people(store)
    uid = store.create_check(_claim(store, one, FIRST, "the talks failed"), user="alice").uid
    with pytest.raises(StoreError, match="no verdict yet"):
        store.set_check_field(uid, "status", "published", expected="new", user="carol")
    store.set_check_field(uid, "rating", "False", expected=None, user="carol")
    with pytest.raises(PermissionDenied, match="alice is an annotator: only reviewers"):
        store.set_check_field(uid, "status", "published", expected="new", user="alice")
    with pytest.raises(PermissionDenied, match="carol wrote the verdict"):
        store.set_check_field(uid, "status", "published", expected="new", user="carol")
    check = store.set_check_field(uid, "status", "published", expected="new", user="dave")
    assert (check.status, check.reviewed_by, check.verdict_by) == ("published", "dave", "carol")
    # A published verdict that changes needs a new sign-off.
    check = store.set_check_field(uid, "rating", "Half true", expected="False", user="carol")
    assert (check.status, check.reviewed_by) == ("in review", None)
    # A one-person desk turns the rule off.
    alone = CheckSettings(require_second_reviewer=False)
    check = store.set_check_field(
        uid, "status", "published", expected="in review", user="carol", settings=alone
    )
    assert check.reviewed_by == "carol"
    history = [(c.actor, c.field, c.old, c.new) for c in store.check_history(uid)]
    assert history == [
        ("alice", "claim", None, "the talks failed"),
        ("alice", "appearances", None, history[1][3]),
        ("carol", "rating", None, "False"),
        ("dave", "status", "new", "published"),
        ("carol", "rating", "False", "Half true"),
        ("carol", "status", "published", "in review"),
        ("carol", "status", "in review", "published"),
    ]
    assert history[1][3]["text"] == "the talks failed"


def test_a_custom_scale_gives_its_values(store: Store) -> None:
    one, _ = _docs(store)
    scale = CheckSettings(ratings=(RatingDef("Correct", 1.0), RatingDef("Wrong", 0.0)))
    uid = store.create_check(_claim(store, one, FIRST, "the talks failed"), settings=scale).uid
    check = store.set_check_field(uid, "rating", "wrong", expected=None, settings=scale)
    assert (check.rating, check.rating_value) == ("Wrong", 0.0)


def test_evidence_from_the_web_and_from_another_document(store: Store) -> None:
    one, two = _docs(store)
    _people(store)
    uid = store.create_check(_claim(store, one, FIRST, "34,535 people were killed")).uid
    with pytest.raises(StoreError, match="needs a URL or a stretch"):
        store.add_evidence(uid, {"title": "nothing to point at"}, user="alice")
    with pytest.raises(StoreError, match="http:// or https://"):
        store.add_evidence(uid, {"url": "www.x.org"}, user="alice")
    with pytest.raises(StoreError, match="a stance is one of supports"):
        store.add_evidence(uid, {"url": "https://x.org", "stance": "maybe"}, user="alice")
    check = store.add_evidence(
        uid,
        {
            "url": "https://moh.example.org/report",
            "title": "Daily report",
            "publisher": "Ministry",
            "published": "2024-04-30",
            "stance": "supports",
        },
        user="alice",
    )
    start = SECOND.index("34,535")
    check = store.add_evidence(
        uid, {"document_id": two, "start": start, "end": start + 25, "stance": "context"}
    )
    web, stretch = check.evidence
    assert (web.title, web.stance, web.document_id) == ("Daily report", "supports", None)
    assert (stretch.document_id, stretch.span_text) == (two, "34,535 people were killed")
    with pytest.raises(StoreError, match="not within document"):
        store.add_evidence(uid, {"document_id": two, "start": 0, "end": 10_000})
    check = store.set_evidence_field(
        uid, web.uid, "title", "Report of 30 April", expected="Daily report", user="carol"
    )
    with pytest.raises(CheckConflict, match="changed under you"):
        store.set_evidence_field(uid, web.uid, "title", "X", expected="Daily report")
    check = store.remove_evidence(uid, stretch.uid, user="carol")
    assert [e.title for e in check.evidence] == ["Report of 30 April"]
    fields = [c.field for c in store.check_history(uid)]
    assert fields[-3:] == ["evidence", "evidence.title", "evidence"]


def test_the_desk_lists_what_needs_work_first_and_filters(store: Store) -> None:
    one, two = _docs(store)
    _people(store)
    talks = store.create_check(_claim(store, one, FIRST, "the talks failed"), user="alice").uid
    toll = store.create_check(_claim(store, one, FIRST, "34,535 people were killed")).uid
    store.attach_appearance(toll, _claim(store, two, SECOND, "34,535 people were killed"))
    done = store.create_check(_claim(store, two, SECOND, "Lin Jian spoke")).uid
    store.set_check_field(done, "status", "not checkable", expected="new")
    store.set_check_field(toll, "status", "in review", expected="new", user="carol")
    store.add_evidence(toll, {"url": "https://a.org/x"})
    lin = store.create_entity("Lin Jian", "Person")
    store.set_check_field(talks, "claimant", lin.uid, expected=None, user="alice")
    store.set_check_field(talks, "assignee", "alice", expected=None, user="carol")
    rows = store.checks()
    assert [r.uid for r in rows] == [toll, talks, done]
    assert (rows[0].appearances, rows[0].evidence, rows[0].changed_by) == (2, 1, None)
    assert (rows[1].claimant, rows[1].assignee, rows[1].changed_by) == (
        "Lin Jian",
        "alice",
        "carol",
    )
    assert [r.uid for r in store.checks(CheckFilter(text="TALKS"))] == [talks]
    assert [r.uid for r in store.checks(CheckFilter(text="ministry says"))] == []
    assert [r.uid for r in store.checks(CheckFilter(status="In Review"))] == [toll]
    assert [r.uid for r in store.checks(CheckFilter(claimant="lin"))] == [talks]
    assert [r.uid for r in store.checks(CheckFilter(assignee="alice"))] == [talks]
    assert store.proposed_claimants(talks) == []


def test_claimants_are_proposed_from_said_by_links(store: Store) -> None:
    one, _ = _docs(store)
    claim = _claim(store, one, FIRST, "the talks failed")
    actor = store.add_span(one, "alice", 0, 8, "actor")
    lin = store.create_entity("Lin Jian", "Person")
    store.name_entity(actor.id, "alice", lin.id)
    store.add_relation(one, "alice", claim, actor.id, "said_by")
    uid = store.create_check(claim).uid
    assert [e.name for e in store.proposed_claimants(uid)] == ["Lin Jian"]


def test_a_search_match_becomes_an_appearance_in_one_step(store: Store) -> None:
    one, two = _docs(store)
    uid = store.create_check(_claim(store, one, FIRST, "34,535 people were killed")).uid
    start = SECOND.index("34,535")
    check = store.add_appearance_at(uid, two, start, start + 25, user="bob")
    added = [a for a in check.appearances if a.document_id == two]
    assert [(a.layer, a.text) for a in added] == [("bob", "34,535 people were killed")]
    assert [s.label for s in store.spans(two, "bob")] == ["claim"]
    with pytest.raises(StoreError):
        store.add_appearance_at(uid, two, 0, 10_000, user="bob")


def _edit(path: str, field: str, value: str, user: str, barrier) -> str:
    with Store.open(Path(path)) as store:
        uid = store.checks()[0].uid
        barrier.wait()
        try:
            store.set_check_field(uid, field, value, expected=None, user=user)
        except CheckConflict as error:
            return f"conflict: {error}"
        return "saved"


def test_two_reviewers_editing_one_check_from_two_processes(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with Store.open(path) as store:
        one, _ = _docs(store)
        store.create_check(_claim(store, one, FIRST, "the talks failed"))
    context = multiprocessing.get_context("spawn")
    barrier = context.Manager().Barrier(2)
    with context.Pool(2) as pool:
        # Different fields at once: both kept.
        results = pool.starmap(
            _edit,
            [
                (str(path), "summary", "Not what was said", "carol", barrier),
                (str(path), "url", "https://fc.example.org/1", "dave", barrier),
            ],
        )
        assert results == ["saved", "saved"]
        # The same field at once, both having seen it empty: one saved, one told.
        results = pool.starmap(
            _edit,
            [
                (str(path), "rating", "False", "carol", barrier),
                (str(path), "rating", "True", "dave", barrier),
            ],
        )
    assert sorted(r.split(":")[0] for r in results) == ["conflict", "saved"]
    with Store.open(path) as store:
        check = store.check(store.checks()[0].uid)
        assert (check.summary, check.url) == ("Not what was said", "https://fc.example.org/1")
        assert check.rating in ("False", "True")
        assert [c.field for c in store.check_history(check.uid)].count("rating") == 1


def test_a_check_survives_adjudication(store: Store) -> None:
    one, _ = _docs(store)
    _people(store)
    claim = _claim(store, one, FIRST, "the talks failed")
    uid = store.create_check(claim, user="alice").uid
    start = FIRST.index("the talks failed")
    gold = store.accept_span(one, start, start + 16, "claim", reviewer="carol")
    check = store.check(uid)
    assert sorted((a.layer, a.span_id) for a in check.appearances) == [
        ("alice", claim),
        ("gold", gold.id),
    ]
    # Auto-adjudication carries it too.
    toll = _claim(store, one, FIRST, "34,535 people were killed")
    store.create_check(toll, user="alice")
    store.set_done(one, "alice", True)
    store.auto_adjudicate(1, reviewer="carol")
    [gold_toll] = [s for s in store.spans(one, "gold") if s.start == FIRST.index("34,535")]
    assert store.check_of_span(gold_toll.id) == store.check_of_span(toll)


def test_deleting_an_appearance_is_in_the_history_and_undo_puts_it_back(store: Store) -> None:
    one, _ = _docs(store)
    claim = _claim(store, one, FIRST, "the talks failed")
    uid = store.create_check(claim, user="alice").uid
    store.delete_span(claim, "alice")
    assert store.check(uid).appearances == ()
    store.undo(one, "alice")
    assert [a.span_id for a in store.check(uid).appearances] == [claim]
    history = store.check_history(uid)
    assert [(c.field, c.old is None, c.new is None) for c in history[-2:]] == [
        ("appearances", False, True),
        ("appearances", True, False),
    ]
    store.redo(one, "alice")
    assert store.check(uid).appearances == ()


def test_the_picker_proposes_checks_like_the_claim(store: Store) -> None:
    one, two = _docs(store)
    talks = store.create_check(_claim(store, one, FIRST, "the talks failed")).uid
    toll = store.create_check(
        _claim(store, one, FIRST, "34,535 people were killed"),
        claim="Gaza ministry: 34535 Palestinians killed",
    ).uid
    again = _claim(store, two, SECOND, "34,535 people were killed, the ministry says")
    proposals = store.similar_checks(again)
    assert [summary.uid for summary, _, _ in proposals][:1] == [toll]
    assert talks not in [summary.uid for summary, _, _ in proposals]
    _, score, why = proposals[0]
    assert 0 < score <= 1 and "same figures" in why
