"""Cited summaries for open questions ("what did Ofsted say about leadership?", "what happened at the last
scrutiny meeting?", "has the SEND service improved?").

Points are chosen across the top passages by maximal marginal relevance: each next sentence is the one most
relevant to the question and least like the points already chosen, so the summary covers the topic without
repeating itself. A sentence that introduces a list ("The areas for improvement are:") brings its items. Points
are grouped by paper, newest paper first, in reading order within a paper.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from assistant.candidates import (
    Candidate,
    asks_findings,
    clean,
    cosine,
    is_debris,
    passes_judgement,
    years_of,
)
from assistant.latest import is_procedural
from assistant.nlp import parse
from assistant.question import AnswerType, QuestionAnalysis, lexicon
from assistant.sentences import footnotes, introduces_list, sentence_spans
from assistant.verify import stem
from vectorstore.passage import Passage

LAMBDA = 0.72  # weight of relevance against novelty
ABOUT_THE_PAPER = 0.7  # "This report sets out ...": what to expect, not what was found
PROCEDURAL = 0.3  # "No apologies were received": a meeting's standing items
POINTER = PROCEDURAL  # "Find out all about our strategy ...": a web page's pointer elsewhere
DATED_POINT = 1.15  # a sentence stating its year, for a question asking for a timeline
FINDING = 1.15  # a sentence passing a judgement, for a question asking what was found or said
FINDINGS_JUDGED = 60  # ... among the best-scoring sentences only (a point comes from the best 40)
MAX_POINTS = {AnswerType.LIST: 6, AnswerType.YES_NO: 4, AnswerType.REASON: 4}
DEFAULT_MAX_POINTS = 6
RELATIVE_FLOOR = 0.72  # a point must score at least this share of the best sentence
ONE_PAPER_FLOOR = 0.4  # ... when from the best point's paper, or all from the one paper a question is about
_MAX_LIST_ITEMS = 8


@dataclass
class Point:
    candidate: Candidate
    items: list[str]  # list items following a sentence that introduces them (a colon, a heading question)

    @property
    def text(self) -> str:
        return self.candidate.sentence


def choose(
    analysis: QuestionAnalysis,
    candidates: Sequence[Candidate],
    passages: Sequence[Passage],
    allowed: Callable[[Candidate], bool] | None = None,
    floor: float = RELATIVE_FLOOR,
    limit: int | None = None,
    following: Callable[[Passage], Passage | None] | None = None,
) -> list[Point]:
    """Up to a handful of points answering `analysis` (or `limit`), newest paper first. `floor` is the share of
    the best sentence's score a point needs (lower for "what happened at the last meeting", where every sentence
    of the one paper is about it and its words say little)."""
    if not candidates:
        return []
    ranked = _recency_adjusted(analysis, candidates, passages)
    if analysis.evaluation:  # "what concerns were raised?": the points are the sentences that raise one
        ranked = [(c, s) for c, s in ranked if c.judged] or ranked
    best = ranked[0][1]
    # the best point's paper is the likeliest to hold the rest of the answer, in words that share little with
    # the question ("These were as follows:-", "Action: Officers to amend ..."): its sentences need less
    paper = passages[ranked[0][0].passage_index].doc_id
    pool = [
        (c, s)
        for c, s in ranked[:40]
        if s >= (ONE_PAPER_FLOOR if passages[c.passage_index].doc_id == paper else floor) * best
    ]
    limit = limit or MAX_POINTS.get(analysis.answer_type, DEFAULT_MAX_POINTS)
    chosen: list[tuple[Candidate, float]] = []
    while pool and len(chosen) < limit:
        pick = max(pool, key=lambda cs: LAMBDA * cs[1] / best - (1 - LAMBDA) * _max_similarity(cs[0], chosen))
        pool.remove(pick)
        if _max_similarity(pick[0], chosen) > 0.85:
            continue
        if allowed is not None and not allowed(pick[0]):
            continue  # it names a private individual
        chosen.append(pick)
    chosen += _each_year_asked(analysis, ranked, chosen, passages, best * ONE_PAPER_FLOOR, allowed)
    points = [Point(c, _list_items(c, passages, following)) for c, _ in chosen]
    # a colon sentence whose items were all standing business says nothing ("Minutes: It was agreed:")
    points = [p for p in points if p.items or not introduces_list(p.text)] or points
    listed = {item for p in points for item in p.items}
    points = [p for p in points if p.text not in listed] or points  # said once, as an item
    return _in_reading_order(points, passages, oldest_first=analysis.timeline)


def _each_year_asked(
    analysis: QuestionAnalysis,
    ranked: Sequence[tuple[Candidate, float]],
    chosen: Sequence[tuple[Candidate, float]],
    passages: Sequence[Passage],
    least: float,
    allowed: Callable[[Candidate], bool] | None,
) -> list[tuple[Candidate, float]]:
    """ "Has it got worse since its 2018 inspection?", "how did 2014 and 2019 compare?": a question about change
    between years is answered with what the papers say of each year it names. A year no point states gets the
    best sentence that states it, or that states no year in a paper of that year (if one scores at least
    `least`), so the answer holds the starting point as well as the newest paper's account."""

    def of_year(cand: Candidate) -> set[int]:
        date = passages[cand.passage_index].date
        return years_of(cand.sentence) or ({date.year} if date else set())

    if not analysis.change or not analysis.years:
        return []
    stated = set().union(*(of_year(c) for c, _ in chosen)) if chosen else set()
    added: list[tuple[Candidate, float]] = []
    for year in sorted(set(analysis.years) - stated):
        for cand, score in ranked:
            if score < least:
                break
            if year not in of_year(cand) or any(cand is c for c, _ in (*chosen, *added)):
                continue
            if allowed is not None and not allowed(cand):
                continue
            added.append((cand, score))
            break
    return added


def _recency_adjusted(
    analysis: QuestionAnalysis, candidates: Sequence[Candidate], passages: Sequence[Passage]
) -> list[tuple[Candidate, float]]:
    """Scores, with papers other than the newest relevant one marked down when the question asks about now."""
    # "where can I read the report?" asks for the pointer
    pointed = not any(re.search(rf"\b{v}\b", analysis.text, re.I) for v in lexicon().classes["pointer_verbs"])
    scored = [
        (c, c.score * (POINTER if pointed and _pointer().match(c.sentence) else _as_a_point(c)))
        for c in candidates
    ]
    if asks_findings(analysis):
        scored = _findings_first(scored)
    if not (analysis.latest or analysis.change):
        return sorted(scored, key=lambda cs: cs[1], reverse=True)
    if analysis.timeline:  # "trace ...": every paper's part of the story, and what each dates
        return sorted(
            ((c, s * (DATED_POINT if years_of(c.sentence) else 1.0)) for c, s in scored),
            key=lambda cs: cs[1],
            reverse=True,
        )
    top = max(s for _, s in scored)
    relevant = [c for c, s in scored if s >= 0.8 * top]
    newest = max((passages[c.passage_index].date or dt.date.min for c in relevant), default=dt.date.min)
    factor = 0.9 if analysis.change else 0.8  # a change question wants the history too
    adjusted = [
        (c, s if (passages[c.passage_index].date or dt.date.min) >= newest else s * factor) for c, s in scored
    ]
    return sorted(adjusted, key=lambda cs: cs[1], reverse=True)


def _as_a_point(cand: Candidate) -> float:
    """How well a sentence serves as a point of a summary: one about the paper itself is kept for when nothing
    better says it. (A table row stays: "care leavers | Requires improvement to be good" answers a grade.)"""
    if is_procedural(cand.sentence) or cover_sheet_field(cand.sentence):
        return PROCEDURAL
    return ABOUT_THE_PAPER if about_the_paper(cand.sentence) else 1.0


@cache
def _pointer() -> re.Pattern[str]:
    """A sentence opening by sending the reader elsewhere ("Find out ...", "You can read ...", "Please visit ...")
    (`pointer_verbs`)."""
    verbs = sorted(lexicon().classes["pointer_verbs"], key=len, reverse=True)
    alternation = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in verbs)
    return re.compile(rf"^\W*(?:(?:you|they)\s+(?:can|could|may)\s+|please\s+)?(?:{alternation})\b", re.I)


def _findings_first(scored: list[tuple[Candidate, float]]) -> list[tuple[Candidate, float]]:
    """For a question asking what was found or said: a sentence passing a judgement ("three areas of significant
    weakness") is a finding; when and by whom it was done ("This was a joint inspection by the CQC and Ofsted")
    is not. Only the sentences that could become points are judged (the polarity costs a parse each)."""
    ranked = sorted(scored, key=lambda cs: cs[1], reverse=True)
    if not ranked:
        return ranked
    least = ranked[0][1] * ONE_PAPER_FLOOR / FINDING  # below this, even a finding is no point
    return [
        (c, s * FINDING if i < FINDINGS_JUDGED and s >= least and passes_judgement(c.sentence) else s)
        for i, (c, s) in enumerate(ranked)
    ]


def cover_sheet_field(sentence: str) -> bool:
    """A row of a report's cover sheet ("Report to: | Cabinet | Date: 10 September 2025"): it may say who wrote a
    paper or when, but it is no point of what the paper says. (A grade row, "Care leavers | Good", has no
    label.)"""
    return "|" in sentence and any(_FIELD_LABEL.match(cell.strip()) for cell in sentence.split("|"))


_FIELD_LABEL = re.compile(r"^[A-Z][\w &/()'’-]{0,40}:$")


def about_the_paper(sentence: str) -> bool:
    """ "This report sets out ...", "The purpose of this paper is to ...": the subject is the paper (or its
    purpose) and the verb presents it (word lists in `assistant/data/answer_types.yaml`)."""
    lex = lexicon()
    words = set(re.findall(r"[a-z]+", sentence.lower()))
    if not {w.rstrip("s") for w in words} & lex.classes["paper_nouns"]:
        return False  # most sentences name no paper: no parse needed
    doc = parse(sentence)  # with lemmas: "sets" is "set"
    for tok in doc:
        if tok.dep_ not in {"nsubj", "nsubjpass"} or tok.lower_.rstrip("s") not in lex.classes["paper_nouns"]:
            continue
        head = tok.head
        if head.pos_ in {"VERB", "AUX"} and head.lemma_.lower() in lex.classes["presenting_verbs"]:
            return any(c.lower_ in {"this", "the", "these"} for c in tok.children) or tok.lower_ in {
                "purpose",
                "aim",
            }
    return False


def _max_similarity(cand: Candidate, chosen: Sequence[tuple[Candidate, float]]) -> float:
    if not chosen:
        return 0.0
    sims = []
    for other, _ in chosen:
        if cand.vector is not None and other.vector is not None:
            sims.append(cosine(cand.vector, other.vector))
        elif cand.words and other.words:
            sims.append(len(cand.words & other.words) / len(cand.words | other.words))
    return max(sims, default=0.0)


def _list_items(
    cand: Candidate, passages: Sequence[Passage], following: Callable[[Passage], Passage | None] | None = None
) -> list[str]:
    """The items after a sentence that introduces a list (a colon, a heading question), from the same passage,
    and from the paper's next chunk (`following`) when the list runs to the passage's end."""
    if not introduces_list(cand.sentence):
        return []
    passage = passages[cand.passage_index]
    items, ended = _items_in(passage.text, cand.position + 1, [])
    # only a list of phrases is read on (items with no full stop, as lists of findings are written): past the cut,
    # sentences are as likely to be the prose after the list
    if not ended and items and not _shape(items[-1])[0] and following is not None:
        # a list cut by the chunk boundary ("... who are homeless" | "Better monitoring ...")
        nxt = following(passage)
        if nxt is not None:
            items, _ = _items_in(nxt.text, 0, items, skip=passage.text)
    return items


def _items_in(text: str, first: int, items: list[str], skip: str = "") -> tuple[list[str], bool]:
    """`items` with the list items of `text` from sentence `first` on (those in `skip`, the text a chunk
    overlaps, passed over), and whether the list ended there (else it runs on past the text's end)."""
    spans = sentence_spans(text)
    notes = footnotes(text)
    items = list(items)
    for start, end in spans[first:]:
        if len(items) >= _MAX_LIST_ITEMS:
            return items, True
        if any(a <= start < b for a, b in notes):
            continue  # the heading's footnote, not one of its items
        item = clean(text[start:end])
        if skip and item in skip:
            continue
        if skip and items and _shape(item) != _shape(items[-1]):
            return items, True  # past the cut, an item is only one shaped like the items before it
        # a list's items are often phrases without a verb; a table row or figures end it
        if introduces_list(item) or (len(item) > 20 and is_debris(item, headings=False)):
            return items, True
        if is_procedural(item):  # "It was agreed: That the minutes ... be approved as a correct record"
            return items, True
        if _prose_after(items, item):
            return items, True
        items.append(item)
    return items, False


PROSE_LENGTH = 2.0  # a line this many times the longest item, written otherwise, is the prose after a list


def _prose_after(items: list[str], item: str) -> bool:
    """Whether `item` is the prose after a list of phrases: two or more items written alike (no full stop) and
    a line written otherwise that is far longer ("Councillor Gordon Jones ... said: “It's fantastic ...")."""
    if len(items) < 2 or len({_shape(i) for i in items}) > 1 or _shape(item) == _shape(items[-1]):
        return False
    return _shape(items[-1]) == (False, False) and len(item) > PROSE_LENGTH * max(len(i) for i in items)


def _shape(item: str) -> tuple[bool, bool]:
    """How a list item is written: whether it ends in a full stop (inside any closing quote) and whether it is a
    labelled line ("Leadership: ...")."""
    end = item.rstrip().rstrip("\"'’”)]")
    return end.endswith((".", "!", "?")), ": " in item


def _in_reading_order(
    points: list[Point], passages: Sequence[Passage], oldest_first: bool = False
) -> list[Point]:
    """Newest paper first (oldest first for a timeline), each paper's points in its reading order."""

    def key(p: Point) -> tuple[int, int, int]:
        passage = passages[p.candidate.passage_index]
        date = passage.date or dt.date.min
        return (
            date.toordinal() if oldest_first else -date.toordinal(),
            p.candidate.passage_index,
            p.candidate.position,
        )

    return sorted(points, key=key)


COUNTED_SHORTLIST = 3  # the best sentences naming the thing asked for a list, all of which only count it


def only_counted(analysis: QuestionAnalysis, candidates: Sequence[Candidate]) -> str:
    """For a question asking for a list ("what were the three areas of significant weakness?"): when the best
    sentences naming what the things are ("significant weakness") only say how many there were ("The inspection
    identified three areas of significant weaknesses."), that sentence (the papers count them but do not list
    them); otherwise "" (a sentence naming one, "serious concern about delay", or introducing a list, answers)."""
    focus = analysis.focus
    if analysis.answer_type != AnswerType.LIST or focus is None or focus.token is None:
        return ""
    head = stem(focus.head)
    inner = focus.terms - {head}
    if not inner:
        return ""  # "what were the three areas?": one word is named in passing by many sentences
    naming = [c for c in candidates if inner <= c.words][:COUNTED_SHORTLIST]
    if not naming or not all(_counts_at_its_end(c.sentence, head) for c in naming):
        return ""
    return naming[0].sentence


def _counts_at_its_end(sentence: str, head: str) -> bool:
    """Whether a sentence names the things (stem `head`) with a number, and nothing follows the phrase ("...
    identified three areas of significant weaknesses."; not "... three areas of concern: delay, ...")."""
    doc = parse(sentence)
    for tok in doc:
        if head not in {stem(tok.lower_), stem(tok.lemma_.lower())}:
            continue
        if not any(c.dep_ == "nummod" for c in tok.children):
            continue
        end = tok.i
        for prep in tok.children:  # "areas of significant weakness": the phrase ends with its noun
            if prep.dep_ == "prep" and prep.lower_ == "of":
                end = max([end, *(c.i for c in prep.children if c.dep_ == "pobj")])
        return all(t.is_punct and t.text != ":" for t in doc[end + 1 :])
    return False
