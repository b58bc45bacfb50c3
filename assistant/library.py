"""What the index holds: documents by type, body and date range (for `council sources`, the UI and refusals)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ingest.councils import place_name
from vectorstore.store import Store


@dataclass
class LibrarySummary:
    documents: list[dict[str, Any]] = field(default_factory=list)
    by_type: dict[str, int] = field(default_factory=dict)
    by_body: dict[str, int] = field(default_factory=dict)
    by_classification: dict[str, int] = field(default_factory=dict)
    earliest: dt.date | None = None
    latest: dt.date | None = None
    chunks: int = 0

    def coverage_sentence(self) -> str:
        bodies = ", ".join(b for b, _ in Counter(self.by_body).most_common(4) if b) or "council bodies"
        if self.earliest and self.latest:
            span = f"from {_fmt(self.earliest)} to {_fmt(self.latest)}"
        else:
            span = "of unknown dates"
        return f"{len(self.documents)} papers {span}, including {bodies}"


def _fmt(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%B %Y')}"


def summarise(store: Store, audience: str = "officer") -> LibrarySummary:
    allowed = {"open"} if audience == "public" else {"open", "exempt"}
    out = LibrarySummary()
    for rec in store.doc_records().values():
        meta = rec.meta
        if not rec.active_hash or meta.get("classification", "open") not in allowed:
            continue
        out.documents.append(meta)
        out.chunks += int(meta.get("n_chunks", 0))
        for key, counter in (
            ("doc_type", out.by_type),
            ("body", out.by_body),
            ("classification", out.by_classification),
        ):
            value = str(meta.get(key) or "(none)")
            counter[value] = counter.get(value, 0) + 1
        if meta.get("date"):
            d = dt.date.fromisoformat(str(meta["date"]))
            out.earliest = min(out.earliest or d, d)
            out.latest = max(out.latest or d, d)
    out.documents.sort(key=lambda m: (str(m.get("date") or ""), str(m.get("title"))), reverse=True)
    return out


def place_names(store: Store) -> list[str]:
    """Place names from the councils of the indexed papers: "London Borough of Bexley" -> "Bexley"."""
    names = set()
    for rec in store.doc_records().values():
        council = str(rec.meta.get("council") or "")
        if not re.search(r"council|borough", council, re.I):
            continue
        place = place_name(council)
        if 2 < len(place) < 40:
            names.add(place)
    return sorted(names, key=len, reverse=True)
