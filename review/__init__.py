"""Agreement between annotators: pure functions over plain span data (agreement.md).

No database, no UI: the store hands over `DocumentAnnotations`, `agreement_report` returns the
`factmark agreement --json` dictionary, and `render_report` turns it into rich tables.
"""

from review.agreement import agreement_report
from review.model import AgreementError, AnnotatedSpan, DocumentAnnotations
from review.render import render_report, worst_documents

__all__ = [
    "AgreementError",
    "AnnotatedSpan",
    "DocumentAnnotations",
    "agreement_report",
    "render_report",
    "worst_documents",
]
