"""A data card an editor can publish: Hugging Face front matter the Hub's own parser reads,
figures with their meaning and reading, guidelines version, licence and citation from the
configuration, provenance per document, splits stable across runs and import orders, and
pseudonyms that keep every login out of the card."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml
from huggingface_hub import DatasetCard

from cli.demo import build_demo_database
from exporters.splits import SplitError, assign_splits, parse_splits, split_sizes
from store import Store
from tests.conftest import run_factmark
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

CITATION = "@misc{desk2026,\n  title = {Annotated ```articles```},\n  year = {2026}\n}"
CONFIG = f'''
organisation = "Desk: a \\"quoted\\" name\\n---"
guidelines = "rules.md"

[card]
license = "cc-by-4.0"
language = ["en", "fr"]
citation = """{CITATION}"""
'''
GUIDELINES = "Some preface line.\n\n# Desk rules, version 7\n\n## Claims\nMark them.\n"


def _config(folder: Path) -> Path:
    (folder / "rules.md").write_text(GUIDELINES, encoding="utf-8")
    path = folder / "factmark.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def _texts(count: int) -> list[str]:
    return [f"Article number {n}: the minister said taxes fell by {n}%." for n in range(count)]


def _database(path: Path, order: list[int]) -> Path:
    """Ten documents imported in `order`, each with gold spans; two annotators on the first."""
    texts = _texts(10)
    with Store.open(path) as store:
        items = []
        for n in order:
            layers = (LayerDraft("gold", (SpanDraft(0, 7, "actor"),), done=True),)
            if n == 0:
                layers += (
                    LayerDraft("zoltan_login", (SpanDraft(0, 7, "actor"),), done=True),
                    LayerDraft("yvette_login", (SpanDraft(0, 7, "claim"),), done=True),
                )
            items.append(
                ImportItem(
                    Article(
                        text=texts[n],
                        title=f"T{n}",
                        outlet=f"Outlet | {n % 3}",
                        url=f"https://news.example.org/{n}?a=<b>"
                        if n == 0
                        else f"https://n.org/{n}",
                        published=f"2024-05-{n + 1:02d}",
                    ),
                    layers,
                )
            )
        store.import_items(items)
    return path


def _card(tmp_path: Path, db: Path, *options: str, name: str = "CARD.md") -> str:
    card = tmp_path / name
    result = run_factmark(
        "--config",
        str(_config(tmp_path)),
        "--db",
        str(db),
        "export",
        "--format",
        "jsonl",
        "--source",
        "gold",
        "-o",
        str(tmp_path / f"{name}.jsonl"),
        "--card",
        str(card),
        *options,
    )
    assert result.returncode == 0, result.stderr
    return card.read_text(encoding="utf-8")


def _splits_column(card: str) -> dict[str, str]:
    """Document id -> split, read from the card's documents table."""
    found = re.findall(r"^\| `(d-[0-9a-f]{16})` \|.*\| (train|dev|test) \|$", card, re.MULTILINE)
    return dict(found)


def test_front_matter_is_what_the_hub_reads(tmp_path: Path) -> None:
    text = _card(tmp_path, _database(tmp_path / "a.db", list(range(10))))
    assert text.startswith("---\n")
    metadata = yaml.safe_load(text.split("---\n")[1])
    card = DatasetCard(text)  # the Hub's own card parser
    assert card.data.license == metadata["license"] == "cc-by-4.0"
    assert card.data.language == ["en", "fr"]
    assert card.data.task_categories == ["token-classification"]
    assert card.data.size_categories == ["n<1K"]
    assert card.data.pretty_name == 'Desk: a "quoted" name ---'  # one line, no front matter end
    headings = [line for line in card.text.splitlines() if line.startswith("#")]
    order = [
        "## Dataset Description",
        "## Dataset Structure",
        "### Data Splits",
        "## Dataset Creation",
        "### Annotations",
        "## Considerations for Using the Data",
        "### Licensing Information",
        "### Citation Information",
    ]
    assert [h for h in headings if h in order] == order
    assert "\n```bibtex\n" not in text  # the citation holds a backtick run: a longer fence
    assert f"````bibtex\n{CITATION}\n````" in text


def test_figures_guidelines_and_provenance(tmp_path: Path) -> None:
    text = _card(tmp_path, _database(tmp_path / "a.db", list(range(10))))
    digest = hashlib.sha256(GUIDELINES.encode()).hexdigest()
    assert f"“Desk rules, version 7” (file `rules.md`, SHA-256 `{digest}`)" in text
    # The two annotators disagree on the one span they drew: α is low, and the card says so.
    alpha_row = next(line for line in text.splitlines() if "| Krippendorff's α, characters" in line)
    assert float(alpha_row.split("|")[2]) < 0.667
    assert "chance-corrected agreement" in alpha_row and "not for conclusions" in alpha_row
    assert "| `figure` | — | undefined |" in text  # a label nobody used: no reading
    assert "| **actor** | 0 | 1 | 0 | 0 | 0 |" in text  # one's actor is the other's claim
    first = Store.open(tmp_path / "a.db")
    with first:
        info = first.document(1)
    row = next(line for line in text.splitlines() if line.startswith(f"| `{info.ext_id}` |"))
    assert row.startswith(
        rf"| `{info.ext_id}` | Outlet \| 0 | https://news.example.org/0?a=\<b\> | 2024-05-01 | "
        f"`{info.text_sha256}` |"
    )  # an address with markup in it stays plain, escaped text; a clean one is a link:
    assert "| <https://n.org/1> | 2024-05-02 |" in text


def test_splits_are_the_same_whatever_the_import_order(tmp_path: Path) -> None:
    one = _database(tmp_path / "one.db", list(range(10)))
    other = _database(tmp_path / "other.db", [7, 3, 9, 0, 1, 8, 2, 6, 5, 4])
    first = _splits_column(_card(tmp_path, one, "--splits", "80,10,10", "--seed", "4", name="1"))
    again = _splits_column(_card(tmp_path, one, "--splits", "80,10,10", "--seed", "4", name="2"))
    shuffled = _splits_column(
        _card(tmp_path, other, "--splits", "80,10,10", "--seed", "4", name="3")
    )
    assert len(first) == 10 and first == again == shuffled
    assert sorted(first.values()).count("train") == 8
    assert sorted(first.values()).count("dev") == sorted(first.values()).count("test") == 1
    text = _card(tmp_path, one, "--splits", "80,10,10", "--seed", "5", name="4")
    assert _splits_column(text) != first  # another seed, other splits
    assert "| train | 80% | 8 |" in text and "| test | 10% | 1 |" in text


def test_split_arithmetic() -> None:
    assert parse_splits(" 80, 10,10") == (80, 10, 10)
    assert split_sizes(10, (80, 10, 10)) == (8, 1, 1)
    assert split_sizes(7, (80, 10, 10)) == (5, 1, 1)  # 5.6, 0.7, 0.7: the larger remainders
    assert split_sizes(4, (50, 25, 25)) == (2, 1, 1)
    assert split_sizes(3, (50, 50, 0)) == (2, 1, 0)  # 1.5, 1.5: a tie goes to the earlier
    assert split_sizes(0, (80, 10, 10)) == (0, 0, 0)
    ids = [f"d-{n:016x}" for n in range(50)]
    assert assign_splits(ids, (70, 20, 10), 1) == assign_splits(reversed(ids), (70, 20, 10), 1)
    for bad in ("80,10", "80,10,5", "a,b,c", "80,-10,30", "80,10,10,0"):
        with pytest.raises(SplitError):
            parse_splits(bad)


def test_pseudonyms_keep_every_login_out(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    build_demo_database(db, "tester").close()
    with Store.open(db) as store:
        logins = [annotator.name for annotator in store.annotators()]
    config = tmp_path / "plain.toml"
    config.write_text("", encoding="utf-8")
    cards = {}
    for name, extra in (("plain", ()), ("pseudonymous", ("--pseudonymise",))):
        card = tmp_path / f"{name}.md"
        result = run_factmark(
            "--config", str(config), "--db", str(db), "export", "--format", "jsonl",
            "--source", "all", "-o", str(tmp_path / f"{name}.jsonl"), "--card", str(card), *extra,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        cards[name] = card.read_text(encoding="utf-8")
    assert len(logins) >= 3
    for login in logins:
        assert re.search(rf"\b{re.escape(login)}\b", cards["plain"])  # shown when not asked
        assert not re.search(rf"\b{re.escape(login)}\b", cards["pseudonymous"], re.IGNORECASE)
    text = cards["pseudonymous"]
    assert "| annotator 1 | annotator |" in text and "layer annotator 2" in text
    assert "Between annotator 1, annotator 2," in text
    assert "| annotator 1 and annotator 2 |" in text
    # The data published beside the card names the same pseudonyms, and no login either.
    data = (tmp_path / "pseudonymous.jsonl").read_text(encoding="utf-8")
    plain = (tmp_path / "plain.jsonl").read_text(encoding="utf-8")
    shown = [login for login in logins if re.search(rf"\b{re.escape(login)}\b", plain)]
    assert len(shown) >= 3  # layers, a check's assignee, its verdict's reviewer
    for login in logins:
        assert not re.search(rf"\b{re.escape(login)}\b", data, re.IGNORECASE)
    layers = {json.loads(line)["_annotator_id"] for line in data.splitlines()}
    assert {"annotator 1", "annotator 2"} <= layers
    for pseudonym in layers - {"gold"}:
        assert f"| {pseudonym} |" in text  # the card's people table lists each one


@pytest.mark.parametrize("fmt", ["jsonl", "prodigy", "doccano", "labelstudio"])
def test_pseudonymise_without_a_card_keeps_logins_out_of_the_data(tmp_path: Path, fmt: str):
    db = tmp_path / "demo.db"
    build_demo_database(db, "tester").close()
    with Store.open(db) as store:
        logins = [annotator.name for annotator in store.annotators()]
    out = tmp_path / f"out.{fmt}"
    base = ("--db", str(db), "export", "--format", fmt, "--source", "all", "-o", str(out))
    assert run_factmark(*base).returncode == 0
    plain = out.read_text(encoding="utf-8")
    assert any(re.search(rf"\b{re.escape(login)}\b", plain) for login in logins)
    result = run_factmark(*base, "--pseudonymise")
    assert result.returncode == 0, result.stderr
    data = out.read_text(encoding="utf-8")
    for login in logins:
        assert not re.search(rf"\b{re.escape(login)}\b", data, re.IGNORECASE), login
    assert "annotator 1" in data
    refused = run_factmark("--db", str(db), "export", "--format", "claimreview", "--pseudonymise")
    assert refused.returncode == 2
    assert "--pseudonymise goes with document formats" in refused.stderr.decode()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--splits", "80,10"), "--splits 80,10: give three whole percentages"),
        (("--splits", "80,10,5"), "add up to 95, not 100"),
        (("--seed", "3"), "--seed goes with --splits"),
    ],
)
def test_bad_split_options_are_one_line(tmp_path: Path, options: tuple[str, ...], message: str):
    db = _database(tmp_path / "a.db", [0])
    out = tmp_path / "out.jsonl"
    base = ("--db", str(db), "export", "--format", "jsonl", "-o", str(out))
    result = run_factmark(*base, "--card", str(tmp_path / "c.md"), *options)
    stderr = result.stderr.decode()
    assert result.returncode == 2 and message in stderr and len(stderr.strip().splitlines()) == 1
    assert not out.exists() and not (tmp_path / "c.md").exists()  # nothing half written
    alone = run_factmark(*base, "--splits", "80,10,10")
    assert alone.returncode == 2 and "--splits goes with --card" in alone.stderr.decode()


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('license = "CC BY 4.0"', "card.license must be a licence id"),
        ("language = [1]", "card.language must be ISO 639 codes"),
        ('citation = ""', "card.citation must be text"),
        ("licence = 'mit'", "unknown card setting 'licence'"),
    ],
)
def test_bad_card_settings_are_one_line(tmp_path: Path, setting: str, message: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(f"[card]\n{setting}\n", encoding="utf-8")
    result = run_factmark("--config", str(config), "--db", str(tmp_path / "x.db"), "config")
    stderr = result.stderr.decode()
    assert result.returncode == 2 and f"{config}, line 2: {message}" in stderr
    assert len(stderr.strip().splitlines()) == 1
