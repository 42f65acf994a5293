"""The wheel as a user installs it: built and installed by the stock pip of a fresh venv.

The pip a Python ships with (23.2 for 3.11) resolves extras differently from the up-to-date pip
that `make` installs, so a dependency declared only through an extra can go missing for users
and for nobody here (it did: see the lxml_html_clean line in pyproject.toml). This test makes
a venv with `python -m venv`, builds the wheel from a copy of the source with that venv's pip,
installs it (no pip upgrade, no extras), and runs the installed `factmark` script as a user
would: --version, `extract` on an HTML page and on a text scrape, `demo --no-open`.

Slow: pip downloads every dependency (minutes with a cold cache; pip's own cache is used, so a
second run takes seconds). Without PyPI the test skips, except under CI, where it fails.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DEV = Path(__file__).parent / "data" / "dev"
PAGE = "wcxb-0123"  # cleaned to all of its `with` sentences and none of its `without` ones
# What is not part of the source (a developer's checkout may hold any of these).
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "*.db*"
)

pytestmark = pytest.mark.slow


def _pypi_reachable() -> bool:
    try:
        with socket.create_connection(("pypi.org", 443), timeout=5):
            return True
    except OSError:
        return False


def _clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without anything that would point at the source tree or at
    another factmark database, configuration or virtual environment."""
    dropped = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "TMUX")
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in dropped and not name.startswith("FACTMARK_")
    }
    return {**env, **extra}


def _checked(command: list[str], cwd: Path, timeout: float) -> None:
    result = subprocess.run(
        command, cwd=cwd, env=_clean_env(), capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        pytest.fail(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr[-4000:]}")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `factmark` script of a fresh venv holding the wheel, installed by the stock pip."""
    if not _pypi_reachable():
        if os.environ.get("CI"):
            pytest.fail("CI: pypi.org is not reachable, and the wheel test needs it")
        pytest.skip("pypi.org is not reachable: the wheel's dependencies cannot be installed")
    work = tmp_path_factory.mktemp("wheel")
    source, wheels, venv = work / "source", work / "wheels", work / "venv"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    _checked([sys.executable, "-m", "venv", str(venv)], work, timeout=120)
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    _checked([*pip, "wheel", "--no-deps", "-w", str(wheels), str(source)], work, timeout=600)
    (wheel,) = wheels.glob("factmark-*.whl")
    _checked([*pip, "install", str(wheel)], work, timeout=1200)
    return venv / "bin" / "factmark"


def _factmark(script: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(script), *args],
        cwd=cwd,
        env=_clean_env(XDG_CONFIG_HOME=str(cwd / "config"), **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _expected_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]["version"]


def _ground_truth() -> tuple[list[str], list[str]]:
    """Sentences the cleaned page must hold, and boilerplate it must not."""
    page = json.loads((DEV / "ground-truth.json").read_text(encoding="utf-8"))[PAGE]
    return page["with"], page["without"]


def _assert_cleaned(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    sentences, boilerplate_lines = _ground_truth()
    for sentence in sentences:
        assert sentence in result.stdout
    for boilerplate in boilerplate_lines:
        assert boilerplate not in result.stdout


def test_version(installed: Path, tmp_path: Path) -> None:
    result = _factmark(installed, "--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"factmark {_expected_version()}"


def test_extract_html_page(installed: Path, tmp_path: Path) -> None:
    page = tmp_path / f"{PAGE}.html"
    page.write_bytes(gzip.decompress((DEV / "html" / f"{PAGE}.html.gz").read_bytes()))
    _assert_cleaned(_factmark(installed, "extract", str(page), cwd=tmp_path))


def test_extract_text_scrape(installed: Path, tmp_path: Path) -> None:
    scrape = DEV / "text" / f"{PAGE}.txt"
    _assert_cleaned(_factmark(installed, "extract", str(scrape), cwd=tmp_path))


def test_demo_builds_its_database(installed: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"FACTMARK_DATA_DIR": str(data), "FACTMARK_ANNOTATOR": "wheel-tester"}
    result = _factmark(installed, "demo", "--no-open", cwd=tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("demo database: ")
    assert (data / "demo.db").is_file()
    listed = _factmark(installed, "--db", str(data / "demo.db"), "list", cwd=tmp_path, **env)
    assert listed.returncode == 0, listed.stderr
    assert "5 documents" in listed.stdout
    # The rules and the entities come with the wheel: suggestions for a text, with the demo's
    # entities (Lin Jian is one) found by their alias.
    text = tmp_path / "said.txt"
    text.write_text("Foreign Ministry spokesman Lin Jian said 34 people were detained.\n")
    db = str(data / "demo.db")
    suggested = _factmark(installed, "--db", db, "suggest", str(text), cwd=tmp_path, **env)
    assert suggested.returncode == 0, suggested.stderr
    (record,) = [json.loads(line) for line in suggested.stdout.splitlines()]
    found = {(s["label"], s["text"]) for s in record["suggestions"]}
    assert ("figure", "34 people") in found
    assert any(label == "actor" and "Lin Jian" in said for label, said in found)
    entities = _factmark(installed, "--db", db, "entities", "list", "--json", cwd=tmp_path, **env)
    assert "Lin Jian" in {entity["name"] for entity in json.loads(entities.stdout)}
