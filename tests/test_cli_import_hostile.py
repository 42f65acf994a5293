"""`factmark import` on inputs built to break it (issue 12, "found from the outside"): each one
fails alone in one line naming it and the reason, the rest is imported, the tally is printed,
exit 1; and nothing stored breaks a later export."""

from __future__ import annotations

import json
import os
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

import cli.main as cli
import importers.inputs as inputs
from tests.conftest import run_factmark

SENTENCE = "Hamas and Fatah met in Cairo on Monday."
EXPORT_FORMATS = ("conll", "prodigy", "doccano", "labelstudio", "jsonl", "claimreview")


def _lines(text: bytes) -> list[str]:
    return text.decode().strip().splitlines()


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute(f"select count(*) from {table}").fetchone()[0]


def _record(text: str, **span_extra: object) -> dict:
    return {"text": text, "spans": [{"start": 0, "end": 5, "label": "actor", **span_extra}]}


def _write_jsonl(path: Path, raw_lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in raw_lines), encoding="utf-8")
    return path


def test_a_lone_surrogate_anywhere_in_a_record_is_refused_and_exports_still_work(db_path, tmp_path):
    good = json.dumps(_record(SENTENCE, attrs={"k": "v"}))
    # json.dumps escapes a lone surrogate as \ud800, as a hostile file would hold it.
    hostile = {
        2: ("/spans/0/attrs/k", _record("Hamas met on Tuesday.", attrs={"k": "v\ud800"})),
        3: ("a key of /spans/0/attrs", _record("Hamas met on Friday.", attrs={"k\udc00": 1})),
        4: ("a key of /", {"text": "Hamas met on Sunday.", "odd\ud800": 1}),
        5: ("/meta/x/0", {"text": "Hamas met on Monday.", "meta": {"x": ["\ud800"]}}),
        6: ("/meta/title", {"text": "Hamas met at noon.", "meta": {"title": "T\udbff"}}),
    }
    lines = [good] + [json.dumps(record) for _, record in hostile.values()]
    path = _write_jsonl(tmp_path / "poison.jsonl", lines)
    result = run_factmark("--db", str(db_path), "import", str(path))
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    errors = _lines(result.stderr)
    assert len(errors) == len(hostile)
    for error, (number, (field, _)) in zip(errors, hostile.items(), strict=True):
        assert error.startswith(f"{path}: line {number}: ") and "lone surrogate" in error
        assert error.endswith(field)
    assert _lines(result.stdout)[-1] == f"imported 1, duplicates 0, failed {len(hostile)}"
    assert _count(db_path, "documents") == 1

    for fmt in EXPORT_FORMATS:
        exported = run_factmark("--db", str(db_path), "export", "--format", fmt, "--source", "all")
        assert exported.returncode == 0, (fmt, exported.stderr)
    brat = run_factmark(
        "--db",
        str(db_path),
        "export",
        "--format",
        "brat",
        "--source",
        "all",
        "-o",
        str(tmp_path / "brat"),
    )
    assert brat.returncode == 0, brat.stderr
    (record,) = [
        json.loads(line)
        for line in _lines(
            run_factmark(
                "--db", str(db_path), "export", "--format", "jsonl", "--source", "all"
            ).stdout
        )
    ]
    assert record["spans"][0]["attrs"] == {"k": "v"}


def test_a_surrogate_pair_is_one_character_and_imports(db_path, tmp_path):
    text = "Hamas 😀 met in Cairo."
    path = _write_jsonl(tmp_path / "pair.jsonl", [json.dumps(_record(text, note="ok 😀"))])
    assert "\\ud83d\\ude00" in path.read_text()  # the escaped pair, not the character
    result = run_factmark("--db", str(db_path), "import", str(path))
    assert result.returncode == 0, result.stderr
    assert _count(db_path, "spans") == 1


def test_a_lone_surrogate_in_prodigy_and_label_studio_fails_that_task_alone(db_path, tmp_path):
    prodigy = tmp_path / "tasks.jsonl"
    task = {"text": SENTENCE, "_input_hash": 1, "spans": [{"start": 0, "end": 5, "label": "ACTOR"}]}
    bad = {**task, "text": "Fatah met.", "meta": {"source": "x\ud800"}}
    _write_jsonl(prodigy, [json.dumps(task), json.dumps(bad)])
    studio = tmp_path / "studio.json"
    region = {"type": "labels", "value": {"start": 0, "end": 5, "labels": ["actor"]}}
    tasks = [
        {"data": {"text": "Hamas met the press."}, "annotations": [{"result": [region]}]},
        {"data": {"text": "Fatah met the press.", "src\udfff": "a"}},
    ]
    studio.write_text(json.dumps(tasks), encoding="utf-8")
    result = run_factmark("--db", str(db_path), "import", str(prodigy), str(studio))
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    errors = _lines(result.stderr)
    assert errors == [
        f"{prodigy}: line 2: invalid JSON: a lone surrogate (\\ud800) in /meta/source",
        f"{studio}: invalid JSON: a lone surrogate (\\udfff) in a key of /1/data",
    ]
    assert _lines(result.stdout)[-1] == "imported 1, duplicates 0, failed 2"


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_a_record_nested_too_deeply_fails_alone(db_path, tmp_path, suffix):
    deep = '{"text": "Hamas.", "meta": {"a": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    path = _write_jsonl(tmp_path / f"deep{suffix}", [deep, json.dumps(_record(SENTENCE))])
    result = run_factmark("--db", str(db_path), "import", str(path))
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert _lines(result.stderr) == [f"{path}: line 1: invalid JSON: nested too deeply"]
    assert _lines(result.stdout)[-1] == "imported 1, duplicates 0, failed 1"


def test_a_large_file_whose_first_line_nests_too_deeply_imports_the_rest(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(inputs, "MAX_INPUT_BYTES", 20_000)
    monkeypatch.setattr(inputs, "STREAM_CHUNK_BYTES", 3_000)
    deep = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    good = [json.dumps({"text": f"Good line {n} about Cairo."}) for n in range(1, 1001)]
    path, db = _write_jsonl(tmp_path / "big.jsonl", [deep, *good]), tmp_path / "db.sqlite"
    assert path.stat().st_size > inputs.MAX_INPUT_BYTES
    assert cli.main(["--db", str(db), "import", str(path)]) == 1
    out, err = capsys.readouterr()
    assert err.strip().splitlines() == [f"{path}: line 1: invalid JSON: nested too deeply"]
    assert out.strip().splitlines()[-1] == "imported 1000, duplicates 0, failed 1"
    assert _count(db, "documents") == 1000


def _articles(directory: Path, count: int) -> Path:
    """`count` distinct plain-text articles of about 27 KB each."""
    directory.mkdir()
    rng = random.Random(12)
    words = ["Hamas", "met", "in", "Cairo", "on", "Monday", "Fatah", "said", "the", "talks"]
    for n in range(count):
        text = " ".join(f"{rng.choice(words)}{rng.randint(0, 9999)}" for _ in range(3000))
        (directory / f"a{n:02}.txt").write_text(text + "\n", encoding="utf-8")
    return directory


def _assert_each_fails_alone(result: subprocess.CompletedProcess, files: Path, db: Path) -> None:
    assert result.returncode == 1 and b"Traceback" not in result.stderr, result.stderr[-500:]
    errors = _lines(result.stderr)
    imported = int(_lines(result.stdout)[-1].split()[1].rstrip(","))
    assert _lines(result.stdout)[-1] == f"imported {imported}, duplicates 0, failed {len(errors)}"
    assert errors and imported + len(errors) == len(list(files.iterdir()))
    for error in errors:  # one line per input: its name, the database, what the system said
        name, target, reason = error.split(": ", 2)
        assert (files / Path(name).name).exists() and target == str(db)
        assert reason in {"database or disk is full", "disk I/O error"}
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("pragma integrity_check").fetchone() == ("ok",)
        assert connection.execute("select count(*) from documents").fetchone() == (imported,)


def test_a_file_size_limit_fails_each_input_alone_and_keeps_what_fitted(tmp_path):
    files, db = _articles(tmp_path / "many", 40), tmp_path / "limited.db"

    def limit_file_size() -> None:  # writes past 400 KB fail (EFBIG) instead of killing us
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))

    result = subprocess.run(
        [sys.executable, "-m", "cli", "--db", str(db), "import", str(files)],
        capture_output=True,
        preexec_fn=limit_file_size,
        timeout=120,
        check=False,
    )
    _assert_each_fails_alone(result, files, db)


@pytest.fixture
def small_disk(tmp_path):
    """A 600 KB file system (tmpfs): needs root and mount; skips where it cannot."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], check=False)


def test_a_full_disk_fails_each_input_alone_and_keeps_what_fitted(tmp_path, small_disk):
    files, db = _articles(tmp_path / "many", 40), small_disk / "full.db"
    result = run_factmark("--db", str(db), "import", str(files))
    _assert_each_fails_alone(result, files, db)
    assert "database or disk is full" in result.stderr.decode()


def test_refused_layers_fail_alone_and_the_rest_of_the_inputs_is_imported(db_path, tmp_path):
    """bob (an annotator) imports his files alongside a gold record, a Prodigy task of session
    "x-gold" and a Label Studio task completed by carol: each of those is refused in one line."""
    run_factmark("--db", str(db_path), "--annotator", "ana", "annotators", "add", "ana")
    run_factmark("--db", str(db_path), "--annotator", "ana", "annotators", "add", "bob")
    inputs_dir = tmp_path / "bob"
    inputs_dir.mkdir()
    for n in range(3):
        record = _record(f"Bob's article number {n} about Hamas in Cairo.")
        _write_jsonl(inputs_dir / f"bob{n}.jsonl", [json.dumps(record)])
    gold = {**_record("A gold record about Fatah."), "_annotator_id": "gold"}
    _write_jsonl(inputs_dir / "gold.jsonl", [json.dumps(gold)])
    prodigy = {**_record("A Prodigy task about Hamas."), "_session_id": "x-gold"}
    _write_jsonl(inputs_dir / "prodigy.jsonl", [json.dumps({**prodigy, "_input_hash": 7})])
    region = {"type": "labels", "value": {"start": 0, "end": 5, "labels": ["actor"]}}
    task = {"data": {"text": "Carol's task about Fatah."}}
    task["annotations"] = [{"completed_by": "carol", "result": [region]}]
    (inputs_dir / "studio.json").write_text(json.dumps([task]), encoding="utf-8")

    result = run_factmark("--db", str(db_path), "--annotator", "bob", "import", str(inputs_dir))
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert sorted(_lines(result.stderr)) == [
        f"{inputs_dir / 'gold.jsonl'}: bob is an annotator: only reviewers and admins can write"
        " the gold layer",
        f"{inputs_dir / 'prodigy.jsonl'}: bob is an annotator: only reviewers and admins can"
        " write the gold layer",
        f"{inputs_dir / 'studio.json'}: bob is an annotator: only reviewers and admins can change"
        " carol's spans",
    ]
    assert _lines(result.stdout)[-1] == "imported 3, duplicates 0, failed 3"
    assert _count(db_path, "documents") == 3 and _count(db_path, "spans") == 3


PAGE = (
    "<html><head><title>Talks in Cairo</title></head><body><article><h1>Talks in Cairo</h1>"
    "<p>Hamas and Fatah met in Cairo on Monday to discuss the governance of the Gaza Strip.</p>"
    "<p>Officials from both sides said the talks were constructive but reached no deal.HERE</p>"
    "</article></body></html>"
)


@pytest.mark.parametrize(
    "reference", ["&#27;", "&#1;", "&#x1b;", "&#xFFFE;", "&#x1B;[31m", "&#27;]52;c;aGk=&#7;"]
)
def test_a_reference_to_a_control_character_is_dropped_and_the_article_kept(
    db_path, tmp_path, reference
):
    plain = tmp_path / "plain.html"
    plain.write_text(PAGE.replace("HERE", ""), encoding="utf-8")
    hostile = tmp_path / "hostile.html"
    hostile.write_text(PAGE.replace("HERE", reference), encoding="utf-8")
    expected = run_factmark("extract", str(plain)).stdout
    result = run_factmark("extract", str(hostile))
    assert result.returncode == 0, result.stderr
    visible = re.sub(r"&#\w+;", "", reference)  # what is left once the references go
    assert result.stdout == expected.replace(b"deal.", b"deal." + visible.encode())
    assert b"\x1b" not in result.stdout and b"\x07" not in result.stdout
    imported = run_factmark("--db", str(db_path), "import", str(hostile))
    assert imported.returncode == 0, imported.stderr


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bom.jsonl", b"\xef\xbb\xbf"),
        ("bom-blank.jsonl", b"\xef\xbb\xbf\n \n"),
        ("bom16.jsonl", b"\xff\xfe \x00\n\x00"),
        ("bom.json", b"\xef\xbb\xbf"),
        ("bom.txt", b"\xef\xbb\xbf"),
        ("nothing.jsonl", b""),
    ],
)
def test_a_file_of_only_a_byte_order_mark_is_reported_empty(db_path, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    result = run_factmark("--db", str(db_path), "import", str(path))
    assert result.returncode == 1
    assert _lines(result.stderr) == [f"{path}: empty file"]
    assert _lines(result.stdout) == ["imported 0, duplicates 0, failed 1"]


def test_an_html_page_of_only_a_byte_order_mark_is_reported_empty(db_path, tmp_path):
    path = tmp_path / "bom.html"
    path.write_bytes(b"\xef\xbb\xbf \n")
    result = run_factmark("--db", str(db_path), "import", str(path))
    assert result.returncode == 1
    assert _lines(result.stderr) == [f"{path}: empty input: only a byte-order mark and blanks"]


def test_meta_strings_are_stored_canonical_like_titles(db_path, tmp_path):
    hostile = "a\u009b31mb\u202ec\x1b]52;c;aGk=\x07d\u0085e\x00"
    record = {
        "text": SENTENCE,
        "meta": {
            "title": "  Talks\x1b[2J in\u202e\n Cairo\u009b ",
            "byline": "By\u2066 Ana\x07",
            "custom": hostile,
            "nested": {f"key\x1b{hostile}": [hostile, 3, None]},
            "decomposed": "Cafe\u0301",
        },
        "source\u202e": "x\x1b",
    }
    path = _write_jsonl(tmp_path / "meta.jsonl", [json.dumps(record)])
    result = run_factmark("--db", str(db_path), "import", str(path))
    assert result.returncode == 0, result.stderr
    listed = run_factmark("--db", str(db_path), "list", "--json")
    (document,) = json.loads(listed.stdout)
    assert document["title"] == "Talks[2J in Cairo"  # ESC gone, its text harmless
    exported = run_factmark("--db", str(db_path), "export", "--format", "jsonl", "--source", "all")
    with sqlite3.connect(db_path) as connection:
        title, byline, meta = connection.execute(
            "select title, byline, meta from documents"
        ).fetchone()
    assert (title, byline) == ("Talks[2J in Cairo", "By Ana")
    clean = "a31mbc]52;c;aGk=d\ne"
    assert json.loads(meta) == {
        "custom": clean,
        "nested": {f"key{clean}": [clean, 3, None]},
        "decomposed": "Café",
        "source": "x",
    }
    for output in (listed.stdout, exported.stdout):
        assert not re.search(rb"\\u00[01]|\\u009|\\u202|\x1b|\xc2\x9b", output)


def test_meta_nested_too_deeply_fails_alone(db_path, tmp_path):
    deep: object = "bottom"
    for _ in range(200):
        deep = [deep]
    path = _write_jsonl(
        tmp_path / "deep.jsonl", [json.dumps({"text": SENTENCE, "meta": {"a": deep}})]
    )
    result = run_factmark("--db", str(db_path), "import", str(path))
    assert _lines(result.stderr) == [f"{path}: line 1: meta is nested more than 64 levels deep"]
    assert result.returncode == 1


@pytest.mark.parametrize(
    "attribute",
    [' a{}="v"', " a{}", " a{}=v", "/a{}", " a{}='>'", ' a{}="x""'],
    ids=["quoted", "boolean", "unquoted", "slashes", "quoted-gt", "stray-quote"],
)
def test_an_element_with_too_many_attributes_is_refused_at_once(tmp_path, attribute):
    """libxml2 checks each attribute against the element's earlier ones: 40,000 took 37 s."""
    many = "".join(attribute.format(n) for n in range(40_000))
    path = tmp_path / "attributes.html"
    path.write_text(PAGE.replace("<p>", f"<p{many}>", 1).replace("HERE", ""), encoding="utf-8")
    started = time.monotonic()
    result = run_factmark("extract", str(path))
    assert time.monotonic() - started < 5
    assert result.returncode == 1
    assert _lines(result.stderr) == [
        f"{path}: HTML page has an element with 40,000 attributes, over the 1,000 an element"
        " of an article page can have"
    ]


@pytest.mark.parametrize(
    ("opening", "attributes"),
    [
        ("<p data:x;base64,", "40,001"),
        ("<p <script", "40,001"),
        ("<p <style", "40,001"),
        ("<p <!--", "40,001"),
        ("<template><p", "40,000"),
    ],
    ids=["data-uri", "script", "style", "comment", "template"],
)
def test_attributes_after_a_payload_opener_are_still_counted(tmp_path, opening, attributes):
    """A data: URI, a comment or a script opened inside a tag does not hide its attributes
    from the check (libxml2 parses them all: 40,000 took 3 s a parse); a template's content is
    markup too."""
    many = "".join(f" a{n}" for n in range(40_000))
    path = tmp_path / "attributes.html"
    path.write_text(PAGE.replace("<p>", f"{opening}{many}>", 1).replace("HERE", ""), "utf-8")
    started = time.monotonic()
    result = run_factmark("extract", str(path))
    assert time.monotonic() - started < 5
    assert result.returncode == 1
    assert _lines(result.stderr) == [
        f"{path}: HTML page has an element with {attributes} attributes, over the 1,000 an element"
        " of an article page can have"
    ]


def test_an_element_with_hundreds_of_attributes_still_imports(tmp_path):
    many = "".join(f' data-x{n}="{n}>"' for n in range(900))
    path = tmp_path / "attributes.html"
    path.write_text(PAGE.replace("<p>", f"<p{many}>", 1).replace("HERE", ""), encoding="utf-8")
    result = run_factmark("extract", str(path))
    assert result.returncode == 0, result.stderr
    assert b"Hamas and Fatah met in Cairo" in result.stdout


def test_a_text_scrape_over_eight_million_characters_is_refused_at_once(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("Hamas and Fatah met in Cairo on Monday. " * 250_000, encoding="utf-8")
    started = time.monotonic()
    result = run_factmark("extract", str(path))
    assert time.monotonic() - started < 5 and result.returncode == 1
    assert _lines(result.stderr) == [
        f"{path}: the scrape holds 10.0 million characters, over the 8 million an article can have"
    ]


def test_claimreviews_with_nan_huge_numbers_and_surrogates_import_as_json(db_path, tmp_path):
    reviews = [
        {"ratingValue": 10**400},  # float() of it overflows: it failed the file as a bug
        {"ratingValue": "NaN", "bestRating": "1e999"},
        {"ratingValue": "4"},
    ]
    lines = [
        json.dumps(
            {
                "@type": "ClaimReview",
                "url": f"https://checks.example/{n}",
                "claimReviewed": f"Hamas said {n} \ud800 things",
                "reviewRating": rating,
            }
        )
        for n, rating in enumerate(reviews)
    ]
    lines[1] = lines[1].replace('"NaN"', "NaN")
    path = _write_jsonl(tmp_path / "reviews.jsonl", lines)
    result = run_factmark("--db", str(db_path), "import", str(path))
    assert result.returncode == 0, result.stderr
    assert "external checks 3" in _lines(result.stdout)[-1]
    with closing(sqlite3.connect(db_path)) as connection:
        stored = connection.execute(
            "select claim, rating_value, raw from external_checks"
        ).fetchall()
    for claim, _, raw in stored:
        json.loads(raw, parse_constant=lambda name: pytest.fail(f"{name} stored"))
        assert "\ud800" not in claim and "\\ud800" not in raw
    assert sorted(rating for _, rating, _ in stored if rating is not None) == [4.0]
    exported = run_factmark("--db", str(db_path), "export", "--format", "claimreview")
    assert exported.returncode == 0, exported.stderr


def test_a_page_of_fifty_thousand_nested_links_is_refused_at_once(tmp_path):
    """trafilatura took 4.4 s (9 s on a busy machine) on 50,000 links, under the old limit."""
    path = tmp_path / "links.html"
    links = "<a>" * 50_000 + "</a>" * 50_000
    path.write_text(PAGE.replace("HERE", links), encoding="utf-8")
    started = time.monotonic()
    result = run_factmark("extract", str(path))
    assert time.monotonic() - started < 5 and result.returncode == 1
    (error,) = _lines(result.stderr)
    assert error.startswith(f"{path}: HTML page has 50,00") and "over the 30,000" in error


def test_span_attrs_are_stored_canonical_and_exports_print_no_controls(db_path, tmp_path):
    hostile = "\u009b31m\u202e\x1b]52;c;aGk=\x07"
    record = _record(SENTENCE, attrs={f"k{hostile}": [hostile, {"v": f"Cafe\u0301{hostile}"}]})
    path = _write_jsonl(tmp_path / "attrs.jsonl", [json.dumps(record)])
    assert run_factmark("--db", str(db_path), "import", str(path)).returncode == 0
    for fmt in ("jsonl", "prodigy", "labelstudio", "doccano"):
        exported = run_factmark("--db", str(db_path), "export", "--format", fmt, "--source", "all")
        assert exported.returncode == 0, exported.stderr
        text = exported.stdout.decode()
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]|\\\\u00[019]", text), fmt
    jsonl = run_factmark("--db", str(db_path), "export", "--format", "jsonl", "--source", "all")
    (span,) = json.loads(jsonl.stdout)["spans"]
    assert span["attrs"] == {"k31m]52;c;aGk=": ["31m]52;c;aGk=", {"v": "Café31m]52;c;aGk="}]}
