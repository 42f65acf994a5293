"""The store's errors: plain exceptions, so that callers can catch them without loading the
database libraries."""

from __future__ import annotations


class StoreError(Exception):
    """A database that cannot be opened or used; the message is one line: the target, the reason."""


class DatabaseBusy(StoreError):
    """The database stayed locked by another process for the whole retry time: retrying the
    same work at once would only wait as long again."""


class PermissionDenied(StoreError):
    """The person working may not do this; the message is one line naming them and the rule."""


class CheckConflict(StoreError):
    """Someone changed a check's field after the user read it; the message says who and when."""
