"""Answers from the inspection record: the questions structured facts fit — "when were we last inspected and what
did we get?", "who led Oldham's 2024 inspection?", "how does Bury compare with Rochdale?", "has the rating changed
since 2021?", "which councils are good or better?", "how long was Bury inadequate?", "when is the next inspection
due?" — answered from the facts derived at ingest, each with the page and words it rests on.

The record's quotes become the passages of the answer (verbatim spans of a page, with the paper's title, date and
council), so a record answer goes through the same composer and verifier as any other. A question the record does
not fit returns None and is answered from the papers' text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from assistant.compose import Line, LineKind
from assistant.question import AnswerType, QuestionAnalysis, lexicon
from assistant.record import GRADE_ORDER, Entry, InspectionRecord, UnknownCouncilError
from assistant.sources import named as named_sources
from assistant.sources import said_by
from assistant.verify import stem
from ingest.councils import council_key, regions
from ingest.inspection_record import JUDGEMENTS, Citation
from ingest.text import fmt_date
from vectorstore.passage import Passage

DocLookup = Callable[[str], object | None]  # doc id -> DocumentInfo (title, date, council, ...)

AREA_LABELS = {
    "overall_effectiveness": "Overall effectiveness",
    "impact_of_leaders": "The impact of leaders on social work practice",
    "help_and_protection": "Children who need help and protection",
    "in_care": "Children in care",
    "care_leavers": "Care leavers",
}


@dataclass
class RecordAnswer:
    lines: list[Line] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    declined: str = ""  # the record holds the inspection asked about but not what is asked of it
    _index: dict[tuple[str, int | None, str], int] = field(default_factory=dict)

    def cite(self, citations: Sequence[Citation], docs: DocLookup) -> int | None:
        """The passage for the first citation with a quote (made once), as an index into `passages`."""
        for c in citations:
            if not c.quote:
                continue
            key = (c.file, c.page, c.quote)
            if key not in self._index:
                self._index[key] = len(self.passages)
                self.passages.append(_passage(c, docs(c.file)))
            return self._index[key]
        return None

    def add(self, text: str, citations: Sequence[Citation], docs: DocLookup, bullet: bool = False) -> bool:
        index = self.cite(citations, docs)
        if index is None:
            return False
        self.lines.append(Line(text, LineKind.LEAD, index, bullet=bullet))
        return True


def _passage(c: Citation, doc: object | None) -> Passage:
    chunk = hashlib.sha256(f"{c.file}|{c.page}|{c.quote}".encode()).hexdigest()[:16]
    return Passage(
        chunk_id=f"record:{chunk}",
        doc_id=c.file,
        text=c.quote,
        title=str(getattr(doc, "title", "") or c.file),
        date=getattr(doc, "date", None),
        body=str(getattr(doc, "body", "")),
        doc_type=str(getattr(doc, "doc_type", "")),
        council=str(getattr(doc, "council", "")),
        source_url=str(getattr(doc, "source_url", "")),
        classification=str(getattr(getattr(doc, "classification", ""), "value", "open") or "open"),
        path=str(getattr(doc, "path", "")),
        page_start=c.page,
        page_end=c.page,
    )


# ---------------------------------------------------------------------------------------------- routing


def fits(analysis: QuestionAnalysis) -> bool:
    """Whether a question asks what the record holds: an inspection's dates, lead inspector or grades, a council's
    grades over time, councils' grades side by side, the councils at a grade, the time a council held a grade, or
    when the next standard inspection is due. Anything else about inspections (what a report said, a framework, a
    visit) is answered from the papers' text."""
    speakers = named_sources(analysis.sources)
    if speakers and not said_by(INSPECTORATES, speakers):
        # "what did the scrutiny committee say about the Ofsted inspection?": the committee's words
        return False
    lex = lexicon()
    words = _words(analysis)
    if _whole_inspection(analysis, words):
        return True
    if _excluded(analysis, words):
        return False  # "when *exactly* will Ofsted next inspect?": the record holds a window, not a date
    if (
        _named_areas(analysis)
        and _only_inspection_and_areas(analysis)
        and analysis.answer_type in _SUMMARY_TYPES
    ):
        return True  # "how did Salford do in its last Ofsted for leadership and care leavers?": their grades
    if _asks_window(words) and not analysis.comparison and (analysis.councils or analysis.home):
        return True  # "when is the next inspection due?", "how long after June 2025 will the next one be?"
    focus = analysis.focus.head if analysis.focus else ""
    quantity = {"money", "percentage", "number", "frequency"}
    counts_councils = focus in {"council", "authority"}  # "how many councils are good?" is the record's
    if not counts_councils and (
        analysis.answer_type.value in quantity or any(focus in lex.classes[k] for k in quantity)
    ):
        # a figure, a sum or a share ("has the share of councils rated good gone up?") is in the papers' text;
        # the record holds grades and dates, and covers only the councils whose reports are held
        return False
    graded = bool(words & {"outstanding", "good", "inadequate"}) or {"requires", "improvement"} <= words
    about_grades = focus in lex.classes["judgement"] or focus in {"rating", "grade", "judgement", "judgment"}
    inspection = any(w.startswith(("inspect", "ilacs", "ofsted")) for w in words) or "sif" in words
    send = "send" in words or "special" in words
    if analysis.change and (about_grades or graded or inspection or send or len(analysis.key_terms) <= 1):
        return True  # "has it improved since 2021?", "has Stockport got worse?", "has Leeds kept its rating?"
    if analysis.answer_type == AnswerType.DURATION:
        # "how long was Bury inadequate?", "how long between Bury's 2021 and 2025 inspections?", "... between its
        # two most recent inspections?"
        between = len(analysis.years) == 2 or _asks_last_two(words)
        return (graded or (inspection and between)) and bool(analysis.councils or analysis.home)
    if graded and focus in {"council", "authority"}:
        return True  # "which councils are good or better?"
    if graded and analysis.answer_type == AnswerType.DATE and (len(analysis.councils) >= 2 or inspection):
        return True  # "who got requires improvement first, Rochdale or Oldham?", "when did Bury get good from Ofsted?"
    if analysis.comparison and len(analysis.councils) >= 2 and _compares_grades(analysis):
        # "how does Bury compare with Rochdale?", "... on their latest Ofsted inspections?", "which got the better
        # ILACS outcome?", "both were rated inadequate - which was more recent?"
        topic = analysis.key_terms - _stems("inspection", "latest_words", "grade_words")
        topic -= {"ilac", "ilacs", "outcom", "rat", "rate"}
        return (len(topic) <= 1 and (not topic or about_grades or graded or inspection)) or about_grades
    if analysis.answer_type == AnswerType.JUDGEMENT and (
        inspection or about_grades or "effectiveness" in words
    ):
        # "the latest rating for Bury's youth justice service": a service the record holds no grade for
        return not unrecorded_topic(analysis)
    if graded and (about_grades or focus in {"area", "judgement", "judgment"} or words & {"judged", "rated"}):
        return True  # "which Stockport judgement was still good?", "what was Stockport judged good at?"
    if not inspection:
        return False
    if analysis.answer_type == AnswerType.DATE:
        return focus in {"report", "ilacs"} or any(w.startswith("inspect") for w in words)
    if analysis.answer_type == AnswerType.PERSON:
        return focus in {"inspector", "lead"} or bool(words & {"led", "lead", "inspected"})
    return analysis.change and about_grades


def _whole_inspection(analysis: QuestionAnalysis, words: set[str]) -> bool:
    """ "What did Ofsted find in Trafford in June 2026?", "what did the latest inspection say?": what an
    inspection found as a whole, with no other topic and no judged area named — its dates and every judgement
    lead (what the report says of any one thing is for a question that names it). A question in parts asks it
    when one part asks what was found and the others only when ("when did Ofsted last inspect Bury and what did
    they say?"): the answer gives the dates too."""
    kinds = {p.answer_type for p in analysis.parts} or {analysis.answer_type}
    if not kinds & _SUMMARY_TYPES or not kinds <= _SUMMARY_TYPES | {AnswerType.DATE}:
        return False
    if analysis.change or analysis.comparison:
        return False
    if not words & lexicon().classes["inspection_outcome_verbs"]:
        return False  # "what did Ofsted find / say", "what did Wigan get from Ofsted in 2025?"
    if not (analysis.years or words & {"latest", "last", "recent", "most"}):
        return False
    topic = analysis.key_terms - _stems("inspection") - {"ilac", "ilacs"}
    return not topic and not _named_areas(analysis) and not words & {"send", "special", "visit", "monitoring"}


_SINCE_CLAUSE = re.compile(r"(?<=\w)\s+(?:since|after)\b.*$", re.I)


def _excluded(analysis: QuestionAnalysis, words: set[str]) -> bool:
    """Words that make an inspection question one for the papers' text ("exactly", "each", "framework"); "each"
    and "every" do not when they range over the judgements ("its grade for each judgement")."""
    # words of a clause saying since when ("has it improved since Ofsted *said* it was inadequate?") set a time,
    # they do not ask what a report said
    timed = _SINCE_CLAUSE.search(analysis.text)
    if timed:
        words = words - set(re.findall(r"[a-z]+", timed.group().lower())) | set(
            re.findall(r"[a-z]+", analysis.text[: timed.start()].lower())
        )
    hit = words & lexicon().classes["record_excluded"]
    if hit and hit <= {"each", "every"}:
        return not re.search(
            r"\b(?:each|every)\s+(?:of\s+the\s+)?(?:judge?ments?|areas?|grades?)\b", analysis.text, re.I
        )
    return bool(hit)


def unrecorded_topic(analysis: QuestionAnalysis) -> set[str]:
    """Words of a grade question naming what the record does not grade: not the inspection, a grade, the
    judged areas, time or the children's services themselves ("youth justice", "fostering")."""
    known = set(
        _stems(
            "inspection",
            "latest_words",
            "grade_words",
            "service_nouns",
            "inspection_outcome_verbs",
            "light_verbs",
            "areas",
        )
    )
    known |= {
        "ilac",
        "ofst",
        "rate",
        "rat",
        "outcom",
        "overall",
        "effectiv",
        "social",
        "work",
        "practic",
        "judg",
    }
    known |= {"council", "borough", "citi", "city", "counti", "county", "metropolitan", "district", "royal"}
    # "their Ofsted results", "childrens services" as residents write it
    known |= {"result", "child", "children"}
    return set(analysis.key_terms) - known


def _only_inspection_and_areas(analysis: QuestionAnalysis) -> bool:
    """The question's topic is an inspection and the judged areas it names, nothing else."""
    inspection = _stems("inspection", "latest_words") | {"ilac", "ofst"}
    topic = analysis.key_terms - _stems("areas") - inspection
    return any(t in inspection for t in analysis.key_terms) and not topic


def _words(analysis: QuestionAnalysis) -> set[str]:
    return {w.strip("?,.'’!").lower() for w in analysis.text.split()}


def answer(
    analysis: QuestionAnalysis,
    about: Sequence[str],
    record: InspectionRecord,
    docs: DocLookup,
    today: dt.date,
) -> RecordAnswer | None:
    """Lines answering `analysis` from the record, or None when the record does not hold what it asks."""
    if not fits(analysis):
        return None
    words = _words(analysis)
    grade = _grade_named(words)
    focus = analysis.focus.head if analysis.focus else ""
    if grade and not analysis.councils and focus in {"council", "authority", "area"}:
        return _with_grade(record, grade, words, docs, regions().get(analysis.region, ()))
    known = [c for c in about if _has(record, c)]
    if not known:
        return None
    if analysis.comparison and len(about) >= 2 and _compares_grades(analysis):
        if len(known) < len(about):
            return None  # the record holds only some of them: the papers' text compares them all
        return _compare(record, known, _areas(analysis), docs, analysis.years, grade)
    if analysis.comparison and len(about) >= 2:
        # "which council was rated good first, Rochdale or Oldham?": when each first held the grade; any other
        # question about two councils is not answered by one council's record
        if analysis.answer_type != AnswerType.DATE or len(known) < len(about):
            return None
        if grade:
            return _first_at_grade(record, known, grade, docs)
        both = RecordAnswer()  # "when were Rochdale and Oldham last inspected?": each one's inspection asked
        for council in known:
            entry = _entry(record, council, analysis, words)
            if entry is None:
                return None
            _dates(both, entry, record.name(council), words, docs)
        return both if both.lines else None
    council = known[0]
    if _whole_inspection(analysis, words):
        entry = _entry(record, council, analysis, words)
        if entry is None:
            return None
        whole = RecordAnswer()
        _dates(whole, entry, record.name(council), words, docs)
        _grades(whole, entry, record.name(council), list(JUDGEMENTS), docs)
        return whole if whole.lines else None
    if analysis.answer_type == AnswerType.DURATION and grade:
        return _periods(record, council, grade, docs, today)
    if analysis.answer_type == AnswerType.DURATION and len(analysis.years) == 2:
        return _between(record, council, analysis.years, docs)
    if analysis.answer_type == AnswerType.DURATION and _asks_last_two(words):
        return _between(record, council, (), docs)
    if _asks_window(words):
        return _window(record, council, docs)
    if analysis.change and (words & {"send", "special"}):
        return _send_history(record, council, analysis, docs)
    if analysis.change:
        return _history(record, council, analysis, docs)
    if (
        grade
        and analysis.answer_type == AnswerType.DATE
        and set(_named_areas(analysis)) <= {"overall_effectiveness"}
    ):
        # "when did Oldham get good?": when it was first judged so overall (else, below, what was judged so)
        first = _first_at_grade(record, [council], grade, docs, every=not analysis.earliest)
        if first is not None:
            return first
    entry = _entry(record, council, analysis, words)
    if entry is None:
        return None
    if (
        grade
        and not _named_areas(analysis)
        and entry.framework != "area-send"
        and any(entry.judgements.values())
    ):
        return _at_grade(entry, grade, record.name(council), docs)
    out = RecordAnswer()
    name = record.name(council)
    wanted = [p.answer_type for p in analysis.parts] or [analysis.answer_type]
    for kind in dict.fromkeys(wanted):
        if kind == AnswerType.DATE:
            _dates(out, entry, name, words, docs)
        elif kind == AnswerType.PERSON or (
            kind == AnswerType.DESCRIPTION and words & {"led", "lead", "inspected"}
        ):
            if entry.lead_inspector:
                out.add(
                    f"Lead inspector — {name}, {entry.framework_label} ({_when(entry)}): {entry.lead_inspector}.",
                    entry.cite("lead_inspector"),
                    docs,
                )
        else:
            _grades(out, entry, name, _areas(analysis), docs)
    if not out.lines and AnswerType.JUDGEMENT in wanted and entry.framework != "area-send":
        # the inspection asked about is held but gives no such grade (e.g. overall effectiveness after the 2026
        # reform): say so rather than fall back on another year's grade
        out.declined = f"the {entry.framework_label} of {name} ({_when(entry)}) gives no such grade"
    return out if out.lines or out.declined else None


_SUMMARY_TYPES = frozenset({AnswerType.DESCRIPTION, AnswerType.LIST, AnswerType.YES_NO})
# the bodies whose inspections the record holds: a question naming anyone else as saying something asks for
# their words
INSPECTORATES = "Ofsted, CQC and HMICFRS"
_GRADED = ("ilacs-standard", "ilacs-short", "sif")
_INSPECTION_WORDS = frozenset(
    {"ofsted", "inspection", "inspectors", "inspector", "inspected", "ilacs", "judged"}
)


@cache
def _stems(*classes: str) -> frozenset[str]:
    """The stems of the words of the lexicon's word `classes` ("inspection" is `_INSPECTION_WORDS`; "areas" the
    words of every judged area's names)."""
    lex = lexicon().classes
    words: set[str] = set()
    for name in classes:
        if name == "inspection":
            words |= _INSPECTION_WORDS
        elif name == "areas":
            words |= {w for k in JUDGEMENTS for p in lex[f"area_{k}"] for w in p.split()}
        else:
            words |= lex[name]
    return frozenset(stem(w) for w in words)


def grade_lead(
    analysis: QuestionAnalysis, about: Sequence[str], record: InspectionRecord, docs: DocLookup
) -> RecordAnswer | None:
    """For an open question about what inspectors said of one of the judged areas ("what did Ofsted say about
    care leavers in Bolton?", "was leadership inadequate as well?"), the grade that area was given, to lead the
    cited summary of what the report says. None when the question names no judged area, asks what must improve,
    or the record holds no grade for it."""
    if analysis.answer_type not in _SUMMARY_TYPES:
        return None
    words = _words(analysis)
    if words & lexicon().classes["grade_lead_excluded"]:
        return None
    areas = [a for a in _named_areas(analysis) if a != "overall_effectiveness"]
    known = [c for c in about if _has(record, c)]
    if not areas or not known:
        return None
    reported = {stem(v) for v in lexicon().classes["reporting_verbs"]} | {"said", "found"}
    says = any(stem(w) in reported for w in words)  # "what did the council say ...": someone else's view
    if not (words & _INSPECTION_WORDS or _grade_named(words) or (_only_about(analysis, areas) and not says)):
        return None
    history = [
        e for e in record.history(known[0]) if e.framework != "area-send" and any(e.judgements.values())
    ]
    if analysis.years:
        history = [
            e
            for e in history
            if analysis.years[0] in {d.year for d in (e.publication_date, e.start_date) if d}
        ]
    if not history:
        return None
    out = RecordAnswer()
    _grades(out, history[0], record.name(known[0]), areas, docs)
    return out if out.lines else None


def _only_about(analysis: QuestionAnalysis, areas: Sequence[str]) -> bool:
    """Whether a question is about the judged areas as a whole ("how are we doing on care leavers?"), not about
    something within them ("care leavers' housing"): every topic word belongs to the areas' names."""
    classes = lexicon().classes
    area_words = {stem(w) for a in areas for phrase in classes[f"area_{a}"] for w in phrase.split()}
    return bool(analysis.key_terms) and analysis.key_terms <= area_words


def _has(record: InspectionRecord, council: str) -> bool:
    try:
        return bool(record.history(council))
    except (UnknownCouncilError, ValueError):
        return False


def _grade_named(words: set[str]) -> str:
    if {"requires", "require", "requiring"} & words and "improvement" in words:
        return "requires improvement to be good"  # before "good", which it holds
    for grade in ("outstanding", "good", "inadequate"):
        if grade in words:
            return grade
    return ""


def _asks_last_two(words: set[str]) -> bool:
    """ "between its two most recent inspections", "between the last two ILACS" (word lists as data)."""
    return (
        "between" in words and bool(words & {"two", "2"}) and bool(words & lexicon().classes["latest_words"])
    )


def _asks_window(words: set[str]) -> bool:
    """ "When is the next inspection due?" — not a visit, not one that took place."""
    return (
        bool(words & {"next", "due"})
        and any(w.startswith("inspect") for w in words)
        and not words & {"was", "did", "visit", "visits", "focused", "monitoring"}
    )


def _areas(analysis: QuestionAnalysis) -> list[str]:
    """Which judgements a question asks about, from the words of its focus (data: `judgement_areas`)."""
    # "each judgement", "all areas", "which judgements did it get?": every one (a plural asks for them all)
    words = set(re.findall(r"[a-z]+", analysis.text.lower()))
    if words & {"each", "every", "all", "areas", "judgements", "judgments"}:
        return list(JUDGEMENTS)
    return _named_areas(analysis) or ["overall_effectiveness"]


def _named_areas(analysis: QuestionAnalysis) -> list[str]:
    """The judged areas a question names in words ("care leavers", "leadership"), in the record's order."""
    text = " " + " ".join(re.sub(r"[,;:?!.()]", " ", analysis.text.lower()).split()) + " "
    areas = lexicon().classes
    named = [key for key in JUDGEMENTS if any(f" {w} " in text for w in areas[f"area_{key}"])]
    if len(named) > 1 and " overall " not in text:
        # "what grade did it get for care leavers?": "grade" asks for that area's, not also the overall one
        named = [key for key in named if key != "overall_effectiveness"]
    return named


def _entry(
    record: InspectionRecord, council: str, analysis: QuestionAnalysis, words: set[str]
) -> Entry | None:
    """The inspection a question is about: the one in the year it names (published or in the field), else the
    latest graded one for a grade question, else the latest of any kind."""
    send = bool(words & {"send", "special"}) or "send" in analysis.text.lower().split()
    history = [e for e in record.history(council) if (e.framework == "area-send") == send]
    if not history:
        return None
    if analysis.years:
        before = "before" in words or "previous" in words
        year = analysis.years[0]
        if before:
            older = [e for e in history if e.when.year < year]
            return older[0] if older else None
        dated = [e for e in history if year in {d.year for d in (e.publication_date, e.start_date) if d}]
        return dated[0] if dated else None
    if "previous" in words or "before" in words:
        return history[1] if len(history) > 1 else None
    if analysis.answer_type == AnswerType.JUDGEMENT and not send:
        graded = [e for e in history if any(e.judgements.values())]
        return graded[0] if graded else None
    return history[0]


def _when(entry: Entry) -> str:
    return f"published {fmt_date(entry.publication_date)}" if entry.publication_date else fmt_date(entry.when)


def _dates(out: RecordAnswer, entry: Entry, name: str, words: set[str], docs: DocLookup) -> None:
    label = f"{entry.framework_label} of {name}"
    if ("published" in words or "publish" in words or "report" in words) and entry.publication_date:
        out.add(
            f"Report published — {label}: {fmt_date(entry.publication_date)}.",
            entry.cite("publication_date"),
            docs,
        )
        return
    if entry.start_date and entry.end_date:
        out.add(
            f"Inspection dates — {label}: {fmt_date(entry.start_date)} to {fmt_date(entry.end_date)}.",
            entry.cite("start_date") + entry.cite("end_date"),
            docs,
        )
    elif entry.publication_date:
        out.add(
            f"Report published — {label}: {fmt_date(entry.publication_date)}.",
            entry.cite("publication_date"),
            docs,
        )


def _grades(out: RecordAnswer, entry: Entry, name: str, areas: Sequence[str], docs: DocLookup) -> None:
    if entry.framework == "area-send" and entry.outcome:
        out.add(
            f"Outcome — {entry.framework_label} of {name} ({_when(entry)}): {entry.outcome}.",
            entry.cite("outcome"),
            docs,
        )
        return
    for area in areas:
        grade = entry.judgements.get(area)
        if grade:
            out.add(
                f"{AREA_LABELS[area]} — {name}, {entry.framework_label} ({_when(entry)}): {grade}.",
                entry.cite(f"judgements.{area}"),
                docs,
                bullet=len(areas) > 1,
            )


def _at_grade(entry: Entry, grade: str, name: str, docs: DocLookup) -> RecordAnswer | None:
    """ "Which Stockport judgement was still good in 2025?": the judgements of one inspection that gave the grade
    named, each cited, and the others' grades as well (so that "none" is said, not implied)."""
    out = RecordAnswer()
    judged = [(area, g) for area, g in ((a, entry.judgements.get(a)) for a in JUDGEMENTS) if g]
    matching = [(area, g) for area, g in judged if g.lower() == grade]
    heading = f"Judged {grade} — {name}, {entry.framework_label} ({_when(entry)}):"
    out.lines.append(Line(heading, LineKind.HEADING) if matching else Line(f"{heading} none.", LineKind.NOTE))
    for area, g in matching:
        out.add(f"{AREA_LABELS[area]}: {g}.", entry.cite(f"judgements.{area}"), docs, bullet=True)
    others = [(area, g) for area, g in judged if (area, g) not in matching]
    if others:
        out.lines.append(Line("Its other judgements:", LineKind.HEADING))
    for area, g in others:
        out.add(f"{AREA_LABELS[area]}: {g}.", entry.cite(f"judgements.{area}"), docs, bullet=True)
    return out if len(out.lines) > 1 else None


def _history(
    record: InspectionRecord, council: str, analysis: QuestionAnalysis, docs: DocLookup
) -> RecordAnswer | None:
    since = _first_year(analysis)
    graded = [e for e in reversed(record.history(council)) if e.overall and e.when.year >= since]
    if len(graded) < 2:
        return None
    out = RecordAnswer()
    name = record.name(council)
    out.lines.append(
        Line(
            f"Overall effectiveness of {name}'s children's services, inspection by inspection:",
            LineKind.HEADING,
        )
    )
    for e in graded:
        out.add(
            f"{e.framework_label} ({_when(e)}): {e.overall}.",
            e.cite("judgements.overall_effectiveness"),
            docs,
            bullet=True,
        )
    first, last = graded[0], graded[-1]
    # "has it improved since Ofsted said it was inadequate?": from the last inspection with the grade named
    named = _grades_named(analysis.text) if not analysis.years else []
    baseline = [e for e in graded[:-1] if len(named) == 1 and e.overall == named[0]]
    first = baseline[-1] if baseline else first
    if not baseline and not analysis.years and not analysis.history:
        # "has it improved?", "did it get better or worse at its last inspection?": than at the one before (a
        # history, "has it always been good?", "over its last three inspections", runs from the first)
        first = graded[-2]
    move = _direction(first.overall or "", last.overall or "")
    out.lines.append(
        Line(
            f"From the record: {move} from {first.overall} ({first.when.year}) to {last.overall} ({last.when.year}).",
            LineKind.NOTE,
        )
    )
    _area_changes(out, graded[-2], last, docs)
    return out


def _grades_named(text: str) -> list[str]:
    """The overall grades a question names, as the record writes them ("requires improvement to be good")."""
    folded = text.lower()
    found = [g for g in GRADE_ORDER if g in folded and not (g == "good" and "to be good" in folded)]
    if "requires improvement to be good" not in found and re.search(r"requir\w*\s+improvement", folded):
        found = [g for g in found if g != "good"] + ["requires improvement to be good"]
    return list(dict.fromkeys(found))


def _first_year(analysis: QuestionAnalysis) -> int:
    """The earliest inspection year a change question covers: from the year before the first year it names
    (an inspection "in 2021" may have been reported in late 2020), or all years."""
    return min(analysis.years) - 1 if analysis.years else 0


def _area_changes(out: RecordAnswer, before: Entry, after: Entry, docs: DocLookup) -> None:
    """Beside overall effectiveness, each judged area whose grade moved between two inspections ("help and
    protection dropped to requires improvement while overall stayed good"), cited to the later report."""
    moved = [
        area
        for area in JUDGEMENTS
        if area != "overall_effectiveness"
        and before.judgements.get(area)
        and after.judgements.get(area)
        and before.judgements[area] != after.judgements[area]
    ]
    if not moved:
        return
    out.lines.append(
        Line(f"Judgements that moved between {before.when.year} and {after.when.year}:", LineKind.HEADING)
    )
    for area in moved:
        for entry in (before, after):  # each grade cited to its own report
            out.add(
                f"{AREA_LABELS[area]}, {entry.framework_label} ({_when(entry)}): {entry.judgements[area]}.",
                entry.cite(f"judgements.{area}"),
                docs,
                bullet=True,
            )


def _send_history(
    record: InspectionRecord, council: str, analysis: QuestionAnalysis, docs: DocLookup
) -> RecordAnswer | None:
    """Area SEND inspections of a council, oldest first, with their outcomes (the newest is the state now).
    For a question from a year on, None unless two are held from then: one inspection's outcome says nothing of
    the progress since it ("what progress has been made since the 2024 inspection?"); the papers' text may."""
    since = _first_year(analysis)
    entries = [
        e
        for e in reversed(record.history(council))
        if e.framework == "area-send" and e.outcome and e.when.year >= since
    ]
    if len(entries) < (2 if analysis.years else 1):
        return None
    out = RecordAnswer()
    name = record.name(council)
    out.lines.append(Line(f"Area SEND inspections of {name} held, with their outcome:", LineKind.HEADING))
    for e in entries:
        out.add(f"{e.framework_label} ({_when(e)}): {e.outcome}.", e.cite("outcome"), docs, bullet=True)
    return out


def _direction(a: str, b: str) -> str:
    if a not in GRADE_ORDER or b not in GRADE_ORDER or a == b:
        return "unchanged" if a == b else "changed"
    return "improved" if GRADE_ORDER.index(b) > GRADE_ORDER.index(a) else "declined"


def _compare(
    record: InspectionRecord,
    councils: Sequence[str],
    areas: Sequence[str],
    docs: DocLookup,
    years: Sequence[int] = (),
    grade: str = "",
) -> RecordAnswer | None:
    """Each council's graded inspection side by side: the latest, or the latest in a year the question names
    ("Leicester in 2015 and Manchester in 2017"), or the latest at a grade it names ("both were rated
    inadequate"). None when a council has no such inspection here: the papers' text may still say."""
    entries = [_compared_entry(record, council, years, grade) for council in councils]
    if any(e is None for e in entries):
        return None
    out = RecordAnswer()
    for e in entries:
        assert e is not None
        _entry_lines(out, record, e, areas, docs)
    return out


def _first_at_grade(
    record: InspectionRecord, councils: Sequence[str], grade: str, docs: DocLookup, every: bool = False
) -> RecordAnswer | None:
    """Each council's first graded inspection giving the grade overall (its publication), or that none held does;
    which came first said when two do. With `every` ("when was Oldham rated good?", not "first"), each time it
    was given the grade after holding another."""
    out = RecordAnswer()
    firsts: list[tuple[str, dt.date]] = []
    for council in councils:
        name = record.name(council)
        periods = record.periods_at_grade(council, grade)
        if not periods:
            out.lines.append(
                Line(f"{name}: not judged {grade} overall in the inspections held.", LineKind.NOTE)
            )
            continue
        out.lines.append(Line(f"{name}:", LineKind.HEADING))
        for n, period in enumerate(periods if every else periods[:1]):
            entry = period.began
            out.add(
                f"{'First judged' if n == 0 else 'Judged'} {grade} overall{' again' if n else ''}: "
                f"{entry.framework_label} ({_when(entry)}).",
                entry.cite("judgements.overall_effectiveness"),
                docs,
                bullet=every and len(periods) > 1,
            )
        firsts.append((name, periods[0].start))
    if not firsts:
        return None
    if len(firsts) >= 2:
        (first, day), (_, other) = sorted(firsts, key=lambda f: f[1])[:2]
        if day != other:
            out.lines.append(
                Line(f"From the record: {first} was judged {grade} first ({fmt_date(day)}).", LineKind.NOTE)
            )
    elif len(councils) >= 2:
        out.lines.append(
            Line(f"From the record: only {firsts[0][0]} was judged {grade} overall.", LineKind.NOTE)
        )
    return out if any(line.kind == LineKind.LEAD for line in out.lines) else None


def _compares_grades(analysis: QuestionAnalysis) -> bool:
    """A comparison of councils' inspections that asks how they were judged, not who led them or when."""
    if analysis.focus is not None and lexicon().has("person", analysis.focus.head):
        return False  # "did the same inspector lead both?"
    return analysis.answer_type in {
        AnswerType.DESCRIPTION,
        AnswerType.YES_NO,
        AnswerType.JUDGEMENT,
        AnswerType.LIST,
    }


def compare_one(
    analysis: QuestionAnalysis, council: str, record: InspectionRecord, docs: DocLookup
) -> RecordAnswer | None:
    """One council's side of a comparison the record fits, when the record holds that council's inspection
    asked about (the others' sides may come from the papers' text)."""
    if not _compares_grades(analysis) or not fits(analysis) or not _has(record, council):
        return None
    entry = _compared_entry(record, council, analysis.years, _grade_named(_words(analysis)))
    if entry is None or not any(entry.judgements.get(a) for a in _areas(analysis)):
        return None  # dated, but the grade asked about was not read from the report: the text may give it
    out = RecordAnswer()
    _entry_lines(out, record, entry, _areas(analysis), docs)
    return out if any(line.kind == LineKind.LEAD for line in out.lines) else None


def _compared_entry(record: InspectionRecord, council: str, years: Sequence[int], grade: str) -> Entry | None:
    graded = [e for e in record.history(council) if e.framework in _GRADED] or record.history(council)
    if years:
        graded = [e for e in graded if {d.year for d in (e.start_date, e.publication_date) if d} & set(years)]
    if grade:
        graded = [e for e in graded if e.overall == grade]
    return graded[0] if graded else None


def _entry_lines(
    out: RecordAnswer, record: InspectionRecord, e: Entry, areas: Sequence[str], docs: DocLookup
) -> None:
    shown = list(dict.fromkeys(["overall_effectiveness", *areas]))
    out.lines.append(Line(f"{record.name(e.council)} — {e.framework_label} ({_when(e)}):", LineKind.HEADING))
    if e.start_date and e.end_date:  # "which was more recent?": when each was inspected, not only published
        out.add(
            f"Inspection dates: {fmt_date(e.start_date)} to {fmt_date(e.end_date)}.",
            e.cite("start_date") + e.cite("end_date"),
            docs,
            bullet=True,
        )
    for area in shown if len(areas) > 1 or areas[0] != "overall_effectiveness" else JUDGEMENTS:
        grade = e.judgements.get(area)
        if grade:
            out.add(f"{AREA_LABELS[area]}: {grade}.", e.cite(f"judgements.{area}"), docs, bullet=True)


def _with_grade(
    record: InspectionRecord, grade: str, words: set[str], docs: DocLookup, region: Sequence[str] = ()
) -> RecordAnswer | None:
    """Councils (of a region, when one is named) whose latest graded inspection gave them the grade."""
    at_least = bool(words & {"better", "least", "above"})
    keys = {p.lower() for p in region}
    entries = [
        e
        for e in record.councils_with_grade(grade, at_least=at_least)
        if not keys or council_key(e.council) in keys
    ]
    out = RecordAnswer()
    what = f"{grade} or better" if at_least else grade
    out.lines.append(
        Line(
            f"Councils whose latest graded inspection held here judged them {what} overall:", LineKind.HEADING
        )
    )
    for e in entries:
        out.add(
            f"{record.name(e.council)}: {e.overall} ({_when(e)}).",
            e.cite("judgements.overall_effectiveness"),
            docs,
            bullet=True,
        )
    others = sorted(
        c for c in set(record.councils()) - {e.council for e in entries} if not keys or council_key(c) in keys
    )
    if others:
        out.lines.append(
            Line(f"Not {what} at their latest inspection held: {', '.join(others)}.", LineKind.NOTE)
        )
    return out if len(out.lines) > 1 else None


def _periods(
    record: InspectionRecord, council: str, grade: str, docs: DocLookup, today: dt.date
) -> RecordAnswer | None:
    """Each stretch the council held the grade: from the report that gave it to the next graded report."""
    periods = record.periods_at_grade(council, grade)
    if not periods:
        return None
    out = RecordAnswer()
    name = record.name(council)
    for p in periods:
        began = p.began
        out.add(
            f"{name} judged {grade} overall: {began.framework_label}, published {fmt_date(p.start)}.",
            began.cite(f"judgements.{p.judgement}"),
            docs,
        )
        if p.ended is not None:
            ended = p.ended
            out.add(
                f"Next graded inspection: {ended.framework_label}, published {fmt_date(p.end)}: "
                f"{ended.judgements.get(p.judgement)}.",
                ended.cite(f"judgements.{p.judgement}"),
                docs,
            )
        days = p.days(today)
        until = (
            fmt_date(p.end) if p.end else f"today ({fmt_date(today)}), no later graded inspection being held"
        )
        out.lines.append(
            Line(
                f"Calculated from the report dates: from {fmt_date(p.start)} to {until} is "
                f"{days // 365} years and {(days % 365) // 30} months ({days} days).",
                LineKind.NOTE,
            )
        )
    return out


def _between(
    record: InspectionRecord, council: str, years: Sequence[int], docs: DocLookup
) -> RecordAnswer | None:
    """The time between two inspections named by their years (with none, the two most recent), from their
    fieldwork dates."""
    history = [e for e in record.history(council) if e.framework != "area-send"]
    picked = []
    if not years:
        dated = [e for e in history if e.start_date is not None and e.overall]
        if len(dated) < 2:
            return None
        years = [dated[1].start_date.year, dated[0].start_date.year]  # type: ignore[union-attr]
    for year in sorted(years):
        entry = next(
            (e for e in history if year in {d.year for d in (e.start_date, e.publication_date) if d}), None
        )
        if entry is None or entry.start_date is None:
            return None
        picked.append(entry)
    out = RecordAnswer()
    name = record.name(council)
    for e in picked:
        out.add(
            f"{e.framework_label} of {name}: {fmt_date(e.start_date)} to {fmt_date(e.end_date)}.",
            e.cite("start_date"),
            docs,
        )
    first, last = picked[0].start_date, picked[-1].start_date
    assert first is not None and last is not None
    months = (last.year - first.year) * 12 + last.month - first.month
    out.lines.append(
        Line(
            f"Calculated from the inspection dates: {months // 12} years and {months % 12} months ({months} months) "
            f"from the start of one to the start of the other.",
            LineKind.NOTE,
        )
    )
    return out


def _window(record: InspectionRecord, council: str, docs: DocLookup) -> RecordAnswer | None:
    nxt = record.next_standard_window(council)
    if nxt is None:
        return None
    out = RecordAnswer()
    e = nxt.based_on
    if not out.add(
        f"Last standard inspection of {record.name(council)}: {fmt_date(e.start_date)} to "
        f"{fmt_date(e.end_date)} ({e.framework_label}).",
        e.cite("start_date") + e.cite("end_date"),
        docs,
    ):
        return None
    out.lines.append(
        Line(
            f"Calculated from the papers (not stated in them): standard inspections usually follow every 3 years, "
            f"plus or minus 6 months, so the next window is {nxt.window.text}.",
            LineKind.NOTE,
        )
    )
    return out
