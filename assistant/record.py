"""The inspection record: questions about councils' inspections answered from facts derived at ingest, each with
its citations.

    record = InspectionRecord.from_store(store, audience="public")
    record.history("Bury")                  # every inspection and visit, newest first
    record.latest("Bury", framework="ilacs")
    record.compare(["Bury", "Rochdale", "Oldham"])
    record.councils_with_grade("good")      # latest overall effectiveness good or better
    record.periods_at_grade("Bury", "inadequate")
    record.next_standard_window("Bury")     # the ILACS rule, from the latest standard or short inspection
    record.events("Bury")                   # dated events other papers state

Councils are matched by place name ("Bury", "Bury Council" and "Bury Metropolitan Borough Council" are one).
Every returned value carries the citations it rests on (`Citation`: file, page, quoted span, note). Nothing here
reads papers: the facts come from `vectorstore.record_store`, kept in step with the index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import BadFilterError
from assistant.inspection_window import Window, next_standard_inspection_window
from ingest.councils import council_key
from ingest.inspection_record import GRADES, JUDGEMENTS, Citation, Event, Fact, Inspection, PaperRecord
from ingest.inspection_record import framework_label as _framework_label

__all__ = [
    "GRADE_ORDER",
    "Citation",
    "Entry",
    "InspectionRecord",
    "NextWindow",
    "Period",
    "UnknownCouncilError",
]

# worst to best; "at least good" means good or outstanding
GRADE_ORDER = ("inadequate", "requires improvement to be good", "good", "outstanding")
GRADED_FRAMEWORKS = ("ilacs-standard", "ilacs-short", "sif")  # inspections that judge overall effectiveness
STANDARD_CYCLE = ("ilacs-standard", "ilacs-short")  # the inspections the three-year ILACS cycle counts from
assert set(GRADE_ORDER) == set(GRADES)


class UnknownCouncilError(BadFilterError):
    """No inspection record for a council; the message lists the councils there are."""


@dataclass(frozen=True)
class Entry:
    """One inspection or visit in a council's history, flattened for callers, with every field's citations."""

    council: str
    publication_date: dt.date | None
    start_date: dt.date | None
    end_date: dt.date | None
    framework: str | None
    lead_inspector: str | None
    judgements: dict[str, str | None]  # the five JUDGEMENTS (None: not judged, or not stated)
    outcome: str | None  # an area SEND inspection's outcome
    source_file: str
    title: str
    source_url: str
    citations: dict[str, tuple[Citation, ...]]  # field ("judgements.in_care", ...) -> its citations
    other_judgements: dict[str, str | None] = field(default_factory=dict)

    @property
    def framework_label(self) -> str:
        return _framework_label(self.framework)

    @property
    def overall(self) -> str | None:
        return self.judgements.get("overall_effectiveness")

    @property
    def when(self) -> dt.date:
        """The date the history is ordered by: publication, else the end of fieldwork."""
        return self.publication_date or self.end_date or self.start_date or dt.date.min

    def cite(self, name: str) -> tuple[Citation, ...]:
        return self.citations.get(name, ())

    def to_json(self) -> dict[str, Any]:
        """The shape of `council record --json` and `GET /api/record`."""
        return {
            "council": self.council,
            "publication_date": _iso(self.publication_date),
            "start_date": _iso(self.start_date),
            "end_date": _iso(self.end_date),
            "framework": self.framework,
            "framework_label": self.framework_label,
            "lead_inspector": self.lead_inspector,
            "judgements": dict(self.judgements),
            "other_judgements": dict(self.other_judgements),
            "outcome": self.outcome,
            "source_file": self.source_file,
            "title": self.title,
            "source_url": self.source_url,
            "citations": [
                {"field": name, "file": c.file, "page": c.page, "quote": c.quote, "note": c.note}
                for name, cites in self.citations.items()
                for c in cites
            ],
        }

    @classmethod
    def of(cls, inspection: Inspection) -> Entry:
        facts: dict[str, Fact] = {
            "council": inspection.council,
            "publication_date": inspection.publication_date,
            "start_date": inspection.start_date,
            "end_date": inspection.end_date,
            "framework": inspection.framework,
            "lead_inspector": inspection.lead_inspector,
            **{f"judgements.{k}": v for k, v in inspection.judgements.items()},
            "outcome": inspection.outcome,
        }
        return cls(
            council=inspection.council.value or "",
            publication_date=_date(inspection.publication_date.value),
            start_date=_date(inspection.start_date.value),
            end_date=_date(inspection.end_date.value),
            framework=inspection.framework.value,
            lead_inspector=inspection.lead_inspector.value,
            judgements={k: inspection.judgements.get(k, Fact(None)).value for k in JUDGEMENTS},
            other_judgements={k: v.value for k, v in inspection.judgements.items() if k not in JUDGEMENTS},
            outcome=inspection.outcome.value,
            source_file=inspection.file,
            title=inspection.title,
            source_url=inspection.source_url,
            citations={k: v.citations for k, v in facts.items() if v.citations},
        )


@dataclass(frozen=True)
class Period:
    """A stretch of time a council held a grade: from the publication of the inspection that gave it to the
    publication of the next graded inspection (None: it still holds)."""

    council: str
    grade: str
    judgement: str
    start: dt.date
    end: dt.date | None
    began: Entry
    ended: Entry | None

    def days(self, today: dt.date | None = None) -> int:
        return ((self.end or today or dt.date.today()) - self.start).days

    @property
    def citations(self) -> tuple[Citation, ...]:
        out = self.began.cite("publication_date") + self.began.cite(f"judgements.{self.judgement}")
        if self.ended is not None:
            out += self.ended.cite("publication_date") + self.ended.cite(f"judgements.{self.judgement}")
        return out


@dataclass(frozen=True)
class NextWindow:
    """When the next ILACS standard (or short) inspection is due: 3 years, plus or minus 6 months, from the
    month the latest one began (`assistant.inspection_window`)."""

    council: str
    window: Window
    based_on: Entry
    note: str

    @property
    def citations(self) -> tuple[Citation, ...]:
        return self.based_on.cite("start_date") + self.based_on.cite("framework")


class InspectionRecord:
    """The inspection history of every council in a set of paper records."""

    def __init__(self, papers: Iterable[PaperRecord]) -> None:
        papers = list(papers)
        self._entries: list[Entry] = sorted(
            (Entry.of(i) for p in papers for i in p.inspections), key=lambda e: e.when, reverse=True
        )
        self._events: list[Event] = sorted(
            (e for p in papers for e in p.events), key=lambda e: e.date, reverse=True
        )
        self._names: dict[str, str] = {}
        for entry in sorted(self._entries, key=lambda e: e.when):
            self._names[council_key(entry.council)] = entry.council  # the newest spelling names the council

    @classmethod
    def from_store(cls, store: Any, audience: str = "public") -> InspectionRecord:
        """The live record of an index, for an audience (the public sees records of open papers only)."""
        from vectorstore.record_store import LiveRecords

        return cls(LiveRecords(store).for_audience(audience))

    # ------------------------------------------------------------ lookups

    def councils(self) -> list[str]:
        """Councils with at least one inspection, by name."""
        return sorted(self._names.values())

    def _key(self, council: str) -> str:
        key = council_key(council)
        if key not in self._names:
            known = ", ".join(self.councils()) or "none yet (ingest inspection reports first)"
            raise UnknownCouncilError(
                f"No inspection record for {council!r}. Councils with a record: {known}."
            )
        return key

    def name(self, council: str) -> str:
        return self._names[self._key(council)]

    def history(self, council: str | None = None) -> list[Entry]:
        """Every inspection and visit (of one council, or of all), newest first."""
        if council is None:
            return list(self._entries)
        key = self._key(council)
        return [e for e in self._entries if council_key(e.council) == key]

    def latest(self, council: str, framework: str | Sequence[str] | None = None) -> Entry | None:
        """The newest inspection of a council, optionally of a framework ("ilacs" means standard or short)."""
        wanted = _frameworks(framework)
        for entry in self.history(council):
            if wanted is None or entry.framework in wanted:
                return entry
        return None

    def compare(self, councils: Sequence[str] | None = None, framework: str | None = "ilacs") -> list[Entry]:
        """The latest inspection of each council (of the framework), side by side; councils with none are left
        out. All councils with a record when `councils` is None."""
        names = councils if councils is not None else self.councils()
        out = []
        for council in names:
            entry = self.latest(council, framework)
            if entry is not None:
                out.append(entry)
        return out

    def councils_with_grade(
        self, grade: str, at_least: bool = True, judgement: str = "overall_effectiveness"
    ) -> list[Entry]:
        """Councils whose latest graded inspection (ILACS or SIF) gave `judgement` this grade (or better, with
        `at_least`), as those inspections. A latest inspection without that judgement does not count."""
        target = _grade(grade)
        out = []
        for council in self.councils():
            entry = self.latest(council, GRADED_FRAMEWORKS)
            if entry is None:
                continue
            got = entry.judgements.get(judgement) or entry.other_judgements.get(judgement)
            if got is None:
                continue
            if got == target or (at_least and GRADE_ORDER.index(got) >= GRADE_ORDER.index(target)):
                out.append(entry)
        return out

    def periods_at_grade(
        self, council: str, grade: str, judgement: str = "overall_effectiveness"
    ) -> list[Period]:
        """Each stretch of time the council held the grade, oldest first: from the publication of the graded
        inspection (ILACS or SIF) that gave it to the publication of the next one that did not."""
        target = _grade(grade)
        graded = [
            e
            for e in reversed(self.history(council))
            if e.framework in GRADED_FRAMEWORKS and e.publication_date
        ]
        periods: list[Period] = []
        began: Entry | None = None
        for entry in graded:
            got = entry.judgements.get(judgement)
            if got == target and began is None:
                began = entry
            elif got != target and began is not None:
                assert began.publication_date is not None and entry.publication_date is not None
                periods.append(
                    Period(
                        self.name(council),
                        target,
                        judgement,
                        began.publication_date,
                        entry.publication_date,
                        began,
                        entry,
                    )
                )
                began = None
        if began is not None and began.publication_date is not None:
            periods.append(
                Period(self.name(council), target, judgement, began.publication_date, None, began, None)
            )
        return periods

    def next_standard_window(self, council: str) -> NextWindow | None:
        """The ILACS rule applied to the latest standard or short inspection (None when there is none)."""
        entry = self.latest(council, STANDARD_CYCLE)
        if entry is None:
            return None
        based = entry.start_date or entry.end_date or entry.publication_date
        assert based is not None
        window = next_standard_inspection_window(based)
        note = (
            f"3 years, plus or minus 6 months, from the {entry.framework_label} of {based:%B %Y}"
            f" (fieldwork {_span(entry)})"
        )
        if entry.overall == "inadequate":
            note += (
                "; after an inadequate judgement Ofsted monitors the council and re-inspects when it is ready, so "
                "the usual window may not apply"
            )
        return NextWindow(self.name(council), window, entry, note)

    def events(self, council: str | None = None, include_planned: bool = True) -> list[Event]:
        """Dated events other papers state (monitoring visits, improvement notices, action plans), newest first."""
        events = self._events if include_planned else [e for e in self._events if not e.planned]
        if council is None:
            return list(events)
        key = council_key(council)
        return [e for e in events if council_key(e.council) == key]

    def to_json(self, council: str | None = None) -> list[dict[str, Any]]:
        return [e.to_json() for e in self.history(council)]


def _frameworks(framework: str | Sequence[str] | None) -> set[str] | None:
    if framework is None:
        return None
    names = [framework] if isinstance(framework, str) else list(framework)
    out: set[str] = set()
    for name in names:
        out |= set(STANDARD_CYCLE) if name == "ilacs" else {name}
    return out


def _grade(grade: str) -> str:
    from ingest.inspection_record import grade_of

    found = grade_of(grade)
    if found is None:
        raise ValueError(f"unknown grade {grade!r}; use one of: {', '.join(GRADE_ORDER)}")
    return found


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _span(entry: Entry) -> str:
    if entry.start_date and entry.end_date and entry.start_date != entry.end_date:
        return f"{entry.start_date:%-d %B %Y} to {entry.end_date:%-d %B %Y}"
    day = entry.start_date or entry.end_date
    return f"{day:%-d %B %Y}" if day else "dates not stated"
