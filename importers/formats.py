"""What can be imported, and how an input that cannot be is reported."""

from __future__ import annotations

CLEANED_FORMATS = ("html", "text")  # inputs whose article text is cleaned out of a page
RECORD_FORMATS = ("jsonl", "prodigy", "doccano", "labelstudio")  # annotation records
# Other fact-checkers' verdicts: JSON or JSON-lines files of schema.org ClaimReviews, kept as
# external checks (no document).
EXTERNAL_FORMATS = ("claimreview",)
IMPORT_FORMATS = ("auto", *CLEANED_FORMATS, *RECORD_FORMATS, *EXTERNAL_FORMATS)


class ImportFailure(Exception):
    """An input that cannot become a document; the message is one line naming the reason."""
