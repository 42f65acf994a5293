"""The fact-check desk end to end in a real terminal: the installed `factmark` in tmux.

The sample corpus is imported (seed 002 with what its page says of itself: title, URL, outlet,
date). carol, a reviewer, tags Lin Jian and his claim in seed 002, links them, opens the claim's
check with `c`, names Lin Jian its claimant, rates it False with a summary and a date, adds a
web source as evidence, and tries to publish: refused, she wrote the verdict. In seed 000 she
tags a passage and makes it evidence with `E`. dave, another reviewer, tags the claim in his
layer; `c` proposes carol's check, he joins it and publishes it. `factmark export --format
claimreview` then passes the guideline check (tests/claimreview_rules.py) and names Lin Jian as
the claim's author, with the article as its appearance.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shlex
import time
import uuid
from pathlib import Path

import pytest

from store import Store
from tests.claimreview_rules import problems
from tests.test_tui_tmux import FACTMARK, SEEDS, Tmux, factmark, wait_until
from tests.test_tui_tmux import pytestmark as tmux_marks

# tmux and the installed program, as the other tmux tests need; and the check form.
pytestmark = [
    *tmux_marks,
    pytest.mark.skipif(
        importlib.util.find_spec("tui.screens.check_form") is None,
        reason="the check form is not here",
    ),
]

LIN_CLAIM = "representatives of Palestinian groups Fatah and Hamas held"
EVIDENCE = "14 Palestinian factions signed an agreement in the Chinese capital Beijing"
ARTICLE = {
    "title": "Hamas and Fatah hold reconciliation talks in Beijing",
    "url": "https://english.almayadeen.net/news/politics/hamas-fatah-beijing",
    "outlet": "Al Mayadeen English",
    "published": "2024-04-30",
}
SOURCE = (  # the web evidence: the ministry's own account of the day, as the dialog asks it
    ("URL", "https://www.fmprc.gov.cn/eng/xw/fyrbt/"),
    ("Title", "Regular Press Conference, 30 April"),
    ("Publisher", "Ministry of Foreign Affairs of China"),
    ("Published", "2024-05-01"),
)
CONFIG = (
    'organisation = "Example Fact-Check Desk"\n'
    'review_url = "https://factcheck.example.org/claims/{check_id}"\n'
)


def _environment(tmp_path: Path, annotator: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("FACTMARK_", "TMUX"))},
        "FACTMARK_DB": str(tmp_path / "desk.db"),
        "FACTMARK_ANNOTATOR": annotator,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # no user config file applies
        "TERM": "xterm-256color",
    }


def _start(env: dict[str, str], *args: str) -> Tmux:
    """`factmark ARGS` in a new detached tmux session, 120×36."""
    kept = ("FACTMARK_DB", "FACTMARK_ANNOTATOR", "XDG_CONFIG_HOME", "TERM", "PYTHONPATH")
    exported = {k: env[k] for k in kept if k in env}
    command = " ".join(
        ["env", *(f"{k}={shlex.quote(v)}" for k, v in exported.items())]
        + [shlex.quote(str(FACTMARK)), *map(shlex.quote, args)]
    )
    tmux = Tmux(f"factmark-checks-{uuid.uuid4().hex[:8]}")
    tmux.run("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "36", command)
    return tmux


def _seen(tmux: Tmux, text: str, what: str, seconds: float = 30) -> None:
    wait_until(lambda: text in tmux.screen(), what, tmux, seconds)


def _settled(tmux: Tmux, seconds: float = 10) -> None:
    """Wait until the screen stops changing (the same for 0.4 s): the app has handled the keys
    sent so far, so the next ones reach the field they are meant for (a focus move and a form
    reloading after a save are not drawn at once)."""
    deadline = time.monotonic() + seconds
    last, same = None, 0
    while time.monotonic() < deadline and same < 4:
        time.sleep(0.1)
        screen = tmux.screen()
        same = same + 1 if screen == last else 0
        last = screen


def _keys(tmux: Tmux, *keys: str) -> None:
    """Keys that move the focus, then wait for the screen to settle."""
    tmux.keys(*keys)
    _settled(tmux)


def _find_and_label(tmux: Tmux, text: str, key: str, label: str) -> None:
    tmux.keys("/")
    tmux.keys(text, literal=True)
    tmux.keys("Enter")
    _seen(tmux, "Found at", f"finding {text}")
    tmux.keys(key)
    _seen(tmux, f"Saved {label}:", label)


def _type_into(tmux: Tmux, label: str, value: str, *, below: bool = False) -> None:
    """Type `value` into the focused field and wait until its row shows it, then tab on.

    A dialog is drawn a moment before its first field takes the focus: keys typed in between
    are not the field's. So a value that does not show is typed again (`ctrl+u` clears an
    input). `below`: the field is under its label (a text area)."""

    def shown() -> bool:
        lines = tmux.screen().splitlines()
        rows = [i for i, line in enumerate(lines) if f" {label} " in line]
        # Its end: a long value scrolls the field, its start out of sight.
        return any(value[-20:] in "".join(lines[i : i + 3 if below else i + 1]) for i in rows)

    for _ in range(3):
        tmux.keys(value, literal=True)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and not shown():
            time.sleep(0.1)
        if shown():
            _keys(tmux, "Tab")
            return
        tmux.keys("End", "C-u")
    wait_until(shown, f"{value!r} in {label}", tmux)


def _quit(tmux: Tmux) -> None:
    """`q` on the annotate screen, once it has settled."""
    _settled(tmux)
    tmux.keys("q")
    wait_until(lambda: not tmux.alive(), "factmark to quit", tmux)


def _import_corpus(env: dict[str, str], tmp_path: Path) -> tuple[int, int]:
    """The seeds, seed 002 as a native record with its page's facts; the ids of seed 002 and
    seed 000."""
    lin = next(p for p in sorted(SEEDS.glob("*.txt")) if p.name.startswith("002"))
    record = {"text": lin.read_text(encoding="utf-8"), "meta": ARTICLE}
    page = tmp_path / "002.jsonl"
    page.write_text(json.dumps(record) + "\n", encoding="utf-8")
    others = [str(p) for p in sorted(SEEDS.glob("*.txt")) if p != lin]
    factmark(
        {**env, "FACTMARK_ANNOTATOR": "admin"}, "import", str(page), *others
    )  # the first: admin
    with Store.open(env["FACTMARK_DB"]) as store:
        store.set_role("admin", "admin", actor="admin")  # the desk's roles, set by its admin
        store.set_role("carol", "reviewer", actor="admin")
        store.set_role("dave", "reviewer", actor="admin")
        texts = {d.id: store.document(d.id).text for d in store.list_documents()}
    lin_id = next(i for i, t in texts.items() if LIN_CLAIM in t)
    evidence_id = next(i for i, t in texts.items() if EVIDENCE in t)
    return lin_id, evidence_id


def _carol_checks_the_claim(env: dict[str, str], doc_id: int) -> str:
    tmux = _start(env, "annotate", str(doc_id))
    try:
        _seen(tmux, "annotator carol", "the annotate screen")
        _seen(tmux, "characters", "the article")
        _find_and_label(tmux, "Lin Jian", "1", "actor")
        _find_and_label(tmux, LIN_CLAIM, "2", "claim")
        tmux.keys("b")  # the cursor was just past the claim: back into its last word
        tmux.keys("l")
        _seen(tmux, "Link claim", "the link picker")
        tmux.keys("lin", literal=True)
        tmux.keys("Enter")
        _seen(tmux, "Linked claim", "the said_by link")
        tmux.keys("c")
        _seen(tmux, "New check:", "the check picker")
        tmux.keys("Enter")
        _seen(tmux, "Check c-", "the check form")
        uid = next(w for w in tmux.screen().split() if w.startswith("c-") and len(w) >= 14)[:14]
        _keys(tmux, "Tab", "Tab", "Tab")  # status, assignee, claimant
        _keys(tmux, "Enter")
        _seen(tmux, "Claimant of", "the claimant picker")
        tmux.keys("Lin Jian", literal=True)
        _seen(tmux, "+ new entity", "the new-entity row")
        tmux.keys("C-n")
        _seen(tmux, "Person", "the entity type")
        tmux.keys("1")  # Person
        _seen(tmux, "Saved the claimant.", "the claimant saved")
        _seen(tmux, "carol claimant: — → e-", "the claimant in the history")
        _keys(tmux, "Tab", "Enter")  # the rating: its list opens; typing finds
        tmux.keys("False", literal=True)
        tmux.keys("Enter")
        _seen(tmux, "Saved the rating: False.", "the rating saved")
        _seen(tmux, "carol rating: — → False", "the rating in the history")
        _keys(tmux, "Tab", "Tab")  # explanation, summary
        tmux.keys("No talks in Beijing were announced that week", literal=True)
        tmux.keys("Enter")
        _seen(tmux, "carol summary: — → No talks", "the summary in the history")
        _keys(tmux, "Tab", "Tab")  # verdict URL (the desk's review_url gives it), date
        tmux.keys("2024-05-03", literal=True)
        tmux.keys("Enter")
        _seen(tmux, "carol date: — → 2024-05-03", "the date in the history")
        _keys(tmux, "Tab")  # the evidence list
        tmux.keys("a")
        _seen(tmux, "Archived URL", "the evidence dialog")
        _settled(tmux)
        for label, value in SOURCE:
            _type_into(tmux, label, value)
        _keys(tmux, "Tab", "Tab")  # accessed (today), archived: as they are
        _type_into(tmux, "Excerpt", "No talks were mentioned on 30 April.", below=True)
        _keys(tmux, "Enter")  # the stance: its list opens; typing finds
        tmux.keys("refutes", literal=True)
        tmux.keys("Enter")
        _seen(tmux, "refutes  ", "the stance chosen")
        tmux.keys("C-s")
        _seen(tmux, "Added refutes evidence", "the web evidence")
        _keys(tmux, *["BTab"] * 8)  # back up to the status
        _keys(tmux, "Enter")
        tmux.keys("published", literal=True)
        tmux.keys("Enter")
        _seen(tmux, f"carol wrote the verdict of check {uid}", "the sign-off refusal")
        _keys(tmux, "Escape")
        _seen(tmux, "annotator carol", "back on the annotate screen")
        _quit(tmux)
    finally:
        tmux.run("kill-server", check=False)
    return uid


def _carol_adds_a_passage(env: dict[str, str], doc_id: int, uid: str) -> None:
    tmux = _start(env, "annotate", str(doc_id))
    try:
        _seen(tmux, "annotator carol", "the annotate screen")
        _seen(tmux, "characters", "the article")
        _find_and_label(tmux, EVIDENCE, "2", "claim")
        tmux.keys("b")  # back into the span: `E` takes the span under the cursor
        tmux.keys("E")
        _seen(tmux, "for which check?", "the check picker")
        tmux.keys("Enter")  # the one check
        _seen(tmux, "Its stance", "the stance picker")
        tmux.keys("context", literal=True)
        tmux.keys("Enter")
        _seen(tmux, uid, "the passage evidence said")
        wait_until(lambda: _evidence_count(env, uid) == 2, "the passage evidence stored", tmux)
        _quit(tmux)
    finally:
        tmux.run("kill-server", check=False)


def _evidence_count(env: dict[str, str], uid: str) -> int:
    with Store.open(env["FACTMARK_DB"]) as store:
        return len(store.check(uid).evidence)


def _dave_publishes(env: dict[str, str], doc_id: int, uid: str) -> None:
    """dave tags the claim in his own layer; `c` proposes carol's check (the same words), he
    joins his span to it, and publishes it from the form."""
    tmux = _start(env, "annotate", str(doc_id))
    try:
        _seen(tmux, "annotator dave", "the annotate screen")
        _seen(tmux, "characters", "the article")
        _find_and_label(tmux, LIN_CLAIM, "2", "claim")
        tmux.keys("b")
        _keys(tmux, "c")
        _seen(tmux, "New check:", "the check picker")
        _seen(tmux, uid, "carol's check proposed")
        tmux.keys(uid, literal=True)  # the picker filters: "New check" stays first, then it
        _settled(tmux)
        _keys(tmux, "Down")
        tmux.keys("Enter")
        _seen(tmux, f"Check {uid}", "the check form")
        _settled(tmux)
        _keys(tmux, "Tab", "Enter")  # the status
        tmux.keys("published", literal=True)
        tmux.keys("Enter")
        _seen(tmux, "Saved the status: published.", "the publication")
        _keys(tmux, "Escape")
        _seen(tmux, "annotator dave", "back on the annotate screen")
        _quit(tmux)
    finally:
        tmux.run("kill-server", check=False)


def test_a_claim_from_tag_to_published_claimreview_in_tmux(tmp_path: Path) -> None:
    carol = _environment(tmp_path, "carol")
    lin_doc, evidence_doc = _import_corpus(carol, tmp_path)
    uid = _carol_checks_the_claim(carol, lin_doc)
    _carol_adds_a_passage(carol, evidence_doc, uid)
    with Store.open(carol["FACTMARK_DB"]) as store:
        assert store.check(uid).status != "published"  # the refusal left it as it was
    _dave_publishes(_environment(tmp_path, "dave"), lin_doc, uid)

    config = tmp_path / "desk.toml"
    config.write_text(CONFIG, encoding="utf-8")
    result = factmark(carol, "--config", str(config), "export", "--format", "claimreview")
    (review,) = json.loads(result.stdout)
    assert problems(review) == []
    assert review["url"] == f"https://factcheck.example.org/claims/{uid}"
    assert review["claimReviewed"] == LIN_CLAIM
    assert review["reviewRating"]["alternateName"] == "False"
    claim = review["itemReviewed"]
    assert claim["author"] == {"@type": "Person", "name": "Lin Jian"}
    (appearance,) = claim["appearance"]
    assert appearance["url"] == ARTICLE["url"] and appearance["headline"] == ARTICLE["title"]
    assert claim["firstAppearance"] == appearance and claim["datePublished"] == "2024-04-30"
    web, passage = review["citation"]
    assert web["url"] == SOURCE[0][1] and web["publisher"]["name"] == SOURCE[2][1]
    assert passage["text"].startswith(EVIDENCE)
    with Store.open(carol["FACTMARK_DB"]) as store:
        check = store.check(uid)
    assert (check.status, check.verdict_by, check.reviewed_by) == ("published", "carol", "dave")
