"""spaCy: a `.spacy` DocBin, one Doc per document and layer (needs `pip install factmark[spacy]`).

Docs are tokenized by `spacy.blank(lang)` (default "xx", spaCy's language-neutral tokenizer; the
corpus is not all English). Every span goes in `doc.spans["sc"]`; the ones that do not overlap
also in `doc.ents`, chosen by the CoNLL rule (longest, then earliest, then label). A span whose
ends fall inside spaCy tokens is widened to whole tokens (`alignment_mode="expand"`) and counted;
the count is reported, as is the count of spans left out of `doc.ents`. `doc.user_data` holds the
document id, layer, title and URL. A DocBin is one serialized blob, so unlike the text formats
it is built in memory (compactly: token attributes, not Doc objects) and written at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO

from exporters.common import ExportReport
from exporters.formats import NO_OPTIONS, ExportOptions, FormatUnavailable
from exporters.tokens import longest_first
from store.info import ExportRecord

DEFAULT_LANG = "xx"
INSTALL_HINT = "the spacy format needs spaCy: pip install 'factmark[spacy]'"


def require_spacy() -> Any:
    """The spacy module, or FormatUnavailable with the one-line install hint."""
    try:
        import spacy
    except ImportError:
        raise FormatUnavailable(INSTALL_HINT) from None
    return spacy


@dataclass
class _Tally:
    spans: int = 0
    expanded: int = 0
    unplaced: int = 0
    not_in_ents: int = 0


def record_doc(nlp: Any, record: ExportRecord, tally: _Tally) -> Any:
    """The spaCy Doc of one record: spans in doc.spans["sc"], non-overlapping ones in doc.ents."""
    doc = nlp.make_doc(record.document.text)
    spans = []
    for span in record.spans:
        tally.spans += 1
        placed = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
        if placed is None:
            placed = doc.char_span(span.start, span.end, label=span.label, alignment_mode="expand")
            if placed is None or len(placed) == 0:
                tally.unplaced += 1  # whitespace only: no token to hold it
                continue
            tally.expanded += 1
        spans.append(placed)
    doc.spans["sc"] = spans
    kept, dropped = longest_first([(s.start, s.end, s.label_) for s in spans])
    doc.ents = [spans[i] for i in kept]
    tally.not_in_ents += len(dropped)
    doc.user_data.update(_user_data(record))
    return doc


def _user_data(record: ExportRecord) -> dict[str, Any]:
    doc = record.document
    return {"id": doc.ext_id, "layer": record.layer, "title": doc.title, "url": doc.url}


def write_docbin(
    records: Iterable[ExportRecord],
    out: BinaryIO,
    options: ExportOptions = NO_OPTIONS,
    *,
    lang: str = DEFAULT_LANG,
) -> ExportReport:
    """Build the DocBin record by record and write its bytes to `out`."""
    spacy = require_spacy()
    from spacy.tokens import DocBin

    nlp = spacy.blank(lang)
    docbin = DocBin(store_user_data=True)
    tally = _Tally()
    count = 0
    for record in records:
        docbin.add(record_doc(nlp, record, tally))
        count += 1
    out.write(docbin.to_bytes())
    return ExportReport(count, _remarks(tally))


def _remarks(tally: _Tally) -> tuple[str, ...]:
    remarks = [
        f"spacy: {tally.expanded} of {tally.spans} span(s) did not align with spaCy tokens "
        "and were expanded to whole tokens",
        f"spacy: {tally.not_in_ents} overlapping span(s) are in doc.spans['sc'] only, "
        "not in doc.ents",
    ]
    if tally.unplaced:
        remarks.append(f"spacy: left out {tally.unplaced} span(s) of whitespace only")
    return tuple(remarks)
