"""The export format registry: every format's writer has the one signature its output kind says."""

from __future__ import annotations

import inspect

import pytest

from cli.main import build_parser
from exporters.formats import EXPORT_FORMATS, ExportFormat, FormatUnavailable, Output

OUT_TYPES = {Output.TEXT: "TextIO", Output.BINARY: "BinaryIO", Output.DIRECTORY: "Path"}


@pytest.mark.parametrize("fmt", EXPORT_FORMATS.values(), ids=lambda fmt: fmt.name)
def test_each_writer_takes_records_out_and_options(fmt: ExportFormat) -> None:
    signature = inspect.signature(fmt.load_writer())
    records, out, options, *rest = signature.parameters.values()
    assert records.name == "records" and records.annotation.startswith("Iterable[")
    assert out.annotation == OUT_TYPES[fmt.output]
    assert options.name == "options" and options.annotation == "ExportOptions"
    assert records.kind is out.kind is options.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert all(p.default is not inspect.Parameter.empty for p in rest)
    assert signature.return_annotation == "ExportReport"


def test_the_registry_is_keyed_by_name_and_its_checks_load() -> None:
    assert all(name == fmt.name for name, fmt in EXPORT_FORMATS.items())
    for fmt in EXPORT_FORMATS.values():
        try:
            fmt.check_available()
        except FormatUnavailable as missing:  # an optional package not installed: a clear hint
            assert "pip install" in str(missing)


def test_the_command_line_offers_every_format() -> None:
    parser = build_parser()
    for name in EXPORT_FORMATS:
        assert parser.parse_args(["export", "--format", name]).format == name
    with pytest.raises(SystemExit):
        parser.parse_args(["export", "--format", "nope"])
