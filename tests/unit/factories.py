"""Test data builders shared by the unit tests."""

from __future__ import annotations

from typing import Any

from vectorstore.passage import Passage

_DEFAULTS: dict[str, Any] = {
    "chunk_id": "c",
    "doc_id": "d",
    "title": "Paper",
    "date": None,
    "body": "Cabinet",
    "doc_type": "cabinet report",
    "council": "Bury",
    "source_url": "",
    "classification": "open",
    "path": "p",
}


def make_passage(text: str, **fields: Any) -> Passage:
    """A retrieved passage with harmless defaults; any field can be given."""
    return Passage(text=text, **{**_DEFAULTS, **fields})
