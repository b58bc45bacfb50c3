"""The inspection record of one paper, derived at ingest: what an inspection report says about the inspection
(council, dates, framework, lead inspector, judgements or outcome) and the dated events other papers state.

Every value carries its citations: the file, the page and a quoted span that occurs verbatim in the text of that
page as the loader read it (a block's text, so also in the chunk that holds it). A value the paper does not
state (the publication date of a report that does not print it) cites the paper's metadata instead, and a value
worked out by a rule (a short inspection from its one week of fieldwork) says so in the citation's note.

The extraction reads the report's own structure - its title, its "Inspection dates:" and "Lead inspector:"
fields, its judgement table, its "label: grade" headings - and takes every wording from
`ingest/data/inspections.yaml`, so a new wording is a data change. Dates are parsed by `dateparser`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ingest.councils import council_key, councils_named, place_name
from ingest.documents import Block, BlockKind, DocType, DocumentMeta, ParsedDocument

EXTRACTOR_VERSION = (
    "1"  # bump when extraction changes: every paper's record is derived again at the next ingest
)
FACTS = ("council", "publication_date", "start_date", "end_date", "framework", "lead_inspector")
JUDGEMENTS = ("overall_effectiveness", "impact_of_leaders", "help_and_protection", "in_care", "care_leavers")
GRADES = ("outstanding", "good", "requires improvement to be good", "inadequate")
FIRST_PAGES = 2  # the fields and the judgement table are on the first pages of a report
_FOLD = str.maketrans({"’": "'", "‘": "'", "`": "'", "–": "-", "—": "-", "‐": "-", "\n": " ", "\t": " "})
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_FULL_DATE = rf"{_DAY}\s+{_MONTH}\.?,?\s+{_YEAR}"
_RANGE = re.compile(
    rf"(?P<a>{_DAY}(?:\s+{_MONTH}\.?)?(?:,?\s+{_YEAR})?)\s*(?:-|to|and|until)\s*(?P<b>{_FULL_DATE})", re.I
)
_SINGLE = re.compile(rf"(?:{_FULL_DATE})|(?:\b{_MONTH}\s+{_YEAR})", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])['\"’”)]?\s+(?=[A-Z0-9\"'“(])")


# ---------------------------------------------------------------- the record's data


@dataclass(frozen=True)
class Citation:
    """Where a value comes from: a file, a page and a span quoted verbatim from that page (empty when the value
    comes from the paper's metadata), and a note when a rule was applied."""

    file: str
    page: int | None
    quote: str
    note: str = ""


@dataclass(frozen=True)
class Fact:
    value: str | None
    citations: tuple[Citation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "citations": [asdict(c) for c in self.citations]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        return cls(data.get("value"), tuple(Citation(**c) for c in data.get("citations", [])))


NONE = Fact(None)


@dataclass(frozen=True)
class Inspection:
    """One inspection or visit, as its report states it. Dates are ISO strings; grades are one of `GRADES`."""

    file: str
    title: str
    council: Fact
    publication_date: Fact
    start_date: Fact
    end_date: Fact
    framework: Fact  # a key of `framework_labels` in the data file: ilacs-standard, ilacs-short, sif, ...
    lead_inspector: Fact
    judgements: dict[str, Fact]  # the five of JUDGEMENTS, then any others the report gives
    outcome: Fact = NONE  # an area SEND inspection's outcome
    source_url: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "title": self.title, "source_url": self.source_url}
        for name in FACTS:
            out[name] = getattr(self, name).to_dict()
        out["judgements"] = {k: v.to_dict() for k, v in self.judgements.items()}
        out["outcome"] = self.outcome.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Inspection:
        facts = {name: Fact.from_dict(data[name]) for name in FACTS}
        return cls(
            file=data["file"],
            title=data.get("title", ""),
            judgements={k: Fact.from_dict(v) for k, v in data.get("judgements", {}).items()},
            outcome=Fact.from_dict(data.get("outcome") or {}),
            source_url=data.get("source_url", ""),
            **facts,
        )


@dataclass(frozen=True)
class Event:
    """A dated event another paper states: "the monitoring visit on 12 March 2024"."""

    kind: str  # a key of `events` in the data file
    date: str  # ISO; the first of the month when only the month is given
    precision: str  # "day" or "month"
    planned: bool  # dated after the paper itself: a plan, not a fact yet
    council: str
    citation: Citation
    title: str = ""
    paper_date: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "citation": asdict(self.citation)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        return cls(**{**data, "citation": Citation(**data["citation"])})


@dataclass(frozen=True)
class PaperRecord:
    """Everything one version of one paper adds to the inspection record."""

    doc_id: str
    content_hash: str
    classification: str
    council: str
    inspections: tuple[Inspection, ...] = ()
    events: tuple[Event, ...] = ()
    version: str = EXTRACTOR_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "content_hash": self.content_hash,
            "classification": self.classification,
            "council": self.council,
            "version": self.version,
            "inspections": [i.to_dict() for i in self.inspections],
            "events": [e.to_dict() for e in self.events],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PaperRecord:
        return cls(
            doc_id=data["doc_id"],
            content_hash=data["content_hash"],
            classification=data.get("classification", "open"),
            council=data.get("council", ""),
            inspections=tuple(Inspection.from_dict(i) for i in data.get("inspections", [])),
            events=tuple(Event.from_dict(e) for e in data.get("events", [])),
            version=data.get("version", ""),
        )


# ---------------------------------------------------------------- the wording, from the data file


@dataclass(frozen=True)
class JudgementRule:
    key: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    grades: dict[str, tuple[str, ...]]
    judgements: tuple[JudgementRule, ...]
    combined: tuple[dict[str, str], ...]
    overall_prefixes: tuple[str, ...]
    other_judgements: tuple[JudgementRule, ...]
    frameworks: tuple[dict[str, Any], ...]
    framework_labels: dict[str, str]
    area_send_outcomes: dict[str, tuple[str, ...]]
    fields: dict[str, tuple[str, ...]]
    after_name: tuple[str, ...]
    signature_openers: tuple[str, ...]
    roles: tuple[str, ...]
    events: dict[str, tuple[re.Pattern[str], ...]]
    event_distance: int


def fold(text: str) -> str:
    """Lower case, one kind of apostrophe and dash, newlines as spaces; the same length as `text`."""
    folded = text.translate(_FOLD).lower()
    return folded if len(folded) == len(text) else text.translate(_FOLD)


def _phrases(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(sorted((" ".join(fold(str(v)).split()) for v in values), key=len, reverse=True))


@lru_cache(maxsize=1)
def rules() -> Rules:
    raw = yaml.safe_load(resources.files("ingest").joinpath("data/inspections.yaml").read_text("utf-8"))
    judgements = raw["judgements"]
    return Rules(
        grades={g: _phrases(p) for g, p in raw["grades"].items()},
        judgements=tuple(
            JudgementRule(k, _phrases(v["labels"])) for k, v in judgements.items() if k in JUDGEMENTS
        ),
        combined=tuple(
            {**c, "label": " ".join(fold(c["label"]).split())} for c in judgements.get("combined", [])
        ),
        overall_prefixes=_phrases(judgements["overall_effectiveness"].get("sentence_prefixes", [])),
        other_judgements=tuple(JudgementRule(k, _phrases(v)) for k, v in raw["other_judgements"].items()),
        frameworks=tuple(
            {**f, "compiled": tuple(re.compile(fold(p)) for p in f["patterns"])} for f in raw["frameworks"]
        ),
        framework_labels=dict(raw["framework_labels"]),
        area_send_outcomes={k: _phrases(v) for k, v in raw["area_send_outcomes"].items()},
        fields={k: _phrases(v) for k, v in raw["fields"].items()},
        after_name=_phrases(raw["lead_inspector_after_name"]),
        signature_openers=_phrases(raw["signature_openers"]),
        roles=_phrases(raw["inspector_roles"]),
        events={k: tuple(re.compile(p, re.I) for p in v) for k, v in raw["events"].items()},
        event_distance=int(raw.get("event_date_distance", 80)),
    )


def framework_label(key: str | None) -> str:
    return rules().framework_labels.get(key or "", key or "unknown")


# ---------------------------------------------------------------- dates


_DATE_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}


def parse_date(text: str, base: dt.date | None = None) -> dt.date | None:
    """One date ("9 June 2025", "3rd of March 2024", "June 2025"); parts it leaves out are taken from `base`."""
    import dateparser

    settings: dict[str, Any] = dict(_DATE_SETTINGS)
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    try:
        when = dateparser.parse(text.strip(" ,."), languages=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    return when.date() if when else None


def date_range(text: str) -> tuple[dt.date, dt.date, str] | None:
    """The first date range in `text` ("9 to 20 June 2025", "29 January to 9 February 2018", "22 February 2016 -
    17 March 2016"), or a single full date as a one-day range, with the span that states it."""
    folded = fold(text)
    m = _RANGE.search(folded)
    if m:
        end = parse_date(text[m.start("b") : m.end("b")])
        if end is not None:
            start = parse_date(text[m.start("a") : m.end("a")], base=end)
            if start is not None and start > end:
                start = start.replace(year=start.year - 1)
            if start is not None:
                return start, end, text[m.start() : m.end()]
    m2 = re.search(_FULL_DATE, folded, re.I)
    if m2:
        day = parse_date(text[m2.start() : m2.end()])
        if day is not None:
            return day, day, text[m2.start() : m2.end()]
    return None


# ---------------------------------------------------------------- helpers over blocks


@dataclass
class _Doc:
    blocks: list[Block]
    file: str

    def cite(self, block: Block, quote: str, note: str = "") -> Citation:
        assert quote in block.text, (quote, block.text)
        return Citation(self.file, block.page, quote, note)

    def first_pages(self) -> list[Block]:
        first = min((b.page for b in self.blocks if b.page is not None), default=None)
        if first is None:
            return self.blocks[:40]
        return [b for b in self.blocks if b.page is not None and b.page < first + FIRST_PAGES]

    def lines(self, blocks: Iterable[Block] | None = None) -> Iterator[tuple[Block, str]]:
        """(block, line) for every line of every block: a table row is a line."""
        for block in self.blocks if blocks is None else blocks:
            for line in block.text.split("\n"):
                if line.strip():
                    yield block, line


def _field(
    doc: _Doc, labels: Sequence[str], blocks: Iterable[Block] | None = None
) -> tuple[Block, str, str] | None:
    """(block, line, value) of the first line "Label: value" with one of `labels`."""
    for block, line in doc.lines(blocks):
        folded = fold(line).lstrip()
        for label in labels:
            if folded.startswith(label) and folded[len(label) :].lstrip().startswith(":"):
                value = line.lstrip()[len(label) :].lstrip()[1:].strip()
                if value:
                    return block, line.strip(), value
    return None


def _longest(phrases_by_key: dict[str, tuple[str, ...]], text: str) -> tuple[str, str] | None:
    """(key, phrase) of the longest phrase contained in `text` (folded), on word boundaries."""
    folded = " ".join(fold(text).split())
    best: tuple[str, str] | None = None
    for key, phrases in phrases_by_key.items():
        for phrase in phrases:
            if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", folded) and (
                best is None or len(phrase) > len(best[1])
            ):
                best = (key, phrase)
    return best


def grade_of(text: str) -> str | None:
    """The grade a text states ("Requires improvement to be good" -> "requires improvement to be good")."""
    found = _longest(rules().grades, text)
    return found[0] if found else None


# ---------------------------------------------------------------- inspection reports


def extract(parsed: ParsedDocument, meta: DocumentMeta) -> PaperRecord:
    """The record of one paper: an inspection (or visit) when the paper is the report of one, else the dated
    events it states."""
    doc = _Doc([b for b in parsed.blocks if b.text.strip()], meta.doc_id)
    inspection = _inspection(doc, meta)
    events: tuple[Event, ...] = ()
    if inspection is None:
        events = tuple(_events(doc, meta))
    return PaperRecord(
        doc_id=meta.doc_id,
        content_hash=meta.content_hash,
        classification=meta.classification.value,
        council=meta.council,
        inspections=(inspection,) if inspection else (),
        events=events,
        version=EXTRACTOR_VERSION,
    )


def _framework(doc: _Doc) -> tuple[dict[str, Any], Block, str] | None:
    """The framework whose title pattern the first page's title lines match."""
    candidates = [b for b in doc.first_pages()[:12] if b.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH)]
    for block in candidates:
        folded = " ".join(fold(block.text).split())
        for framework in rules().frameworks:
            for pattern in framework["compiled"]:
                if pattern.search(folded):
                    return framework, block, block.text
    return None


def _inspection(doc: _Doc, meta: DocumentMeta) -> Inspection | None:
    found = _framework(doc)
    if found is None:
        return None
    if meta.doc_type not in (DocType.INSPECTION_REPORT, DocType.MONITORING_LETTER, DocType.OTHER):
        return None  # a Cabinet report quoting a report's title is not the report
    framework, title_block, title_quote = found
    first = doc.first_pages()
    start, end = _dates(doc, first)
    kind = framework["key"]
    framework_note = ""
    if kind == "ilacs":
        short_max = int(framework.get("short_max_days", 7))
        if start.value and end.value:
            days = (dt.date.fromisoformat(end.value) - dt.date.fromisoformat(start.value)).days + 1
            kind = "ilacs-short" if days <= short_max else "ilacs-standard"
            framework_note = (
                f"ILACS title; fieldwork of {days} days: a short inspection has one week on site, a standard "
                "inspection two"
            )
        else:
            kind, framework_note = (
                "ilacs-standard",
                "ILACS title; no inspection dates found, standard assumed",
            )
    framework_cites = [doc.cite(title_block, title_quote, framework_note)]
    if framework_note and start.citations:
        framework_cites.append(start.citations[0])
    judgements = _judgements(doc, first) if kind in ("ilacs-standard", "ilacs-short", "sif") else {}
    return Inspection(
        file=meta.doc_id,
        title=meta.title,
        council=_council(doc, meta, first),
        publication_date=_published(doc, meta, first),
        start_date=start,
        end_date=end,
        framework=Fact(kind, tuple(framework_cites)),
        lead_inspector=_lead_inspector(doc),
        judgements={**{k: judgements.get(k, NONE) for k in JUDGEMENTS}, **judgements},
        outcome=_area_send_outcome(doc, first) if kind == "area-send" else NONE,
        source_url=meta.source_url,
    )


def _council(doc: _Doc, meta: DocumentMeta, first: list[Block]) -> Fact:
    place = place_name(meta.council)
    if place:
        for block in first[:8]:
            at = fold(block.text).find(fold(place))
            if at >= 0:
                line = next(ln for ln in block.text.split("\n") if fold(place) in fold(ln))
                return Fact(
                    meta.council, (doc.cite(block, line.strip(), "council as named in the metadata"),)
                )
    return Fact(meta.council or None, (Citation(doc.file, None, "", "council from the paper's metadata"),))


def _published(doc: _Doc, meta: DocumentMeta, first: list[Block]) -> Fact:
    found = _field(doc, rules().fields["published"], first)
    if found:
        block, line, value = found
        day = parse_date(value)
        if day:
            return Fact(day.isoformat(), (doc.cite(block, line),))
    if meta.date:
        note = "publication date from the paper's metadata (the report does not print it)"
        if meta.source_url:
            note += f"; published at {meta.source_url}"
        return Fact(meta.date.isoformat(), (Citation(doc.file, None, "", note),))
    return NONE


def _dates(doc: _Doc, first: list[Block]) -> tuple[Fact, Fact]:
    found = _field(doc, rules().fields["inspection_dates"], first)
    candidates: list[tuple[Block, str]] = []
    if found:
        candidates.append((found[0], found[1]))
    # a letter states its visit in prose: "... the monitoring visit to X children's services on 12 and 13 March"
    for block in first:
        for sentence in _sentences(block.text):
            if re.search(r"\b(?:visit|inspection|inspected|visited)\b", sentence, re.I):
                candidates.append((block, sentence))
    for block, text in candidates:
        got = date_range(text)
        if got:
            start, end, _ = got
            cite = doc.cite(block, text.strip())
            return Fact(start.isoformat(), (cite,)), Fact(end.isoformat(), (cite,))
    return NONE, NONE


def _clean_name(raw: str) -> str | None:
    name = re.sub(r"\(.*?\)", " ", raw.split(",")[0])
    name = " ".join(name.split()).strip(" .;:-")
    changed = True
    while changed and name:
        changed = False
        folded = fold(name)
        for role in rules().roles:
            if folded.endswith(" " + role) or folded == role:
                name = name[: len(name) - len(role)].strip(" ,.;:-")
                changed = True
                break
    tokens = name.split()
    if not (2 <= len(tokens) <= 5) or any(not t[0].isupper() for t in tokens if t[0].isalpha()):
        return None
    if any(ch.isdigit() for ch in name):
        return None
    return name


def _lead_inspector(doc: _Doc) -> Fact:
    r = rules()
    found = _field(doc, r.fields["lead_inspector"])
    if found:
        block, line, value = found
        name = _clean_name(value)
        if name:
            return Fact(name, (doc.cite(block, line),))
    for block, line in doc.lines():
        for cell in line.split(" | "):
            folded = fold(cell)
            for label in r.after_name:
                at = folded.find(", " + label)
                if at > 0 and folded[at + 2 :].strip().startswith(label):
                    name = _clean_name(cell[:at])
                    if name:
                        return Fact(name, (doc.cite(block, cell.strip()),))
    for i, block in enumerate(doc.blocks):
        if any(fold(block.text).strip().startswith(o) for o in r.signature_openers) and i + 1 < len(
            doc.blocks
        ):
            nxt = doc.blocks[i + 1]
            name = _clean_name(nxt.text.split("\n")[0])
            if name:
                return Fact(name, (doc.cite(nxt, nxt.text.split("\n")[0].strip(), "the letter's signatory"),))
    return NONE


def _rule_map(judgement_rules: Iterable[JudgementRule]) -> dict[str, tuple[str, ...]]:
    return {j.key: j.labels for j in judgement_rules}


def _judgements(doc: _Doc, first: list[Block]) -> dict[str, Fact]:
    """Grades from the judgement table (one row per judgement), else from headings "label: grade"."""
    r = rules()
    labels = {**_rule_map(r.judgements), **{f"combined:{c['label']}": (c["label"],) for c in r.combined}}
    others = _rule_map(r.other_judgements)
    out: dict[str, Fact] = {}

    def put(key: str, grade: str | None, cite: Citation) -> None:
        if key.startswith("combined:"):
            rule = next(c for c in r.combined if c["label"] == key.split(":", 1)[1])
            put(rule["judgement"], grade, cite)
            if rule.get("also") and rule["also"] not in out:
                out[rule["also"]] = Fact(
                    None, (Citation(cite.file, cite.page, cite.quote, rule.get("note", "")),)
                )
            return
        if key not in out or (out[key].value is None and grade is not None):
            out[key] = Fact(grade, (cite,))
        elif out[key].value == grade and len(out[key].citations) < 2:
            out[key] = Fact(grade, (*out[key].citations, cite))

    tables = [b for b in first if b.kind == BlockKind.TABLE]
    for block in tables:
        for row in block.text.split("\n"):
            cells = [c.strip() for c in row.split(" | ") if c.strip()]
            if not cells:
                continue
            label_text = " ".join(cells[:-1]) if len(cells) > 1 else cells[0]
            grade = grade_of(cells[-1]) if len(cells) > 1 else None
            key = _longest(labels, label_text)
            if key and grade:
                put(key[0], grade, doc.cite(block, row))
                continue
            other = _longest(others, label_text)
            if other and grade:
                put(other[0], grade, doc.cite(block, row))
                continue
            folded = " ".join(fold(row).split())
            if len(cells) == 1 and any(folded.startswith(p) for p in r.overall_prefixes):
                overall = grade_of(folded)
                if overall:
                    put("overall_effectiveness", overall, doc.cite(block, row))
    for block in doc.blocks:  # "The experiences and progress of children in care: good", "The LSCB is good"
        if block.kind != BlockKind.HEADING or "\n" in block.text:
            continue
        m = re.match(
            r"^(?P<label>.+?)(?::\s*|\s+is\s+(?:that\s+it\s+(?:is\s+)?)?)(?P<grade>[^:]+)$", block.text
        )
        if not m:
            continue
        grade = grade_of(m.group("grade"))
        key = _longest(labels, m.group("label")) or _longest(others, m.group("label"))
        if key and grade:
            put(key[0], grade, doc.cite(block, block.text))
    if tables and "overall_effectiveness" not in out:
        table = tables[0]
        out["overall_effectiveness"] = Fact(
            None,
            (
                Citation(
                    doc.file,
                    table.page,
                    table.text.split("\n")[0],
                    "the report's judgement table gives no overall effectiveness grade",
                ),
            ),
        )
    return out


def _area_send_outcome(doc: _Doc, first: list[Block]) -> Fact:
    outcomes = rules().area_send_outcomes
    for block in first:
        for sentence in _sentences(block.text):
            found = _longest(outcomes, sentence)
            if found:
                return Fact(found[0], (doc.cite(block, sentence.strip()),))
    return NONE


def _sentences(text: str) -> list[str]:
    return (
        [s for s in _SENTENCE.split(text.replace("\n", " ")) if s.strip()]
        if "\n" not in text
        else [s for line in text.split("\n") for s in _SENTENCE.split(line) if s.strip()]
    )


# ---------------------------------------------------------------- dated events in other papers


def _event_dates(sentence: str) -> Iterator[tuple[int, int, dt.date, str]]:
    """(start, end, date, precision) of each date or date range in a sentence; a range gives its first day."""
    taken: list[tuple[int, int]] = []
    folded = fold(sentence)
    for m in _RANGE.finditer(folded):
        got = date_range(sentence[m.start() : m.end()])
        if got:
            taken.append((m.start(), m.end()))
            yield m.start(), m.end(), got[0], "day"
    for m in _SINGLE.finditer(folded):
        if any(a <= m.start() < b for a, b in taken):
            continue
        day = parse_date(sentence[m.start() : m.end()])
        if day is not None:
            yield m.start(), m.end(), day, "day" if m.group(0)[:1].isdigit() else "month"


def _events(doc: _Doc, meta: DocumentMeta) -> Iterator[Event]:
    r = rules()
    seen: set[tuple[str, str, str]] = set()
    for block in doc.blocks:
        if block.kind == BlockKind.HEADING:
            continue
        for sentence in _sentences(block.text):
            spans = [
                (m.start(), m.end(), kind)
                for kind, patterns in r.events.items()
                for pattern in patterns
                for m in pattern.finditer(sentence)
            ]
            if not spans:
                continue
            named = councils_named(sentence)
            council = (
                named[0] if named and council_key(named[0]) != council_key(meta.council) else meta.council
            )
            for start, end, day, precision in _event_dates(sentence):
                kind = _nearest_kind(spans, start, end, r.event_distance)
                if kind is None or (kind, day.isoformat(), sentence) in seen:
                    continue
                seen.add((kind, day.isoformat(), sentence))
                yield Event(
                    kind=kind,
                    date=day.isoformat(),
                    precision=precision,
                    planned=bool(meta.date and day > meta.date),
                    council=council,
                    citation=doc.cite(block, sentence.strip()),
                    title=meta.title,
                    paper_date=meta.date.isoformat() if meta.date else "",
                )


def _nearest_kind(spans: list[tuple[int, int, str]], start: int, end: int, limit: int) -> str | None:
    """The event named nearest the date (before it, or failing that after it), if within `limit` characters."""
    best: tuple[int, str] | None = None
    for a, b, kind in spans:
        distance = start - b if b <= start else (a - end if a >= end else 0)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, kind)
    return best[1] if best else None


__all__ = [
    "EXTRACTOR_VERSION",
    "FACTS",
    "GRADES",
    "JUDGEMENTS",
    "Citation",
    "Event",
    "Fact",
    "Inspection",
    "PaperRecord",
    "date_range",
    "extract",
    "fold",
    "framework_label",
    "grade_of",
    "parse_date",
    "rules",
]
