"""What a search may be limited to: dates, committees (bodies), document types, councils.

`SearchFilters.parse` is the one place a person's filter values are checked (the CLI, the chat and the JSON API all
call it); everything after it trusts a `SearchFilters`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ingest.documents import DocType

__all__ = ["MAX_FILTER_VALUES", "MAX_NAME_CHARS", "FilterError", "SearchFilters", "parse_day"]

MAX_FILTER_VALUES = 20
MAX_NAME_CHARS = 200


class FilterError(ValueError):
    """A filter value cannot be used as given; the message says how to write it, `fields` which filters it is
    about (date_from, date_to, bodies, doc_types, councils), for surfaces that name their parameters."""

    def __init__(self, message: str, *fields: str) -> None:
        super().__init__(message)
        self.fields = fields


def parse_day(value: str | dt.date | None, label: str, field: str = "") -> dt.date | None:
    """A day written YYYY-MM-DD (blank: None); `label` names it in the error ("The 'from' date")."""
    if value is None or isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise FilterError("a date must be written YYYY-MM-DD", field)
    text = value.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FilterError(f"{label} must be a date like 2025-09-16, not {text!r}.", field) from None


def _names(values: Iterable[str] | None, field: str, what: str, one: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(values or ()))
    if len(names) > MAX_FILTER_VALUES:
        raise FilterError(f"At most {MAX_FILTER_VALUES} {what} at once.", field)
    for name in names:
        if not name.strip() or len(name) > MAX_NAME_CHARS:
            raise FilterError(f"Each {one} must be 1 to {MAX_NAME_CHARS} characters.", field)
    return names


@dataclass(frozen=True)
class SearchFilters:
    """Optional limits on what is searched; values are matched exactly against the papers' metadata."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    bodies: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    councils: tuple[str, ...] = ()

    @classmethod
    def parse(
        cls,
        date_from: str | dt.date | None = None,
        date_to: str | dt.date | None = None,
        bodies: Iterable[str] | None = None,
        doc_types: Iterable[str] | None = None,
        councils: Iterable[str] | None = None,
    ) -> SearchFilters:
        """Filters from what a person gave: dates as YYYY-MM-DD (blank: none), names as written (repeats dropped),
        document types from `ingest.documents.DocType`. Raises `FilterError` with a message for people."""
        start = parse_day(date_from, "The 'from' date", "date_from")
        end = parse_day(date_to, "The 'to' date", "date_to")
        if start and end and start > end:
            raise FilterError("The 'from' date is after the 'to' date.", "date_from", "date_to")
        types = _names(doc_types, "doc_types", "document types", "document type")
        known = {t.value for t in DocType}
        unknown = [t for t in types if t not in known]
        if unknown:
            raise FilterError(
                f"Unknown document type {unknown[0]!r}; use one of: {', '.join(sorted(known))}.", "doc_types"
            )
        bodies_ = _names(bodies, "bodies", "bodies", "body")
        return cls(start, end, bodies_, types, _names(councils, "councils", "councils", "council"))

    @property
    def empty(self) -> bool:
        return not (self.date_from or self.date_to or self.bodies or self.doc_types or self.councils)

    def categorical(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(metadata field, values any of which a chunk must have) for bodies, document types and councils."""
        return (("body", self.bodies), ("doc_type", self.doc_types), ("council", self.councils))

    def chroma_where(self) -> dict[str, Any] | None:
        """The same limits as a Chroma ``where`` clause (None when there are none)."""
        clauses: list[dict[str, Any]] = []
        if self.date_from:
            clauses.append({"date_ord": {"$gte": _ord(self.date_from)}})
        if self.date_to:
            clauses.append({"date_ord": {"$lte": _ord(self.date_to)}})
            clauses.append({"date_ord": {"$gt": 0}})  # undated papers are not "before" anything
        for key, values in self.categorical():
            if values:
                clauses.append({key: {"$in": list(values)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, meta: dict[str, Any]) -> bool:
        """Whether one chunk's metadata passes (the reference the keyword index's filter clauses must agree with)."""
        date_ord = int(meta.get("date_ord") or 0)
        if self.date_from and date_ord < _ord(self.date_from):
            return False
        if self.date_to and (date_ord == 0 or date_ord > _ord(self.date_to)):
            return False
        return all(not values or meta.get(key) in values for key, values in self.categorical())

    def date_ords(self) -> tuple[int | None, int | None]:
        """The date limits as YYYYMMDD numbers, as chunks carry them in `date_ord` (None: no limit)."""
        return (
            _ord(self.date_from) if self.date_from else None,
            _ord(self.date_to) if self.date_to else None,
        )


def _ord(d: dt.date) -> int:
    return int(d.strftime("%Y%m%d"))
