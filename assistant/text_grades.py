"""Ofsted's judgements as other papers report them: "graded the overall effectiveness ... as 'Inadequate'", "- The
experiences and progress of care leavers – Requires Improvement to be Good", "It was rated Good for the
experiences and progress of children in care and care leavers".

The inspection record holds the judgements read from Ofsted's own reports at ingest. Many councils' inspections
reach the library only through their own news pages, committee minutes and reports; a question about their grades
then goes to the text, where one grade sentence competes with every sentence about improvement. This module reads,
from the passages found, each sentence or list line that names one judged area and states one grade, so the
answer can set out the grades area by area, each cited to the sentence that gives it. The wording of the areas is
data (`ingest/data/inspections.yaml`: the report's own labels and how other papers put them).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from assistant.candidates import clean
from assistant.compose import Line, LineKind
from assistant.facts import find_judgements
from assistant.guardrails import planted
from assistant.question import AnswerType, QuestionAnalysis, lexicon
from assistant.record import GRADE_ORDER
from assistant.record_answers import AREA_LABELS, unrecorded_topic
from assistant.sentences import sentence_spans
from ingest.inspection_record import JUDGEMENTS, fold
from vectorstore.passage import Passage

GRADE_NAMES = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement": "requires improvement to be good",
    "inadequate": "inadequate",
}
# a sentence about an earlier inspection ("since the last inspection in 2019, where services were rated good")
_EARLIER = re.compile(
    r"\b(?:previous(?:ly)?|last inspect\w*|prior to|since the (?:last|previous)|in the past|used to be"
    # a grade something fell from or lost ("Decline of 'good' children's services", "lost its outstanding
    # rating", "slipped from good")
    r"|(?:decline|fall|fell|drop|dropped|slide|slid|slip|slipped)s?\s+(?:of|from)|los[te]s?\s+(?:its|their))\b",
    re.I,
)
_LINE = re.compile(r"[^\n]+")
_BEFORE_WORDS = frozenset({"before", "previous", "previously", "prior"})
_REFERS_BACK = re.compile(r"\b(?:the (?:service|services|department|council|authority)|it|they)\b", re.I)
_CHANGE = re.compile(r"\bfrom\b.+\bto\b", re.I)
# "good" and "outstanding" are everyday words ("good relationships"): they are grades only as a grade is stated,
# after a verb of judging or a dash ("rated good", "– Good"), in quotes, or capitalised mid-sentence
_GIVEN = re.compile(
    r"(?:\b(?:rated|judged|graded|grading of|judgement of|remains?|remained|as|be|been|is|was|were)\s+|[–—:-]\s*)"
    r"[‘'\"“]?(?:good|outstanding)\b",
    re.I,
)
_QUOTED = re.compile(r"[‘'\"“](?:good|outstanding)[’'\"”]", re.I)
_CAPITAL = re.compile(r"(?<=\s)(?:Good|Outstanding)\b")


def _stated(sentence: str, grade: str) -> bool:
    if grade not in {"good", "outstanding"}:
        return True
    return bool(_GIVEN.search(sentence) or _QUOTED.search(sentence) or _CAPITAL.search(sentence))


@dataclass(frozen=True)
class Graded:
    area: str  # a key of JUDGEMENTS
    grade: str  # "requires improvement to be good"
    sentence: str  # the sentence or list line that states it, as it stands in the passage (cleaned)
    passage_index: int


@cache
def area_phrases() -> dict[str, tuple[str, ...]]:
    """Each judged area's wordings (labels and prose, from the data file), folded, longest first."""
    raw = yaml.safe_load(resources.files("ingest").joinpath("data/inspections.yaml").read_text("utf-8"))
    out: dict[str, tuple[str, ...]] = {}
    for key in JUDGEMENTS:
        entry = raw["judgements"][key]
        phrases = {fold(p) for p in [*entry.get("labels", []), *entry.get("prose", [])]}
        out[key] = tuple(sorted(phrases, key=len, reverse=True))
    return out


@cache
def _wordings() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Every area's wordings as patterns, longest first."""
    pairs = sorted(
        ((phrase, key) for key, phrases in area_phrases().items() for phrase in phrases),
        key=lambda pk: len(pk[0]),
        reverse=True,
    )
    return tuple((re.compile(rf"\b{re.escape(phrase)}\b"), key) for phrase, key in pairs)


def areas_named(sentence: str) -> list[str]:
    """The judged areas a sentence names, in the record's order; the longest wording takes a stretch of text
    ("services for children in care" is about children in care, not the services as a whole)."""
    found = {key for _, _, key in _mentions(fold(sentence))}
    return [k for k in JUDGEMENTS if k in found]


def _mentions(text: str, skip: str = "") -> list[tuple[int, int, str]]:
    """(start, end, area) of each wording of a judged area in folded `text` (not of the area `skip`), the
    longest first taking its stretch of text."""
    out: list[tuple[int, int, str]] = []
    for pattern, key in _wordings():
        if key == skip:
            continue
        for m in pattern.finditer(text):
            if not any(a < m.end() and m.start() < b for a, b, _ in out):
                out.append((m.start(), m.end(), key))
    return out


# several grades in one sentence: an area takes the grade only linking words stand between ("care leavers, which
# it found to be 'good'", "'good' for the experiences and progress of care leavers", "good overall")
_GRADE_WORD = re.compile(
    r"\b(?:requires?|requiring|required)\s+improvement(?:\s+to\s+be\s+good)?|\binadequate\b|\boutstanding\b"
    r"|\bgood\b"
)
_LINK_AFTER = re.compile(
    r"\W*(?:(?:classification|rating|grade|judgement|effectiveness)\s+(?:of\s+|as\s+)?)?"
    r"(?:(?:which|that)\s+)?(?:(?:it|they|inspectors|ofsted)\s+)?(?:(?:was|were|is|are|has\s+been|have\s+been)\s+)?"
    r"(?:(?:judged|rated|found|graded|assessed|deemed)\s+)?(?:(?:to\s+be|as)\s+)?\W*"
)
_LINK_BEFORE = re.compile(r"\W*(?:services?\s+(?:for|to)\s+)?(?:(?:for|in)\s+(?:the\s+)?)?\W*")
_JOINED = re.compile(r"\s*(?:,|and|&)\s*(?:the\s+)?")
_OVERALL = re.compile(r"\boverall\b")


def paired_grades(sentence: str) -> list[tuple[str, str]]:
    """(area, grade) for each judged area a sentence of several grades gives a grade, by the grade only linking
    words separate it from (areas joined by "and" share it: "children in care and care leavers"); an area with
    no such grade is left out (it cannot be told which is its). The whole service is an area here only as
    "overall" ("good overall", "an overall classification of requires improvement"), not as "services for
    children", which may be the start of another area's name."""
    text = fold(sentence)
    grades = _stated_grades(sentence)
    mentions = _mentions(text, skip="overall_effectiveness")
    mentions += [
        (m.start(), m.end(), "overall_effectiveness")
        for m in _OVERALL.finditer(text)
        if not any(a <= m.start() < b for a, b, _ in mentions)
    ]
    mentions.sort()
    found: list[str | None] = []
    for start, end, _ in mentions:
        after = next((g for g in grades if g[0] >= end), None)
        before = next((g for g in reversed(grades) if g[1] <= start), None)
        if after is not None and _LINK_AFTER.fullmatch(text[end : after[0]]):
            found.append(after[2])
        elif before is not None and _LINK_BEFORE.fullmatch(text[before[1] : start]):
            found.append(before[2])
        else:
            found.append(None)
    for _ in range(2):  # "children in care and care leavers ... good": both, whichever end the grade is at
        for i in range(len(mentions) - 1):
            if _JOINED.fullmatch(text[mentions[i][1] : mentions[i + 1][0]]):
                found[i] = found[i] or found[i + 1]
                found[i + 1] = found[i + 1] or found[i]
    out: dict[str, str] = {}
    for (_, _, key), grade in zip(mentions, found, strict=True):
        if grade is not None:
            out.setdefault(key, grade)
    return [(k, out[k]) for k in JUDGEMENTS if k in out]


# stricter than `_GIVEN`: in a sentence of several grades, "it is good for children in care to ..." is no grade
_STATED_BEFORE = re.compile(r"(?:\b(?:rated|judged|graded|awarded|as)\s+(?:\w+\s+){0,2}?|[–—:-]\s*)[‘'\"“]?$")


def _stated_at(sentence: str, start: int, end: int) -> bool:
    """Whether the grade word at [start, end) is stated as a grade (see `_stated`): "good" and "outstanding" in
    quotes, capitalised, after a verb of judging or a dash, or as "good overall"."""
    word = sentence[start:end]
    if word.lower() not in {"good", "outstanding"}:
        return True
    quoted = sentence[start - 1 : start] in {"‘", "'", '"', "“"}
    return (
        quoted
        or word[:1].isupper()
        or bool(_STATED_BEFORE.search(sentence[max(0, start - 40) : start]))
        or sentence[end : end + 9].lower().lstrip(" ’'\"”").startswith("overall")
    )


def several_grades(sentence: str) -> bool:
    """Whether a sentence states more than one grade ("'good' overall but 'required improvement' in ...")."""
    return len({grade for _, _, grade in _stated_grades(sentence)}) > 1


def _stated_grades(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, grade) of each grade a sentence states (`_stated_at`), "requires improvement" in any form; a
    grade joined by "and" to one stated is stated too ("judged to be good overall *and outstanding* for ...")."""
    out: list[tuple[int, int, str]] = []
    for m in _GRADE_WORD.finditer(fold(sentence)):
        joined = bool(out) and _AND_GRADE.fullmatch(sentence[out[-1][1] : m.start()]) is not None
        if joined or _stated_at(sentence, m.start(), m.end()):
            out.append((m.start(), m.end(), _grade_of(m.group())))
    return out


_AND_GRADE = re.compile(r"[’'\"”]?\s*(?:overall\s+)?(?:,\s*)?(?:and|but)\s+[‘'\"“]?", re.I)


def _grade_of(words: str) -> str:
    return "requires improvement" if "improvement" in words else words


def _pieces(text: str) -> list[tuple[int, int]]:
    """The sentences of a passage, with each line of a list ("- The impact of leaders ... – Inadequate") on its
    own: a list of grades is one "sentence" to the splitter when its lines carry no full stops."""
    out: list[tuple[int, int]] = []
    for start, end in sentence_spans(text):
        lines = list(_LINE.finditer(text, start, end))
        if len(lines) > 1:
            out += [(m.start(), m.end()) for m in lines]
        else:
            out.append((start, end))
    return out


def graded_areas(
    passages: Sequence[Passage], keep: Sequence[int] | None = None, earlier: bool = False
) -> list[Graded]:
    """Each judged area's grade as the passages state it (the first statement of each area, in the passages'
    order): from a sentence naming one grade, or from one of several
    grades each area the grade its linking words give it (`paired_grades`); not from one about an earlier
    inspection (with `earlier`, only those are read: "the previous 'requires improvement' judgement"). `keep`: the
    indices of the passages to read, in the order to read them (all, in order, if None)."""
    out: dict[str, Graded] = {}
    for index in keep if keep is not None else range(len(passages)):
        passage = passages[index]
        previous = ""  # the sentence before
        for start, end in _pieces(passage.text):
            raw = passage.text[start:end]
            sentence = clean(raw)
            prior, previous = previous, sentence
            # a sentence about the inspection before is read only for a question about the one before
            if not sentence or planted(raw) or bool(_EARLIER.search(sentence)) != earlier:
                continue
            grades = find_judgements(sentence)
            if several_grades(sentence) and not _CHANGE.search(sentence):
                # "outstanding in three of four areas and 'good' for care leavers": each area its own grade
                for area, grade in paired_grades(sentence):
                    if area not in out:
                        out[area] = Graded(area, GRADE_NAMES[grade], sentence, index)
                continue
            if len(grades) != 1 or not _stated(sentence, grades[0]):
                continue
            if len(find_judgements(sentence, context=True)) > 1 and _CHANGE.search(sentence):
                continue  # "moved from inadequate to good": two grades, whatever the case of the words
            # "... published its report into Suffolk's children's services. The report rated the service as ...":
            # the service is the one the sentence before named
            areas = areas_named(sentence) or (
                areas_named(prior) if prior and _REFERS_BACK.search(sentence) else []
            )
            areas = [a for a in areas if a not in out]
            for area in areas:
                out[area] = Graded(area, GRADE_NAMES[grades[0]], sentence, index)
    return [out[k] for k in JUDGEMENTS if k in out]


def asks_grades(analysis: QuestionAnalysis) -> bool:
    """Whether a question asks how an inspection of the children's services graded them: a judgement question,
    or an open question or comparison in the words of grading ("what were the four judgements?", "whose services
    got the better rating?", "their latest Ofsted results"); not a date or a figure about a graded inspection,
    and not an area SEND inspection or a visit (they are not graded this way)."""
    words = set(re.findall(r"[a-z]+", analysis.text.lower()))
    lex = lexicon().classes
    if words & lex["ungraded_words"] or unrecorded_topic(analysis):
        return False  # "the youth justice service's rating": not what these judgements grade
    if analysis.evaluation and not analysis.comparison:
        return False  # "did Ofsted find anything good when it rated them inadequate?": praise, not the grades
    # "their latest Ofsted results", "the 2025 ILACS outcomes": results in the words of an inspection
    # "which did better with Ofsted last time?": councils compared in an inspection's terms
    graded = bool(words & lex["grading_words"]) or bool(
        words & lex["judgement_context"]
        and (words & lex["result_words"] or (analysis.comparison and words & lex["better_words"]))
    )
    if analysis.answer_type == AnswerType.JUDGEMENT:
        return True
    return graded and (analysis.comparison or not analysis.answer_type.factoid)


def _whose(passage: Passage) -> str:
    return passage.council or "as reported"


def grades_asked(
    analysis: QuestionAnalysis, passages: Sequence[Passage], keep: Sequence[int] | None = None
) -> list[Graded]:
    """The grades the passages state for what the question asks (its year, the areas it names, with the overall
    grade); none when the question names judged areas the passages do not grade."""
    if (
        analysis.years
    ):  # "in 2019": a paper dated that year (or the next, when reports come out), else naming it
        wanted = {y for year in analysis.years for y in (year, year + 1)}
        dated = {
            i
            for i, p in enumerate(passages)
            if (
                p.date.year in wanted
                if p.date
                else any(str(y) in f"{p.title} {p.text}" for y in analysis.years)
            )
        }
        keep = [i for i in (keep if keep is not None else range(len(passages))) if i in dated]
    else:  # no year named: the newest paper's account is the current grade (an older one may still rank higher)
        keep = sorted(
            keep if keep is not None else range(len(passages)),
            key=lambda i: -_ordinal(passages[i].date),
        )
    # "and what was it rated before that?": the grade the papers give the inspection before the one they report
    earlier = bool(set(re.findall(r"[a-z]+", analysis.text.lower())) & _BEFORE_WORDS)
    graded = graded_areas(passages, keep, earlier)
    named = areas_named(analysis.text)
    if named and not any(g.area in named for g in graded):
        return []
    if named and "overall_effectiveness" not in named:
        graded = [g for g in graded if g.area in named or g.area == "overall_effectiveness"]
    return graded


def _ordinal(day: dt.date | None) -> int:
    return day.toordinal() if day is not None else 0


def lines_of(graded: Sequence[Graded], passages: Sequence[Passage]) -> list[Line]:
    """Grades as answer lines: a lead each, cited to its sentence, then those sentences."""
    # the first lead names the council (a resident sees it alone, above the rest); the others need not, and the
    # verifier matches a lead to the sentence sharing most of its words, which the council's name would skew
    lines = [
        Line(
            f"{AREA_LABELS[g.area]}"
            + (f" — {_whose(passages[g.passage_index])}" if i == 0 else "")
            + f": {g.grade}.",
            LineKind.LEAD,
            g.passage_index,
        )
        for i, g in enumerate(graded)
    ]
    seen: set[str] = set()
    for g in graded:
        if g.sentence not in seen:
            seen.add(g.sentence)
            lines.append(Line(g.sentence, LineKind.QUOTE, g.passage_index, bullet=True))
    return lines


def grade_lines(
    analysis: QuestionAnalysis, passages: Sequence[Passage], keep: Sequence[int] | None = None
) -> list[Line]:
    """The grades the passages state for what the question asks, as answer lines (`grades_asked`, `lines_of`)."""
    return lines_of(grades_asked(analysis, passages, keep), passages)


def overall_of(graded: Sequence[Graded]) -> str | None:
    """The overall grade among `graded`, if it is there."""
    return next((g.grade for g in graded if g.area == "overall_effectiveness"), None)


def verdict(sides: Sequence[tuple[str, str]]) -> str:
    """ "Swindon v Doncaster - whose grade was better?": the councils' overall grades compared in code, best
    first; "" for fewer than two."""
    if len(sides) < 2:
        return ""
    ranked = sorted(sides, key=lambda s: GRADE_ORDER.index(s[1]), reverse=True)
    if len({grade for _, grade in ranked}) == 1:
        return f"Compared from the grades above: the same overall grade ({ranked[0][1]})."
    listed = "; ".join(f"{place} {grade}" for place, grade in ranked)
    return f"Compared from the grades above, best first: {listed}."
