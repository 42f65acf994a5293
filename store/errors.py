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


def work_as_refused(login: str, user: str) -> PermissionDenied:
    """The refusal when `login` asks to work as `user` without being an admin of the database."""
    return PermissionDenied(
        f"you are logged in as {login}: only an admin of this database may work as {user} "
        "(--annotator or FACTMARK_ANNOTATOR)"
    )
