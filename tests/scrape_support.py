"""Pieces of realistic text scrapes shared by the text importer's tests."""

from __future__ import annotations


def newsroom_notice(paragraphs: int = 9) -> str:
    """A long site notice of whole sentences that a page prints above its article, so that the
    cleaner's body starts with it and the headline stands inside the body's opening."""
    return "\n\n".join(
        f"Our newsroom has covered the river towns for {n + 20} years, and every story we "
        "publish is read by an editor before it goes out to you."
        for n in range(paragraphs)
    )
