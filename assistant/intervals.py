"""The time between two events the papers date, worked out in code: "how long after being judged inadequate did
BCP get its first monitoring visit?", "how long was it between the re-visit and the 2024 inspection?", "how long
after the inspection ended was the report published?", "how long has it been since the last inspection?".

Papers rarely state such a gap; they date each event, often in different papers. So the question is split into its
two events (the words after "after", "since" or "before" and the rest of the question; or the two sides of
"between ... and ..." and "from ... to ..."), each event is searched for on its own, and the sentence that best
dates it is chosen: it must share most of the event's words, hold a date near them, fall in the year (and month)
the question gives, and — for "after" — come after the other event (the earliest such, unless the question says
"last"). The gap is calculated from the two dates at the precision they are given (days, or months), and shown
with both quotes. Nothing here knows a council, a body or a kind of paper: the words come from the question.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.candidates import clean, is_debris
from assistant.guardrails import planted
from assistant.inspection_window import months_after
from assistant.question import AnswerType, QuestionAnalysis, lexicon
from assistant.sentences import sentence_spans
from assistant.spans import TypedSpan, typed_spans
from assistant.verify import content_words, stem
from vectorstore.passage import Passage

__all__ = [
    "Dated",
    "Event",
    "Gap",
    "Interval",
    "dated_sentences",
    "gap",
    "latest_first",
    "pair",
    "parse_interval",
    "today_dated",
]

MIN_COVERAGE = 0.5  # a sentence must share at least this share of an event's (weighted) words to date it
SAME_PAPER = (
    1.25  # "how long after the inspection was *the report* published": one paper dates both, most often
)
NEAR_BEST = 0.75  # of dates about equally well supported, the order the question asks for decides
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_MONTH_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?\s+((?:19|20)\d\d)\b")
_HEAD = re.compile(r"^\s*how\s+(?:long|soon|many\s+(?:days|weeks|months|years)|much\s+time)\b", re.I)
_ANCHORS = ("between", "from", "after", "since", "before")
_MODALS = {"must", "should", "ought", "shall", "will", "would", "can", "could", "may", "might"}
_INVERTED = {"did", "was", "were", "is", "are", "has", "have", "had", "does", "do"}


@dataclass(frozen=True)
class Event:
    text: str  # as asked, without the framing: "being judged inadequate", "the report published"
    terms: frozenset[str]  # its stemmed content words (ordinals, edges and the councils named left out)
    year: int | None = None  # a year (and month) the question gives it: "its March 2017 re-inspection"
    month: int | None = None
    edge: str = ""  # "start" or "end" of a period ("the end of the re-inspection"), else ""
    order: str = ""  # "first" (first, next, another ...) or "last" (last, latest, previous ...), else ""

    @property
    def query(self) -> str:
        """What to search for: the event's own words, without its edge ("the end of"), and "dates", so that
        the lines dating it ("Inspection dates: ...") rank with the text about it."""
        words = [w for w in re.findall(r"[\w'’-]+", self.text) if w.lower() not in _END_WORDS | _START_WORDS]
        words = [w for w in words if w.lower() not in _INVERTED]
        return " ".join([*words, "dates"])

    @property
    def today(self) -> bool:
        """An event with no words of its own: "how long has it been since ...": now."""
        return not self.terms


@dataclass(frozen=True)
class Interval:
    first: Event  # the event the gap is counted from
    second: Event
    relation: str  # "after" (second after first), "before" (second before first) or "between" (either order)


@dataclass(frozen=True)
class Dated:
    """A sentence dating an event: the date span, its first and last day, and how precisely it is given."""

    passage: int  # index into the passages searched
    doc_id: str
    sentence: str
    span: TypedSpan
    start: dt.date
    end: dt.date
    precision: str  # "day" or "month"
    score: float


@dataclass(frozen=True)
class Gap:
    text: str  # "about 6 months", "49 days (7 weeks)"
    frm: dt.date
    to: dt.date


# ---------------------------------------------------------------------------------------------- the question


def parse_interval(analysis: QuestionAnalysis, places: Sequence[str] = ()) -> Interval | None:
    """The two events of a question asking how long passed between them, or None (a question asking how long
    something lasts or must take - "how long do they have to respond?" - states its answer in the papers)."""
    if analysis.answer_type != AnswerType.DURATION:
        return None
    text = analysis.text.strip().rstrip("?").strip()
    head = _HEAD.match(text)
    if head is None:
        return None
    words = re.findall(r"[\w'’-]+|[^\w\s]", text[head.end() :])
    lowers = [w.lower() for w in words]
    if set(lowers) & _MODALS or re.search(r"\b(?:have|has|need|needs)\s+to\b", text, re.I):
        return None  # "how long after the inspection must the plan be sent?": a rule, stated in the papers
    anchor = next((i for i, w in enumerate(lowers) if w in _ANCHORS), None)
    if anchor is None:
        return None
    place_terms = {stem(w) for p in places for w in re.findall(r"[A-Za-z]+", p)}
    kind = lowers[anchor]
    if kind in {"between", "from"}:
        joins = {"and"} if kind == "between" else {"to", "until", "till"}
        split = next((i for i in range(anchor + 2, len(lowers)) if lowers[i] in joins), None)
        if split is None:
            return None
        one = _event(words[anchor + 1 : split], place_terms)
        two = _event(words[split + 1 :], place_terms)
        return Interval(one, two, "between") if one.terms and two.terms else None
    # "after X did/was Y": X runs to the inverted verb that starts the main clause; "has it been since X",
    # "did it take them to Y after X": the main clause came first, X runs to the end
    stop = len(words)
    if not set(lowers[:anchor]) & _INVERTED:
        stop = next(
            (
                i
                for i in range(anchor + 2, len(words))
                if lowers[i] in _INVERTED and _subject_follows(lowers, i)
            ),
            len(words),
        )
    anchored = _event(words[anchor + 1 : stop], place_terms)
    rest = _event(words[:anchor] + words[stop:], place_terms)
    if not anchored.terms:
        return None
    relation = "before" if kind == "before" else "after"
    return Interval(anchored, rest, relation)


def _subject_follows(lowers: Sequence[str], i: int) -> bool:
    """ "... was *the report* published", "... did *Coventry* have": an inverted auxiliary starts the main
    clause; "being judged" or "had been" inside the event does not."""
    return i + 1 < len(lowers) and lowers[i + 1] not in {"being", "been", "not"}


def _event(words: Sequence[str], place_terms: set[str]) -> Event:
    lex = lexicon().classes
    text = " ".join(w for w in words if w not in {"?"}).replace(" ’ s", "’s").replace(" 's", "'s")
    text = re.sub(r"\s+([,.;:])", r"\1", text).strip(" ,;:")
    lowers = {w.lower() for w in words}
    order = "first" if lowers & (lex["earliest_words"] | _NEXT_WORDS) else ""
    if lowers & _LAST_WORDS:
        order = "last"
    edge = "end" if lowers & _END_WORDS else "start" if lowers & _START_WORDS else ""
    framing = {stem(w) for w in _NEXT_WORDS | _LAST_WORDS | _END_WORDS | _START_WORDS | _GENERIC}
    framing |= {stem(w) for w in lex["earliest_words"] | lex["light_verbs"]}
    terms = {t for t in content_words(text) if t not in framing and t not in place_terms}
    terms -= {stem(m) for m in _MONTHS}
    terms = {t for t in terms if not t.isdigit() and len(t) > 2}  # "re" of "re-inspection" says nothing
    year = month = None
    found = _MONTH_YEAR.search(text)
    if found and found.group(1).lower() in _MONTHS:
        year, month = int(found.group(2)), _MONTHS[found.group(1).lower()]
    elif (years := _YEAR.findall(text)) and len(years) == 1:
        year = int(years[0])
    return Event(text, frozenset(terms), year, month, edge, order)


_NEXT_WORDS = frozenset({"next", "another", "following", "subsequent", "later"})
_LAST_WORDS = frozenset({"last", "latest", "previous", "recent", "most"})
_END_WORDS = frozenset({"end", "ended", "ending", "close", "closed", "finished"})
_START_WORDS = frozenset({"start", "started", "beginning", "began", "begin", "opened"})
_GENERIC = frozenset(
    {"it", "pass", "passed", "elapse", "elapsed", "long", "time", "there", "happen", "happened"}
)


# ---------------------------------------------------------------------------------------------- the papers


def dated_sentences(
    event: Event,
    passages: Sequence[Passage],
    weights: Mapping[str, float],
    offset: int = 0,
    about: Sequence[str] = (),
    is_local: Callable[[str], bool] | None = None,
) -> list[Dated]:
    """Sentences of `passages` that date `event`, best first. `offset` is the index of the first passage in the
    list the caller cites from. As in `assistant.candidates.collect`, a national body's paper counts only where
    it names one of the places asked `about`, and a sentence naming a council other than those is left out
    (a list of notices dates many councils' events); planted text and debris never date anything."""
    total = math.fsum(_weight(t, weights) for t in event.terms)
    if not total:
        return []
    out: list[Dated] = []
    for rank, passage in enumerate(passages):
        if about and is_local is not None and not is_local(passage.council):
            named = f"{passage.title} {passage.section} {passage.text}".lower()
            if not any(place.lower() in named for place in about):
                continue
        context = content_words(" ".join((passage.title, *passage.heading_path)))
        for start, end in sentence_spans(passage.text):
            raw = passage.text[start:end]
            sentence = clean(raw)
            if planted(raw) or planted(sentence) or is_debris(sentence):
                continue
            if about and _names_another(sentence, about):
                continue
            words = content_words(sentence)
            shared = event.terms & words
            if not shared:
                continue  # the sentence itself must name the event; its paper's title only adds
            coverage = math.fsum(_weight(t, weights) for t in shared) / total
            coverage += 0.5 * math.fsum(_weight(t, weights) for t in (event.terms & context) - shared) / total
            if coverage < MIN_COVERAGE:
                continue
            marks: list[tuple[int, int]] | None = None
            for span in typed_spans(sentence):
                if span.kind != AnswerType.DATE:
                    continue
                bounds = _bounds(span.value)
                if bounds is None or not _fits(event, bounds):
                    continue
                marks = _term_marks(sentence, event.terms) if marks is None else marks
                near = _nearness(len(sentence), span, marks)
                score = coverage * near / (1.0 + 0.05 * rank)
                out.append(Dated(offset + rank, passage.doc_id, sentence, span, *bounds, score))
    out.sort(key=lambda d: d.score, reverse=True)
    return out


_COUNCIL_NAME = re.compile(
    r"((?:[A-Z][\w'’-]+\s+){1,4})(?:Metropolitan\s+)?(?:Borough\s+|City\s+|County\s+|District\s+)?Council\b"
)


def _names_another(sentence: str, about: Sequence[str]) -> bool:
    """ "Improvement notice issued to South Gloucestershire Council": a council named that is not asked about."""
    places = [p.lower() for p in about]
    for m in _COUNCIL_NAME.finditer(sentence):
        words = m.group(1).lower().split()
        while words and words[-1] in _NOT_PLACES:
            words.pop()
        while words and words[0] in _NOT_PLACES:
            words.pop(0)
        name = " ".join(words)
        if name and not any(p in name or name in p for p in places):
            return True
    return False


_NOT_PLACES = frozenset(
    {"the", "county", "city", "borough", "metropolitan", "district", "this", "our", "each"}
)


def _weight(term: str, weights: Mapping[str, float]) -> float:
    return min(max(weights.get(term, 1.0), 0.25), 4.0)


def _term_marks(sentence: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """Where the event's words stand in the sentence (start and end of each)."""
    return [
        (m.start(), m.end())
        for m in re.finditer(r"[A-Za-z][\w'’-]*", sentence)
        if content_words(m.group()) & terms
    ]


def _nearness(length: int, span: TypedSpan, marks: Sequence[tuple[int, int]]) -> float:
    """1 when one of the event's words (at `marks`) stands next to the date, falling with distance (in
    characters); `length` is the sentence's, the distance when none is there."""
    best = length
    for start, end in marks:
        gap = span.start - end if end <= span.start else start - span.end
        best = min(best, max(gap, 0))
    return 1.0 / (1.0 + best / 80.0)


def _bounds(value: str) -> tuple[dt.date, dt.date, str] | None:
    """First and last day of a date span's value ("date:2022-06-07..date:2022-06-08", "month_year:2021-12");
    None for a year, a financial year or anything vaguer."""
    parts = value.split("..")
    got = [_one(p) for p in parts]
    if any(g is None for g in got):
        return None
    first, last = got[0], got[-1]
    assert first is not None and last is not None
    precision = "day" if first[2] == "day" and last[2] == "day" else "month"
    return first[0], last[1], precision


def _one(value: str) -> tuple[dt.date, dt.date, str] | None:
    kind, _, raw = value.partition(":")
    try:
        if kind == "date":
            day = dt.date.fromisoformat(raw)
            return day, day, "day"
        if kind == "month_year":
            year, month = (int(x) for x in raw.split("-")[:2])
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last), "month"
    except ValueError:
        return None
    return None


def _fits(event: Event, bounds: tuple[dt.date, dt.date, str]) -> bool:
    start, end, _ = bounds
    if event.year is not None and not start.year <= event.year <= end.year:
        return False
    return event.month is None or (start.month == event.month or end.month == event.month)


# ---------------------------------------------------------------------------------------------- the pair


def pair(interval: Interval, firsts: Sequence[Dated], seconds: Sequence[Dated]) -> tuple[Dated, Dated] | None:
    """The best-supported dating of each event that puts them in the order asked: for "after", the earliest
    second event after the first one (or the latest, when the question says "last")."""
    best: tuple[float, Dated, Dated] | None = None
    for one in _near_best(firsts, interval.first.order):
        options = [d for d in seconds if _ordered(interval.relation, one, d) and not _same(one, d)]
        if not options:
            continue
        two = _near_best(options, interval.second.order or ("first" if interval.relation == "after" else ""))[
            0
        ]
        value = one.score * two.score * (SAME_PAPER if one.doc_id == two.doc_id else 1.0)
        if best is None or value > best[0]:
            best = (value, one, two)
    return (best[1], best[2]) if best else None


def _near_best(dated: Sequence[Dated], order: str) -> list[Dated]:
    """The dates about as well supported as the best, the one the order asks for first."""
    if not dated:
        return []
    top = max(d.score for d in dated)
    near = [d for d in dated if d.score >= NEAR_BEST * top]
    if order == "first":
        near.sort(key=lambda d: (d.start, -d.score))
    elif order == "last":
        near.sort(key=lambda d: (d.end, d.score), reverse=True)
    return near[:3]


def _ordered(relation: str, one: Dated, two: Dated) -> bool:
    if relation == "after":
        return two.start > one.end or (two.precision == "month" and two.start > one.start)
    if relation == "before":
        return two.end < one.start
    return two.start != one.start or two.end != one.end


def _same(one: Dated, two: Dated) -> bool:
    return one.sentence == two.sentence and one.span == two.span


# ---------------------------------------------------------------------------------------------- the gap


def gap(interval: Interval, one: Dated, two: Dated) -> Gap:
    """The time from the earlier event to the later: from the end of the earlier (its start if the question
    says "start") to the start of the later (its end if the question says "end")."""
    early, late = (one, two) if one.start <= two.start else (two, one)
    ev_early = interval.first if early is one else interval.second
    ev_late = interval.second if late is two else interval.first
    frm = early.start if ev_early.edge == "start" else early.end
    to = late.end if ev_late.edge == "end" else late.start
    if "month" in {one.precision, two.precision}:
        months = (to.year - frm.year) * 12 + to.month - frm.month
        return Gap(_months(months), frm, to)
    days = (to - frm).days
    if days < 60:
        weeks = days / 7
        if days < 14:
            return Gap(f"{days} day{'s' if days != 1 else ''}", frm, to)
        if days % 7 == 0:
            return Gap(f"{int(weeks)} weeks ({days} days)", frm, to)
        return Gap(f"about {round(weeks)} weeks ({days} days)", frm, to)
    months = (to.year - frm.year) * 12 + to.month - frm.month - (1 if to.day < frm.day else 0)
    spare = (to - months_after(frm, months)).days
    if spare >= 15:
        months += 1
    return Gap(f"{_months(months)} ({days} days)", frm, to)


def _months(months: int) -> str:
    if months < 24:
        return f"about {months} month{'s' if months != 1 else ''}"
    years, rest = divmod(months, 12)
    return f"about {years} years" + (f" and {rest} month{'s' if rest != 1 else ''}" if rest else "")


def latest_first(dated: Sequence[Dated]) -> list[Dated]:
    """ "Since it was last inspected": of the dates about as well supported as the best, the latest first."""
    return _near_best(dated, "last")


def today_dated(today: dt.date) -> Dated:
    """Now, as the second event of "how long has it been since ...?" (no passage: nothing to quote)."""
    return Dated(-1, "", "", TypedSpan(0, 0, "", AnswerType.DATE), today, today, "day", 1.0)
