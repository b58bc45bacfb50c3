"""Small text utilities every layer shares: how a date is written for people."""

from __future__ import annotations

import datetime as dt


def fmt_date(d: dt.date | None) -> str:
    """`10 September 2025`; "undated" for no date."""
    return f"{d.day} {d:%B %Y}" if d else "undated"
