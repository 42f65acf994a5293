"""What can be imported, and how an input that cannot be is reported."""

from __future__ import annotations

CLEANED_FORMATS = ("html", "text")  # inputs whose article text is cleaned out of a page
RECORD_FORMATS = ("jsonl", "prodigy", "doccano", "labelstudio")  # annotation records
IMPORT_FORMATS = ("auto", *CLEANED_FORMATS, *RECORD_FORMATS)


class ImportFailure(Exception):
    """An input that cannot become a document; the message is one line naming the reason."""
