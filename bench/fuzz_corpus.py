"""A deterministic corpus of hostile inputs for `factmark import`, and the checks each must pass.

    from bench.fuzz_corpus import corpus, sample
    for case in corpus():        # 1,300 inputs, the same bytes on every run (seeded)
        case.name, case.kind, case.data

Every importable format is attacked: HTML (truncated, nested 100,000 deep, huge attributes and
lines, thousands of attributes, NUL bytes, invalid and mislabelled encodings, gzip and other
compressed bytes named .html, references to control characters), plain text, native JSONL,
Prodigy, doccano, Label Studio and ClaimReview JSON (wrong types, out-of-range and reversed
offsets, escaped lone surrogates, NaN and Infinity, huge integers, deep nesting), and markup
(`[b]`, `[link=…]`, `<script>`) and terminal escapes (OSC 52, CSI, C1, bidi overrides) in titles,
text, notes and metadata.

What each input must do (`check_outcome`): import, or fail alone — exit 0 or 1 (never 70, the
"bug" exit), one stderr line per failure naming the input, no traceback — within the time limit,
leaving no partial document behind, and print nothing hostile (`hostile_bytes`). `bench.bench_fuzz`
runs the whole corpus; tests/test_fuzz_sample.py runs `sample()` as real processes.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import random
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

SEED = 12
TIME_LIMIT_SECONDS = 5.0
LABELS = ("actor", "claim", "figure", "source", "ACTOR", "villain", "", None, 3)

# What must never reach a terminal: C0 controls but newline and tab (CR too: it rewrites a
# line), DEL, C1 controls, bidi embeddings/overrides/isolates, and lone surrogates.
_HOSTILE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

ESCAPES = (
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",  # OSC 52: write the clipboard
    "\x1b[2J\x1b[H",  # CSI: clear the screen
    "\x1b[31mred\x1b[0m",
    "\x9b31m",  # C1 CSI
    "\u202eevil\u202c",  # bidi override
    "\u2066isolate\u2069",
    "\x07\x08\x00",
    "[b]bold[/b] [link=https://evil.example]click[/link] [@click=app.quit]x[/]",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "\r\rover\rwrite",
    "\u200b\ufeff\u00ad",
)

BODY = (
    "Hamas and Fatah met in Cairo on Monday to discuss the governance of the Gaza Strip. "
    "Officials from both sides said the talks were constructive but reached no agreement. "
    "The ministry of health said 34,535 people had been killed since the war began."
)


def _body(rng: random.Random) -> str:
    """BODY made unique (a document is stored once per text: each case must bring its own)."""
    return f"{BODY} Report {rng.randrange(10**9)} ends here."


@dataclass(frozen=True)
class Case:
    """One hostile input: the file name it is imported as, its kind, and its bytes."""

    name: str
    kind: str
    data: bytes


def hostile_bytes(output: bytes) -> str | None:
    """What in `output` must not reach a terminal (a short description), or None."""
    try:
        text = output.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"not UTF-8 at byte {error.start}"
    found = _HOSTILE.search(text)
    return None if found is None else f"U+{ord(found.group()):04X} at {found.start()}"


# -- HTML --------------------------------------------------------------------------------------


def _page(title: str = "Talks in Cairo", body: str = BODY, head: str = "", attrs: str = "") -> str:
    paragraphs = "".join(f"<p{attrs}>{sentence}.</p>" for sentence in body.split(". "))
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def _html_cases(rng: random.Random) -> Iterator[tuple[str, bytes]]:
    page = _page().encode()
    yield "truncated", page[: rng.randrange(1, len(page))]
    depth = rng.choice([500, 5_000, 50_000, 100_000, 200_000])
    tag = rng.choice(["div", "span", "b", "table", "li", "p", "a"])
    yield (
        "deep",
        _page(body=f"<{tag}>" * depth + BODY + f"</{tag}>" * rng.choice([0, depth])).encode(),
    )
    yield (
        "huge-attribute",
        _page(attrs=f' data-x="{"A" * rng.choice([10**5, 10**6, 5 * 10**6])}"').encode(),
    )
    count = rng.choice([999, 1_001, 5_000, 40_000, 100_000])
    form = rng.choice([" a{}", ' a{}="v"', "/a{}", " a{}='>'"])
    attrs = "".join(form.format(n) for n in range(count))
    yield "many-attributes", _page().replace("<p>", f"<p{attrs}>", 1).encode()
    yield "huge-line", _page(body=(BODY + " ") * rng.choice([1_000, 20_000, 60_000])).encode()
    position = rng.randrange(len(page))
    yield "nul", page[:position] + b"\x00" * rng.choice([1, 3, 100]) + page[position:]
    yield "encoding", _bad_encoding(rng)
    yield "compressed", _compressed(rng, page)
    escape = rng.choice(ESCAPES)
    title = rng.choice([escape, f"Talks {escape} in Cairo", escape * 50])
    body = _body(rng).replace("Cairo", rng.choice(["Cairo", f"Cairo{escape}"]))
    yield "escapes", _page(title=title, body=body, head=_meta_escapes(rng, escape)).encode()
    reference = rng.choice(["&#27;", "&#1;", "&#x1b;", "&#xFFFE;", "&#0;", "&#x9b;", "&#xD800;"])
    yield (
        "references",
        _page(title=f"T{reference}", body=BODY + reference * rng.randint(1, 9)).encode(),
    )
    yield "json-ld", _page(head=_hostile_json_ld(rng)).encode()


def _meta_escapes(rng: random.Random, escape: str) -> str:
    name = rng.choice(
        ["author", "og:site_name", "og:title", "description", "article:published_time"]
    )
    attribute = "property" if name.startswith(("og:", "article:")) else "name"
    content = escape.replace("'", "&#39;")
    return f"<meta {attribute}='{name}' content='{content}'><link rel=canonical href='{content}'>"


def _hostile_json_ld(rng: random.Random) -> str:
    value = rng.choice(
        [
            '"\\ud800"',
            "NaN",
            "1e999",
            "9" * 5000,
            "[" * 5000 + "]" * 5000,
            '"\\u001b]52;c;aGk=\\u0007"',
            '{"@type": "Person", "name": "\\u202eevil"}',
        ]
    )
    return (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
        f'{value}, "author": {value}, "datePublished": {value}}}</script>'
    )


def _bad_encoding(rng: random.Random) -> bytes:
    page = _page(body=BODY + " Café, naïve, 東京.")
    choice = rng.randrange(7)
    if choice == 0:  # says UTF-8, is windows-1252
        return page.encode("cp1252", errors="replace")
    if choice == 1:  # says Shift_JIS, is UTF-8 with a broken byte
        return page.replace("utf-8", "shift_jis").encode()[:-40] + b"\xff\xfe\x80" + b"</p>"
    if choice == 2:  # UTF-16 without a byte-order mark
        return page.encode("utf-16-le")
    if choice == 3:  # a UTF-16 byte-order mark on UTF-8 bytes
        return b"\xff\xfe" + page.encode()
    if choice == 4:  # an unknown charset and random high bytes
        return page.replace("utf-8", "x-klingon").encode() + bytes(
            rng.randrange(128, 256) for _ in range(500)
        )
    if choice == 5:  # UTF-32 with a BOM and a lone surrogate code unit
        return b"\xff\xfe\x00\x00" + page.encode("utf-32-le") + b"\x00\xd8\x00\x00"
    return page.replace("utf-8", "iso-2022-jp").encode() + b"\x1b$B\x1b(B\x1b]52;c;aGk=\x07"


def _compressed(rng: random.Random, page: bytes) -> bytes:
    choice = rng.randrange(6)
    if choice == 0:
        return gzip.compress(page)
    if choice == 1:
        return gzip.compress(page)[: rng.randrange(10, 60)]  # truncated
    if choice == 2:  # a bomb: 80 MB of blanks, 80 KB compressed
        return gzip.compress(b" " * 80 * 2**20, compresslevel=1)
    if choice == 3:
        return bz2.compress(page)
    if choice == 4:
        return lzma.compress(page)
    return zlib.compress(page)


# -- plain text --------------------------------------------------------------------------------


def _text_cases(rng: random.Random) -> Iterator[tuple[str, bytes]]:
    escape = rng.choice(ESCAPES)
    lines = [
        f"Talks {escape} in Cairo",
        "",
        _body(rng),
        "",
        f"By Ana{escape}",
        _body(rng).replace(". ", f". {escape}"),
    ]
    yield "escapes", "\n".join(lines).encode()
    yield "nul", BODY.encode().replace(b" ", b"\x00", rng.randint(1, 20))
    yield (
        "invalid-utf8",
        BODY.encode()[:40] + bytes([rng.randrange(0x80, 0x100)]) + BODY.encode()[40:],
    )
    yield "huge-line", ((BODY + " ") * rng.choice([10_000, 100_000])).encode()
    yield "blank", rng.choice([b"", b" \n\t\r\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\r" * 1000])
    yield (
        "line-breaks",
        BODY.replace(". ", rng.choice([".\r", ".\u2028", ".\x85", ".\x0c", ".\x0b"])).encode(),
    )


# -- annotation records ------------------------------------------------------------------------

_WRONG: tuple[object, ...] = (
    None,
    True,
    -1,
    0.5,
    10**30,
    10**400,
    "7",
    [],
    {},
    [0, 5],
    "\ud800",
    float("nan"),
)


def _raw(value: object) -> str:
    """`value` as JSON source, NaN and surrogates (which json writes escaped) included."""
    return json.dumps(value, allow_nan=True)


def _native_record(rng: random.Random) -> str:
    text = _body(rng)
    escape = rng.choice(ESCAPES)
    span: dict[str, object] = {"start": 0, "end": 5, "label": "actor"}
    record: dict[str, object] = {"text": text, "spans": [span], "_annotator_id": "fuzz"}
    mutation = rng.randrange(20)
    if mutation >= 16:  # valid, and hostile wherever a record holds strings
        record["meta"] = {"title": f"T{escape}", "byline": escape, "x": escape, escape: [escape]}
        span.update(note=f"n{escape}", attrs={f"k{escape}": {"v": escape}})
        record[f"extra{escape}"] = escape
    elif mutation == 0:
        record["text"] = rng.choice(_WRONG + (f"{escape}{text}", "", "   "))
    elif mutation == 1:
        span[rng.choice(["start", "end"])] = rng.choice(_WRONG + (-5, len(text) + 1, 10**20))
    elif mutation == 2:
        span["start"], span["end"] = 9, 3  # reversed
    elif mutation == 3:
        span["label"] = rng.choice(LABELS)
    elif mutation == 4:
        span["note"] = rng.choice([escape, 5, ["x"], "\ud800", escape * 1000])
    elif mutation == 5:
        span["attrs"] = rng.choice(
            [
                {"k": escape},
                {escape: 1},
                {"k": "v\ud800"},
                {"\udc00": 1},
                [1],
                "x",
                {"k": float("nan")},
                {"k": 10**400},
                {"entity": escape},
                {"check": {"verdict": escape}},
            ]
        )
    elif mutation == 6:
        record["meta"] = rng.choice(
            [
                {"title": escape},
                {"title": 5},
                {"url": escape},
                {"x": escape},
                {escape: escape},
                [1],
                "meta",
                {"x": "\ud800"},
                {"published": [escape]},
                {"x": [[[[escape]]]]},
            ]
        )
    elif mutation == 7:
        record[rng.choice([escape, "extra", "\ud800", "spans2"])] = rng.choice([escape, 1, None])
    elif mutation == 8:
        record["relations"] = rng.choice(
            [
                [{"head": "#0", "child": "#0", "label": "source"}],
                [{"head": 1}],
                "x",
                [None],
                [{"head": "#0", "child": "#9", "label": escape}],
            ]
        )
    elif mutation == 9:
        record["_annotator_id"] = rng.choice(["gold", "", escape, 5, "a" * 500, "\ud800", " x "])
    elif mutation == 10:
        record["spans"] = rng.choice(["spans", {"a": 1}, [None], [span] * 2000, None])
    elif mutation == 11:
        deep = rng.choice([200, 990, 5000, 100_000])
        return '{"text": ' + _raw(text) + ', "meta": {"a": ' + "[" * deep + "]" * deep + "}}"
    elif mutation == 12:
        return _raw(record).replace(
            "5", rng.choice(["NaN", "Infinity", "-Infinity", "1e999", "9" * 5000]), 1
        )
    elif mutation == 13:  # markup and escapes inside the text, with offsets that follow them
        record["text"] = f"{escape} {text}"
        span["start"] = len(escape) + 1
        span["end"] = len(escape) + 6
        span["text"] = "Hamas"
    elif mutation == 14:
        line = _raw(record)
        return line[: rng.randrange(1, len(line))]  # truncated
    else:
        record["answer"] = rng.choice(["accept", "reject", 5, escape])
    return _raw(record)


def _prodigy_task(rng: random.Random) -> str:
    escape = rng.choice(ESCAPES)
    task: dict[str, object] = {
        "text": _body(rng),
        "_input_hash": rng.choice([1, -(10**30), "x", None]),
        "_task_hash": 2,
        "spans": [{"start": 0, "end": 5, "label": rng.choice(LABELS)}],
        "tokens": rng.choice([[], "tokens", [{"text": escape}]]),
        "answer": rng.choice(["accept", "reject", "ignore", "maybe", None, 1]),
        "_session_id": rng.choice(
            ["set-ana", "set-gold", "x-gold", escape, 5, "2024-05-01_12-00-00"]
        ),
    }
    if rng.random() < 0.5:
        task["relations"] = rng.choice(
            [
                [
                    {
                        "head_span": {"start": 0, "end": 5, "label": "ACTOR"},
                        "child_span": {},
                        "label": "x",
                    }
                ],
                "rel",
                [5],
            ]
        )
    if rng.random() < 0.5:
        task["meta"] = rng.choice([{"source": escape}, [escape], {"\ud800": 1}])
    return _raw(task)


def _doccano_record(rng: random.Random) -> str:
    escape = rng.choice(ESCAPES)
    text = rng.choice([_body(rng), f"👨‍👩‍👧 {_body(rng)}", f"{escape}{_body(rng)}"])
    if rng.random() < 0.5:
        entities = [
            {
                "id": 1,
                "start_offset": rng.choice([0, 1, -1, 10**9, "0"]),
                "end_offset": rng.choice([5, 2, 0, None]),
                "label": rng.choice(LABELS),
            }
        ]
        return _raw(
            {"text": text, "entities": entities, "relations": rng.choice([[], [{"from_id": 1}]])}
        )
    labels = rng.choice(
        [[[0, 5, "actor"]], [[5, 0, "actor"]], [[0, 3, "ACTOR"]], [[1, 2]], [["a", "b", "c"]]]
    )
    return _raw({"text": text, "label": labels, rng.choice(["meta", "x"]): escape})


def _labelstudio_file(rng: random.Random) -> str:
    escape = rng.choice(ESCAPES)
    region = {
        "id": rng.choice(["r1", 5, None, escape]),
        "type": "labels",
        "from_name": "label",
        "value": {
            "start": rng.choice([0, -1, 10**9, "0", None, 2.5]),
            "end": rng.choice([5, 0, 10**20]),
            "text": rng.choice(["Hamas", escape, 5]),
            "labels": rng.choice([["actor"], ["Actor"], [escape], "actor", [], [None]]),
        },
        "meta": rng.choice([{"text": [escape]}, {"attrs": {"k": escape}}, "m", None]),
    }
    annotation = {
        "id": 1,
        "completed_by": rng.choice([1, "ana", {"email": escape}, escape, True, [1], "gold", None]),
        "result": rng.choice(
            [
                [region],
                [region, {"type": "relation", "from_id": "r1", "to_id": "x"}],
                "result",
                [None],
            ]
        ),
        "was_cancelled": rng.choice([False, True, "yes"]),
    }
    data = rng.choice(
        [
            {"text": _body(rng)},
            {"text": f"{escape}{_body(rng)}"},
            {"body": _body(rng), "extra": escape},
            {"text": 5},
            "data",
            {"text": _body(rng), "meta": {"k": escape}},
        ]
    )
    task = {
        "id": 1,
        "data": data,
        "annotations": rng.choice([[annotation], annotation, [None], None]),
    }
    return _raw(rng.choice([[task], task, [task, 5], [[task]]]))


def _claimreview(rng: random.Random) -> str:
    escape = rng.choice(ESCAPES)
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": rng.choice(["https://checks.example/1", escape, 5, None]),
        "claimReviewed": rng.choice([f"Hamas said {escape}", escape, 5, ["a"], "\ud800", None]),
        "author": rng.choice([{"@type": "Organization", "name": escape}, escape, [escape], 5]),
        "reviewRating": rng.choice(
            [
                {"ratingValue": float("nan"), "alternateName": escape},
                {"ratingValue": 10**400},
                {"ratingValue": "1e999", "bestRating": float("inf")},
                "False",
                None,
                [1],
            ]
        ),
        "datePublished": rng.choice(["2024-05-01", escape, 10**30, "9999-99-99"]),
        "itemReviewed": rng.choice(
            [{"@type": "Claim", "appearance": {"url": escape}}, escape, None]
        ),
    }
    return _raw(rng.choice([review, [review], {"@graph": [review]}, [review] * 3]))


def _lines_of(make: Callable[[random.Random], str], rng: random.Random) -> bytes:
    lines = [make(rng) for _ in range(rng.choice([1, 1, 2, 5]))]
    return ("\n".join(lines) + rng.choice(["\n", "", "\r\n"])).encode(
        "utf-8", errors="surrogatepass"
    )


# -- the corpus --------------------------------------------------------------------------------

_SUFFIXES = {
    "prodigy": ".jsonl",
    "doccano": ".jsonl",
    "labelstudio": ".json",
    "claimreview": ".json",
}


def corpus(seed: int = SEED, rounds: int = 60) -> Iterator[Case]:
    """Every input, in a fixed order: `rounds` rounds of every kind (about 22 a round)."""
    for round_number in range(rounds):
        rng = random.Random(seed * 100_003 + round_number)
        cases: list[tuple[str, str, bytes]] = []
        cases += [(f"html-{kind}", ".html", data) for kind, data in _html_cases(rng)]
        cases += [(f"text-{kind}", ".txt", data) for kind, data in _text_cases(rng)]
        cases.append(("jsonl", ".jsonl", _lines_of(_native_record, rng)))
        cases.append(("jsonl-escapes", ".jsonl", _lines_of(_native_record, rng)))
        for fmt, make in (
            ("prodigy", _prodigy_task),
            ("doccano", _doccano_record),
            ("labelstudio", _labelstudio_file),
            ("claimreview", _claimreview),
        ):
            if fmt in ("labelstudio",):
                data = make(rng).encode("utf-8", errors="surrogatepass")
            else:
                data = _lines_of(make, rng)
            cases.append((fmt, _SUFFIXES[fmt], data))
        for number, (kind, suffix, data) in enumerate(cases):
            yield Case(f"r{round_number:03}-{number:02}-{kind}{suffix}", kind, data)


def sample(size: int = 60) -> list[Case]:
    """A fixed sample for every `make test`: the first rounds, each holding every kind."""
    return list(corpus(rounds=size // 20 + 1))[:size]


@dataclass
class Outcome:
    """What one import did, as `check_outcome` judges it."""

    verdict: str  # "imported", "failed alone", "crash", "over time", "leak", "partial"
    problem: str | None = None


# How the import names an exception nobody expected, for an input that failed alone with it.
_CAUGHT_BUG = re.compile(r"could not be read \((\w+Error|\w+Exception)")
_TALLY = re.compile(rb"^imported (\d+), duplicates (\d+), failed (\d+)", re.M)


def check_outcome(
    name: str,
    returncode: int,
    stdout: bytes,
    stderr: bytes,
    seconds: float,
    documents_added: int,
    limit: float = TIME_LIMIT_SECONDS,
) -> Outcome:
    """Judge one `factmark import NAME` run (see the module docstring)."""
    if returncode not in (0, 1) or b"Traceback" in stderr or b"internal error" in stderr:
        first = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        return Outcome("crash", f"exit {returncode}: {first[0][:200]}")
    for stream in (stdout, stderr):
        leaked = hostile_bytes(stream)
        if leaked is not None:
            return Outcome("leak", f"output holds {leaked}")
    tallies = _TALLY.findall(stdout)
    if not tallies:
        return Outcome("crash", "no tally printed")
    imported, _, failed = (int(value) for value in tallies[-1])
    if documents_added != imported:
        return Outcome(
            "partial", f"tally says {imported} imported, {documents_added} documents added"
        )
    errors = stderr.decode("utf-8").strip().splitlines()
    if len(errors) != failed or (failed > 0) != (returncode == 1):
        return Outcome("crash", f"{failed} failed but {len(errors)} lines, exit {returncode}")
    caught = next((line for line in errors if _CAUGHT_BUG.search(line)), None)
    if caught is not None:  # failed alone, but through the last-resort handler: a bug
        return Outcome("crash", caught[len(name) + 2 :][:200])
    if any(not line.startswith(f"{name}: ") for line in errors):
        return Outcome("crash", f"a line does not name the input: {errors[0][:200]}")
    if seconds > limit:
        return Outcome("over time", f"{seconds:.1f} s")
    return Outcome("imported" if imported or not failed else "failed alone")


EXPORT_FORMATS = ("jsonl", "conll", "prodigy", "doccano", "labelstudio", "claimreview")
# What is read back after importing: each must exit 0 and print nothing hostile.
READ_BACK: tuple[tuple[str, ...], ...] = (
    ("list",),
    ("list", "--json"),
    *(("export", "--format", fmt, "--source", "all") for fmt in EXPORT_FORMATS),
)


def stored_problems(db: str) -> list[str]:
    """Hostile characters in what the database stores of documents (text, metadata)."""
    import sqlite3
    from contextlib import closing

    from vocabulary.text import is_canonical

    problems = []
    with closing(sqlite3.connect(db)) as connection:
        rows = connection.execute(
            "select id, text, title, byline, outlet, url, published, meta from documents"
        )
        for doc_id, text, *fields, meta in rows:
            if not is_canonical(text) or hostile_bytes(text.encode("utf-8", "surrogatepass")):
                problems.append(f"document {doc_id}: text not canonical")
            for value in [*fields, meta]:
                encoded = (value or "").encode("utf-8", "surrogatepass")
                leaked = hostile_bytes(encoded) or hostile_bytes(_json_unescaped(encoded))
                if leaked:
                    problems.append(f"document {doc_id}: a field holds {leaked}")
        spans = connection.execute("select id, note, attrs from spans")
        for span_id, note, attrs in spans:
            for value in (note, attrs):
                encoded = (value or "").encode("utf-8", "surrogatepass")
                leaked = hostile_bytes(encoded) or hostile_bytes(_json_unescaped(encoded))
                if leaked:
                    problems.append(f"span {span_id}: a field holds {leaked}")
    return problems


def _json_unescaped(stored: bytes) -> bytes:
    """The strings (keys too) of a stored JSON value, its escapes read: what an export prints."""
    try:
        stack = [json.loads(stored)]
    except ValueError:
        return b""
    strings = []
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            strings.extend(value)
            stack.extend(value.values())
    return "\n".join(strings).encode("utf-8", "surrogatepass")
