"""The inspection record as text for people (`council record`): one council's history, newest first, each
inspection with where its judgements are written, then the next standard inspection window and other papers'
dated events."""

from __future__ import annotations

import datetime as dt

from assistant.record import Entry, InspectionRecord
from ingest.inspection_record import Citation

LABELS = {
    "overall_effectiveness": "Overall effectiveness",
    "impact_of_leaders": "Impact of leaders",
    "help_and_protection": "Help and protection",
    "in_care": "Children in care",
    "care_leavers": "Care leavers",
}


def _day(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else "undated"


def _where(c: Citation) -> str:
    page = f", page {c.page}" if c.page else ""
    quote = f" — “{c.quote}”" if c.quote else (f" — {c.note}" if c.note else "")
    return f"{c.file}{page}{quote}"


def entry_lines(entry: Entry) -> list[str]:
    head = f"{_day(entry.publication_date)}  {entry.framework_label}"
    if entry.start_date:
        span = (
            _day(entry.start_date)
            if entry.start_date == entry.end_date or not entry.end_date
            else f"{_day(entry.start_date)} to {_day(entry.end_date)}"
        )
        head += f", fieldwork {span}"
    if entry.lead_inspector:
        head += f", lead inspector {entry.lead_inspector}"
    lines = [head]
    graded = {k: v for k, v in entry.judgements.items() if v}
    if graded or entry.framework in ("ilacs-standard", "ilacs-short", "sif"):
        lines.append("    " + " · ".join(f"{LABELS[k]}: {entry.judgements[k] or 'none'}" for k in LABELS))
    if entry.outcome:
        lines.append(f"    Outcome: {entry.outcome}")
    source = (
        next(
            (entry.cite(f"judgements.{k}")[0] for k in LABELS if entry.cite(f"judgements.{k}")),
            None,
        )
        or (entry.cite("outcome") or entry.cite("framework") or (None,))[0]
    )
    if source is not None:
        lines.append(f"    Source: {_where(source)}")
    return lines


def record_as_text(record: InspectionRecord, council: str | None = None) -> str:
    councils = [record.name(council)] if council else record.councils()
    if not councils:
        return "No inspection reports are indexed yet. Ingest some with `council ingest`."
    out: list[str] = []
    for name in councils:
        history = record.history(name)
        out.append(f"{name}: {len(history)} inspection(s) and visit(s), newest first")
        for entry in history:
            out += ["  " + line for line in entry_lines(entry)]
        window = record.next_standard_window(name)
        if window is not None:
            cite = window.citations[0] if window.citations else None
            out.append(
                f"  Next standard inspection window: {window.window.text} ({window.note}"
                + (f"; {_where(cite)}" if cite else "")
                + ")"
            )
        events = record.events(name)
        if events:
            out.append("  Dated events in other papers:")
            for event in events:
                when = dt.date.fromisoformat(event.date)
                day = f"{when:%B %Y}" if event.precision == "month" else _day(when)
                planned = " (planned)" if event.planned else ""
                out.append(f"    {day}{planned}: {event.kind.replace('-', ' ')} — {_where(event.citation)}")
        out.append("")
    return "\n".join(out).rstrip()
