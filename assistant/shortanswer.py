"""Typed short answers: the span of a sentence that answers a factoid question, and how sure we are of it.

For each part of the question, the best candidate sentences are parsed; each span of the wanted type
(`assistant.spans`) is scored by its sentence's relevance and by how closely it stands to the question's
focus in the sentence's dependency tree ("*135* complaints" — one step; a number three clauses away from the
word "complaints" is not the number of complaints). Spans the question itself states ("in 2022/23") are not
answers. The chosen span is reported with agreement: how many other papers give the same value.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from assistant import relative_dates
from assistant.candidates import KIND_STEMS, Candidate, continues, derived
from assistant.nlp import parse, parse_many
from assistant.people import names_a_party_member
from assistant.question import AnswerType, Focus, Part, QuestionAnalysis, lexicon
from assistant.spans import TypedSpan, has_contact, instance_spans, typed_spans
from assistant.verify import content_words, stem
from vectorstore.glossary import BODIES, expansions

SHORTLIST = 12
# "how many of them were upheld?" answered with the share upheld, when no count is found
SHARE_FOR_COUNT = 0.8
BODY_FOR_PERSON = 0.6  # "who ...?" answered with a body's name when no person stands by the focus
# "which councillors ...?": another sentence's person is named too when it scores this share of the best
SEVERAL_SHARE = 0.8
# "when was the notice *lifted*?": a date in a sentence without the question's verb is another event's
VERB_MISSED = 0.85
# "the dates of the May 2019 re-visit": a date to the day inside the month found, scoring at least this share of
# it, is the same event said more exactly
MORE_EXACT = 0.6
# what else a wanted type may be given as
_ACCEPTS: dict[AnswerType, frozenset[AnswerType]] = {
    AnswerType.DURATION: frozenset({AnswerType.DURATION}),
    AnswerType.NUMBER: frozenset({AnswerType.NUMBER}),
    AnswerType.MONEY: frozenset({AnswerType.MONEY}),
    AnswerType.PERCENTAGE: frozenset({AnswerType.PERCENTAGE}),
    AnswerType.DATE: frozenset({AnswerType.DATE}),
    AnswerType.FREQUENCY: frozenset({AnswerType.FREQUENCY}),
    AnswerType.PERSON: frozenset({AnswerType.PERSON}),
    AnswerType.ORGANISATION: frozenset({AnswerType.ORGANISATION}),
    AnswerType.JUDGEMENT: frozenset({AnswerType.JUDGEMENT}),
    AnswerType.CONTACT: frozenset({AnswerType.CONTACT}),
}
_LIST_KINDS = frozenset({AnswerType.PERSON, AnswerType.ORGANISATION})
# "what period/timescale does it cover?": a length of time answers as well as dates do
_SPAN_NOUNS = frozenset({"period", "timescale", "timeframe", "duration", "length", "term", "lifetime"})


@dataclass
class ShortAnswer:
    part: Part
    candidate: Candidate
    spans: list[TypedSpan]
    relation: float  # 1.0 = next to the focus in the parse, lower = further away
    score: float
    phrase: float = 0.0  # share of the focus's words in the phrase the span belongs to ("children's homes")
    agreement: int = 1  # papers giving the same value
    alternatives: list[tuple[Candidate, TypedSpan, float]] = field(default_factory=list)
    # for a person asked for by role, the sentence of the same paper naming them in it, when the answer's does not
    role_from: Candidate | None = None
    # "which councillors spoke ...?": the other sentences of the same paper naming others in the role
    more: list[Candidate] = field(default_factory=list)

    @property
    def text(self) -> str:
        return ", ".join(s.text for s in self.spans)

    @property
    def shown(self) -> str:
        """The answer as a person reads it: a figure with the words that qualify it in its sentence ("more than
        100", "nearly 40%"), so that an estimate or a bound is never given as an exact count."""
        return ", ".join(_qualified(self.candidate.sentence, s) for s in self.spans)


# words before a figure that make it a bound or an estimate ("more than 100 compliments", "nearly 40%")
_QUALIFIER = re.compile(
    r"\b(?:(?:just|well)\s+)?(?:more\s+than|over|fewer\s+than|less\s+than|almost|nearly|around|"
    r"approximately|roughly|at\s+least|up\s+to|in\s+excess\s+of|upwards\s+of|close\s+to)\s+$",
    re.I,
)


def _qualified(sentence: str, span: TypedSpan) -> str:
    if span.kind not in _FIGURES or sentence[span.start : span.end] != span.text:
        return span.text
    m = _QUALIFIER.search(sentence[: span.start])
    return f"{m.group().strip().lower()} {span.text}" if m else span.text


# below this period fit (`candidates._period_fit`: the sentence names another period, or its paper names only
# others), a sentence's figure does not answer a question about a named year or financial year
PERIOD_BAR = 0.55
_FIGURES = frozenset({AnswerType.NUMBER, AnswerType.MONEY, AnswerType.PERCENTAGE})
_COUNTS = frozenset({AnswerType.NUMBER, AnswerType.PERCENTAGE})  # a count, or its share ("82 (26%)")
# answers that belong to a time: a figure, or a grade (an inspection's), asked for a year must be dated in it
_DATED_ANSWERS = _FIGURES | {AnswerType.JUDGEMENT}


def find(
    analysis: QuestionAnalysis,
    part: Part,
    candidates: Sequence[Candidate],
    passage_doc_ids: Sequence[str],
    not_answers: Sequence[str] = (),
    allowed: Callable[[Candidate], bool] | None = None,
    passage_dates: Sequence[dt.date | None] = (),
) -> ShortAnswer | None:
    """The best span answering `part` among `candidates` (scored, best first), or None when no shortlisted
    sentence holds a span of the wanted type. `not_answers` are names that cannot be the answer (the council
    the question is about is not the organisation it asks for). With `passage_dates` (each passage's date), a
    question about the future ("when will ...", "the next ...") is not answered with a date that had passed
    when its paper was written."""
    wanted = _ACCEPTS.get(part.answer_type)
    if wanted is None:
        return None
    spans_time = part.focus is not None and part.focus.head in _SPAN_NOUNS
    if _of_the_others(part):
        # "how many complaints ..., and how many were upheld?": "45 per cent were upheld" answers the second part
        wanted = wanted | {AnswerType.PERCENTAGE}
    if part.answer_type == AnswerType.DATE and (spans_time or analysis.future):
        # "what period does the plan cover?" — "18-24 months"; "when will Ofsted visit?" — "within 18 months";
        # but "when was it published?" is not answered by "a number of years"
        wanted = wanted | {AnswerType.DURATION}
    if part.answer_type == AnswerType.PERSON and not (
        part.focus is not None and lexicon().within("person", part.focus.core)
    ):
        # "who did the inspection find failures in?" may be a body (marked down below); "who is the director?"
        # names a role people hold, and only a person answers it
        wanted = wanted | {AnswerType.ORGANISATION}
    shortlist = ranked_for(part, candidates)
    parse_many(
        [c.sentence for c in shortlist], lemmas=True
    )  # one batch, cached: the privacy check below reuses the parses
    if allowed is not None:  # a sentence naming a private individual is never shown
        shortlist = [c for c in shortlist if allowed(c)]
    if not shortlist:
        return None
    docs = parse_many([c.sentence for c in shortlist])
    asked = analysis.text.lower()
    # the long forms of the question's acronyms: "the Written Statement of Action" is what "the WSoA" asks about
    spelt = {" ".join(e.lower().split()) for e in expansions(analysis.text)}
    asked_spans = typed_spans(analysis.text)
    asked_values = {sp.value for sp in asked_spans}
    # "when was Islington first rated outstanding?": the grade named is part of the event asked about
    asked_grades = (
        set()
        if part.answer_type == AnswerType.JUDGEMENT
        else {sp.value for sp in asked_spans if sp.kind == AnswerType.JUDGEMENT}
    )
    excluded = [n.lower() for n in not_answers if n]
    focus_stems = relation_terms(part)
    deadline = part.focus is not None and part.focus.head in lexicon().classes["deadline_words"]
    # "on what exact date ...?", "the precise date": only a date to the day answers
    exact = part.answer_type == AnswerType.DATE and bool(_EXACT.search(analysis.text))
    # "when was the 2023 ILACS carried out?": a date in another year is another event's ("since the last
    # inspection in 2019")
    named_years = (
        set(_YEAR_WRITTEN.findall(part.focus.text))
        if part.answer_type == AnswerType.DATE and part.focus is not None
        else set()
    )
    if named_years:  # "meetings for 2024-25": 2025 is asked too
        named_years |= {str(y) for y in analysis.years}
        if analysis.period is not None:
            named_years |= {str(y) for y in range(analysis.period.start.year, analysis.period.end.year + 1)}
    scored: list[tuple[float, float, Candidate, TypedSpan]] = []
    role_word = _role_asked(part)
    roles = _role_forms(part, role_word)
    event_verbs = {stem(v) for v in analysis.verbs} if part.answer_type == AnswerType.DATE else set()
    done = _undergoing(part) if part.answer_type == AnswerType.NUMBER else None
    undergone = _stems_of(done)
    partly = done is not None and _in_part(done)  # "how many were partially upheld?"
    narrowed = _narrowed_by(part, analysis) if part.answer_type in _FIGURES else set()
    # "..., and how many went to Stage 2?": a part counting the things another part named, by what became of
    # them, is answered by a sentence saying some of its own words, not by the other part's count
    own = part.terms - part.focus.terms if analysis.multipart and part.focus and borrowed(part) else set()
    # the verb the count is asked with: "led" in "how many led to an ICPC?", "investigate" in "how many did the
    # Ombudsman investigate?" ("received 88 complaints and investigated 18": 18)
    own_verbs = _verbs_of(part) if part.answer_type == AnswerType.NUMBER else set()
    of_what = _role_of(part) if roles else frozenset()
    in_role = _named_in_role(shortlist, docs, roles, role_word, passage_doc_ids, of_what)
    for cand, doc in zip(shortlist, docs, strict=True):
        # "who is the director?": a sentence naming someone in another role does not answer it, unless its paper
        # says elsewhere that they hold the role ("the councillor in charge, Timothy Wilson" ... "said Timothy
        # Wilson, who oversees the service")
        role_said = not roles or _says_role(cand, roles, role_word, doc, of_what)
        if not role_said and not in_role.get(_doc_of(cand, passage_doc_ids)):
            continue
        if part.answer_type in _DATED_ANSWERS and cand.dated < PERIOD_BAR:
            continue  # a figure or grade for the period asked must be dated in it: neither sentence nor paper is
        every = typed_spans(cand.sentence, doc)
        if (
            part.answer_type == AnswerType.ORGANISATION
            and part.focus is not None
            and doc.text == cand.sentence
        ):
            # "which team deals with exploitation?": "the dedicated Sunrise team" names one, tagged or not
            every += [
                s
                for s in instance_spans(doc, part.focus.head)
                if not any(e.kind == s.kind and e.start <= s.start and s.end <= e.end for e in every)
            ]
        if narrowed and not narrowed & (cand.words | cand.heading):
            continue  # "complaints about SEND": a figure for all complaints ("we dealt with 89") is not it
        if own and not _says_own(own, cand):
            continue
        said = {s.value for s in every if s.kind == AnswerType.JUDGEMENT}
        if asked_grades and said and not said & asked_grades:
            continue  # "rates the same service as 'Good' in 2017" dates another grade, not 'outstanding'
        spans = [s for s in every if s.kind in wanted and not _inside_a_measure(s, every)]
        if not role_said:
            held = in_role[_doc_of(cand, passage_doc_ids)]
            spans = [s for s in spans if s.kind == AnswerType.PERSON and _surname(s.text) in held]
        elif roles and part.answer_type == AnswerType.PERSON:
            spans = _in_the_role(cand.sentence, spans, roles)
        written = passage_dates[cand.passage_index] if cand.passage_index < len(passage_dates) else None
        for span in spans:
            if analysis.future and written is not None and _passed(span, written):
                continue  # "when will it be inspected?": not the previous inspection's dates
            if exact and (span.kind != AnswerType.DATE or _specificity(span) < 1.0):
                continue  # "on what exact date ...?": "October" does not say, nor "within 18 months"
            if (
                span.kind == AnswerType.DATE
                and analysis.years
                and cand.dated < PERIOD_BAR
                and not _YEAR_WRITTEN.search(span.text)
            ):
                continue  # "the dates of the 2019 inspection": "17 to 28 July" in a paper of 2023 is not them
            if (
                span.kind == AnswerType.DATE
                and _specificity(span) <= _DEICTIC
                and not relative_dates.day_known(written)
            ):
                continue  # "today", "on Thursday" in a paper with no date, or dated by its year alone, says none
            if span.kind == AnswerType.DATE and relative_dates.unresolved(span.text, written):
                continue  # "July this year" in a paper with no date says no year
            if (
                named_years
                and span.kind == AnswerType.DATE
                and (years := set(_YEAR_WRITTEN.findall(span.value)))
                and not years & named_years
            ):
                continue
            if span.kind == AnswerType.ORGANISATION and lexicon().within("person", span.text.lower()):
                continue  # "the DCS", "the Principal Social Worker": a role, not a body
            if _stated_in_question(span, asked) or span.value in asked_values:
                continue
            if _DETERMINER.sub("", " ".join(span.text.lower().split())) in spelt:
                continue
            if span.kind == AnswerType.ORGANISATION and _the_council(span.text, excluded):
                continue  # the council asked about is not the body it asks for; "Blackpool Families Rock" may be
            relation = span_relation(doc, span, focus_stems, cand.sentence, _stands_in(cand, focus_stems))
            if span.kind == AnswerType.PERSON and roles:
                post = _own_role(cand.sentence, span, spans)
                if any(r <= content_words(post) for r in roles):
                    # "the Under-Secretary of State, Nadhim Zahawi": named in the post asked
                    relation = max(relation, OWN_ROLE_RELATION)
                    if _FORMER.search(post) and not _FORMER.search(analysis.text):
                        relation *= FORMER_HOLDER  # "Ian Thomas, who had been director ...": not the one then
            if _counts_a_change(doc, span, asked):
                if analysis.verbs and not {stem(v) for v in analysis.verbs} & _said(doc):
                    continue  # "an additional 22 social workers" says nothing of how many "does Bury employ"
                relation *= 0.5  # "10 *more* foster carers" does not say how many there are
            if part.answer_type == AnswerType.NUMBER and (
                (span.kind == AnswerType.NUMBER and _counts_another_thing(doc, span, part, cand.words))
                or (span.kind in _COUNTS and _undergoes_another(doc, span, undergone, partly))
                or (span.kind == AnswerType.PERCENTAGE and _share_of_a_count(cand.sentence, span, every))
            ):
                continue  # "4.4 upheld *decisions*" is no "average *caseload*"; "31 were received" no "upheld"
            if part.answer_type == AnswerType.ORGANISATION and part.focus is not None:
                # "which board ...": a name with "Board" in it answers it; another body's name does not
                relation = 1.0 if part.focus.head in span.text.lower() else relation * 0.5
            score = cand.score * (0.45 + 0.55 * relation) * (1.0 if spans_time else _specificity(span))
            if analysis.multipart and part.terms:
                score *= _own_share(part, cand)  # "... and how many were upheld?": a sentence saying "upheld"
            # "1,280 investigations were initiated ... with 424 leading to an ICPC": 424 led to one
            if own_verbs and own_verbs & _governing(doc, span):
                score *= OWN_VERB
            if deadline and span.kind == AnswerType.DATE:
                score *= DEADLINE_MARKED if _marked_as_deadline(cand.sentence, span) else 1.0
            if part.answer_type == AnswerType.PERSON and span.kind == AnswerType.ORGANISATION:
                score *= BODY_FOR_PERSON
            if part.answer_type == AnswerType.NUMBER and span.kind == AnswerType.PERCENTAGE:
                score *= SHARE_FOR_COUNT
            scored.append((score, relation, cand, span))
    quoted: dict[int, Candidate] = {}  # the speaker's sentence -> the quotation it introduces
    if part.answer_type == AnswerType.PERSON:
        for cand, speaker, span in _speakers(shortlist, docs, candidates, allowed):
            if _stated_in_question(span, asked) or (roles and not _says_role(speaker, roles, role_word)):
                continue
            quoted[id(speaker)] = cand
            scored.append((cand.score * (0.45 + 0.55 * SPEAKER_RELATION), SPEAKER_RELATION, speaker, span))
    if not scored:
        return None
    if event_verbs:
        scored = _by_event_verb(scored, event_verbs, docs, shortlist)
    if part.answer_type == AnswerType.CONTACT and (asked_kind := _contact_kind_asked(analysis.text)):
        # "where can I write to?": an address, when one is found, not the phone number beside it
        scored = [item for item in scored if _contact_kind(item[3]) == asked_kind] or scored
    if part.answer_type == AnswerType.ORGANISATION and part.focus is not None:
        # "which board oversees the plan?": when a name of a board is found, another body's name does not answer
        of_kind = [item for item in scored if part.focus.head in item[3].text.lower()]
        scored = of_kind or scored
    # equal scores: the span from the passage retrieval ranked higher (the same date in two papers' words)
    scored.sort(key=lambda item: (item[0], -item[2].passage_index), reverse=True)
    if analysis.earliest and part.answer_type == AnswerType.DATE:
        scored = _earliest_first(scored)
    elif part.answer_type == AnswerType.DATE:
        scored = _more_exact_first(scored)
    best_score, best_relation, best_cand, best_span = scored[0]
    spans = [best_span]
    if part.answer_type in _LIST_KINDS or part.answer_type == AnswerType.DATE:
        for score, relation, cand, span in scored[1:]:
            if (
                cand is best_cand
                and not any(span.overlaps(s) for s in spans)
                and relation >= 0.8 * best_relation
            ):
                if part.answer_type == AnswerType.DATE and score < 0.95 * best_score:
                    continue
                spans.append(span)
            if len(spans) >= 4:
                break
        spans.sort(key=lambda s: s.start)
    more: list[Candidate] = []
    if _asks_for_several(part) and part.answer_type == AnswerType.PERSON:
        # "which councillors spoke for the council?": others the same paper names in the role, nearly as well
        best_doc_id = _doc_of(best_cand, passage_doc_ids)
        for score, _, cand, span in scored[1:]:
            if (
                len(spans) < 4
                and span.kind == AnswerType.PERSON
                and cand is not best_cand
                and _doc_of(cand, passage_doc_ids) == best_doc_id
                and score >= SEVERAL_SHARE * best_score
                and _surname(span.text) not in {_surname(s.text) for s in spans}
                and (not roles or _says_role(cand, roles, role_word, docs[shortlist.index(cand)], of_what))
            ):
                spans.append(span)
                if cand not in more:
                    more.append(cand)
    values = {s.value for s in spans}
    agreeing = {
        passage_doc_ids[c.passage_index]
        for _, _, c, s in scored
        if s.value in values and c.score >= 0.6 * best_cand.score
    }
    best_doc = docs[shortlist.index(best_cand)]
    role_said = not roles or _says_role(best_cand, roles, role_word, best_doc, of_what)
    held = in_role.get(_doc_of(best_cand, passage_doc_ids), {})
    return ShortAnswer(
        part,
        best_cand,
        spans,
        best_relation,
        best_score,
        phrase=_phrase_match(best_doc, best_span, part),
        agreement=len(agreeing),
        alternatives=[(c, s, sc) for sc, _, c, s in scored[1:6]],
        role_from=quoted.get(id(best_cand)) or (None if role_said else held.get(_surname(best_span.text))),
        more=more,
    )


_COUNCIL_WORDS = frozenset(
    {
        "council",
        "borough",
        "city",
        "county",
        "metropolitan",
        "district",
        "authority",
        "local",
        "london",
        "royal",
        "of",
        "the",
        "and",
        "&",
    }
)


def _the_council(name: str, places: Sequence[str]) -> bool:
    """Whether a body's name is one of `places` (lower case) itself or its council ("Blackpool", "Blackpool
    Council", "the London Borough of Lewisham"), not a body named after the place ("Blackpool Families Rock")."""
    words = re.findall(r"[a-z&]+", re.sub(r"['’]s\b", "", name.lower()))
    for place in places:
        own = re.findall(r"[a-z&]+", place)
        for i in range(len(words) - len(own) + 1):
            if words[i : i + len(own)] == own and set(words[:i] + words[i + len(own) :]) <= _COUNCIL_WORDS:
                return True
    return False


def _asks_for_several(part: Part) -> bool:
    """Whether the thing asked for is plural ("which *councillors* ...", "who were the inspectors?")."""
    token = part.focus.token if part.focus is not None else None
    return token is not None and token.tag_ in {"NNS", "NNPS"}


def _of_the_others(part: Part) -> bool:
    """A count asked of what an earlier part counted ("and how many were upheld?"): its focus is not in its
    own words but carried from the part before."""
    return (
        part.answer_type == AnswerType.NUMBER
        and part.focus is not None
        and part.focus.text.lower() not in part.text.lower()
    )


def _says_role(
    cand: Candidate,
    roles: Sequence[frozenset[str]],
    role_word: str,
    doc: Any = None,
    of_what: frozenset[str] = frozenset(),
) -> bool:
    """Whether the sentence names the role asked for. Given its parse and what the role asked for is of ("director
    of *children's services*"), a sentence whose every mention of the role is of something else ("Ofsted's
    national director *of social care*") names another role."""
    if not (
        any(r <= cand.words for r in roles)
        or role_word.upper() in cand.sentence
        # "Vice-chair Maria Joannou (Lab) said": a party's elected member is a councillor
        or (role_word in _elected() and names_a_party_member(cand.sentence))
    ):
        return False
    if doc is None or not of_what:
        return True
    complements = [_role_complement(tok) for tok in doc if stem(tok.text) == role_word]
    return not complements or any(not c or c & of_what for c in complements)


@cache
def _elected() -> frozenset[str]:
    return frozenset(stem(w) for w in lexicon().classes["elected_member_words"])


_ROLE_PREPS = frozenset({"of", "for"})
_SEGMENT = re.compile(r"[,;:()“”\"]")
# words straight after a name that may be their post ("Nadhim Zahawi MP", "Jo Bell Director of")
_TITLE_AFTER = 3


def _in_the_role(sentence: str, spans: list[TypedSpan], roles: Sequence[frozenset[str]]) -> list[TypedSpan]:
    """Of several people a sentence names, those named in the role asked for, when some are ("In a letter to
    council leader Daniel Yates, the Under-Secretary of State, Nadhim Zahawi MP, ...": the minister is Zahawi)."""
    people = [s for s in spans if s.kind == AnswerType.PERSON]
    if len(people) < 2:
        return spans
    holders = [s for s in people if any(r <= content_words(_own_role(sentence, s, people)) for r in roles)]
    if not holders:
        return spans
    return [s for s in spans if s.kind != AnswerType.PERSON or s in holders]


def _own_role(sentence: str, span: TypedSpan, people: Sequence[TypedSpan]) -> str:
    """The words naming a person's post next to their name: before it in the same clause ("council leader Daniel
    Yates"), or set off just before or after it ("the Under-Secretary of State, Nadhim Zahawi MP", "Jane Okafor,
    Director of Children's Services,"); words set off between two names go with the name after them."""
    before = _SEGMENT.split(sentence[: span.start])
    own = before[-1]
    if not own.strip() and len(before) > 1:
        own = before[-2]  # "<post>, <name>"
    after = sentence[span.end :]
    if after.lstrip().startswith("("):
        own += " " + after.lstrip()[1:].split(")")[0]  # "Sue O'Brien (Complaints Manager)"
    elif after.startswith(","):
        post = _SEGMENT.split(after[1:])[0]  # "<name>, <post>,"
        end = span.end + 1 + len(post)
        if not any(
            span.end < p.start < end
            or (p.start >= end and not _SEGMENT.sub("", sentence[end : p.start]).strip())
            for p in people
        ):
            own += " " + post
    else:
        own += " " + " ".join(_SEGMENT.split(after)[0].split()[:_TITLE_AFTER])  # "Nadhim Zahawi MP"
    return own


def _role_complement(role: Any) -> set[str]:
    """The words of what a role noun is of ("director *of social care*", "Director *for Children's Services*")."""
    return {
        stem(t.text)
        for prep in role.children
        if prep.dep_ == "prep" and prep.lower_ in _ROLE_PREPS
        for t in prep.subtree
        if t.i != prep.i and not t.is_stop and t.is_alpha
    }


def _doc_of(cand: Candidate, passage_doc_ids: Sequence[str]) -> str:
    return passage_doc_ids[cand.passage_index] if cand.passage_index < len(passage_doc_ids) else ""


def _surname(name: str) -> str:
    return name.split()[-1].lower().strip(".,’'") if name.split() else ""


def _named_in_role(
    shortlist: Sequence[Candidate],
    docs: Sequence[Any],
    roles: Sequence[frozenset[str]],
    role_word: str,
    passage_doc_ids: Sequence[str],
    of_what: frozenset[str] = frozenset(),
) -> dict[str, dict[str, Candidate]]:
    """Per paper, the surnames of the people its shortlisted sentences name in the role asked for, each with the
    first such sentence."""
    held: dict[str, dict[str, Candidate]] = {}
    if not roles:
        return held
    for cand, doc in zip(shortlist, docs, strict=True):
        if _says_role(cand, roles, role_word, doc, of_what):
            for span in typed_spans(cand.sentence, doc):
                if span.kind == AnswerType.PERSON:
                    held.setdefault(_doc_of(cand, passage_doc_ids), {}).setdefault(_surname(span.text), cand)
    return held


OWN_ROLE_RELATION = 0.9  # a person named with the post asked for next to their name
FORMER_HOLDER = 0.5  # ... as its former holder ("who had been director", "the former chair")
_FORMER = re.compile(r"\b(?:former|previous|ex-|outgoing|retiring|retired|predecessor|had\s+been)\b", re.I)
SPEAKER_RELATION = 0.8  # a speaker named in the sentence introducing the quotation that answers


_OPENS = ("“", '"', "‘")
_SAYING = re.compile(
    r"\b(?:said|says|added|asked|told|explained|commented|stated)\b[^“\"]{0,20}[:,]?\s*[“\"]\s*\S"
)


def _speakers(
    shortlist: Sequence[Candidate],
    docs: Sequence[Any],
    candidates: Sequence[Candidate],
    allowed: Callable[[Candidate], bool] | None,
) -> list[tuple[Candidate, Candidate, TypedSpan]]:
    """ "Who said it made grim reading?": for a shortlisted sentence inside a quotation that names no one
    ("“Some of this does make grim reading."), the sentence introducing the quotation ("Vice-chair Maria
    Joannou said: “Why has it taken ...?") and the person it names; the quotation's sentences between them open
    with a quotation mark too."""
    by_place = {(c.passage_index, c.position): c for c in candidates}
    out = []
    for cand, doc in zip(shortlist, docs, strict=True):
        if not cand.sentence.startswith(_OPENS) or any(
            s.kind == AnswerType.PERSON for s in typed_spans(cand.sentence, doc)
        ):
            continue
        for back in range(1, 6):
            before = by_place.get((cand.passage_index, cand.position - back))
            if before is None:
                break
            said = _SAYING.search(before.sentence)
            if said is not None:
                if allowed is None or allowed(before):
                    out += [
                        (cand, before, s)
                        for s in typed_spans(before.sentence, parse_many([before.sentence])[0])
                        if s.kind == AnswerType.PERSON and s.start < said.start()
                    ][-1:]  # the name nearest the verb of saying
                break
            if not before.sentence.startswith(_OPENS):
                break
    return out


def _undergone(part: Part) -> set[str]:
    """The stems of what a count asks to have been done to the things counted, in the passive, within its own part
    of the question ("how many of the complaints *were upheld*?": "uphold"; "how many did it get, and how many
    were upheld?": the first part's count is of none); empty for any other count."""
    return _stems_of(_undergoing(part))


def _stems_of(verb: Any) -> set[str]:
    return set() if verb is None else {stem(verb.lower_), stem(verb.lemma_.lower())}


def undergone_words(part: Part) -> str:
    """What a count asks to have been done to the things counted, as asked ("upheld", "partially upheld"), for
    the answer's label ("Number of complaints upheld"); "" for any other count."""
    verb = _undergoing(part)
    if verb is None:
        return ""
    return " ".join(t.text for t in sorted([*(c for c in verb.children if c.lower_ in _PARTLY), verb]))


def _says_own(own: AbstractSet[str], cand: Candidate) -> bool:
    """Whether a sentence says some of a part's own words, a body's acronym also by the word it is called by
    ("how many went to the LGSCO?": "three more were made to the Local Government Ombudsman")."""
    words = cand.words | cand.heading
    return bool(own & words) or any(_BODY_CALLED.get(t) in words for t in own)


_BODY_CALLED = {stem(body.lower()): stem(called.lower()) for body, called in BODIES.items()}


def _in_question(part: Part) -> tuple[Any, int, int] | None:
    """The part's focus as a token of the question's parse, and where the part's words are in that question
    (start -1 when they are not: a follow-up's focus borrowed from the question before); None without one."""
    token = part.focus.token if part.focus is not None else None
    if token is None:
        return None
    start = token.doc.text.find(part.text)
    return token, start, start + len(part.text)


def _verbs_of(part: Part) -> set[str]:
    """The stems of the verbs a part asks with (word and lemma: "led", "lead"); not a verb describing a noun
    ("how many of the areas *inspected* ... got positive outcomes?" asks with "got", a light verb: none)."""
    where = _in_question(part)
    if where is None or where[1] < 0:
        return set()
    token, start, end = where
    verbs = [
        t
        for t in token.doc
        if t.pos_ == "VERB"
        and start <= t.idx < end
        and t.dep_ not in {"acl", "relcl", "amod", "prep"}  # nor one used as a preposition ("according to")
        and t.lemma_.lower() not in lexicon().classes["light_verbs"]
    ]
    return set().union(*map(_stems_of, verbs))


def _governing(doc: Any, span: TypedSpan) -> set[str]:
    """The stems of the verbs a figure goes with: the nearest verb above it ("1,280 investigations were
    *initiated*", "*investigated* 18 complaints listed under ...") and a verb its noun heads ("424 *leading* to
    ...")."""
    tok = next((t for t in doc if span.start <= t.idx < span.end), None)
    if tok is None:
        return set()
    noun = tok.head if tok.dep_ == "nummod" else tok
    verbs = [c for c in noun.children if c.dep_ in {"acl", "relcl"} and c.pos_ == "VERB"]
    up = noun
    while up.head.i != up.i and up.pos_ != "VERB":
        up = up.head
    verbs += [up] if up.pos_ == "VERB" else []
    return set().union(*map(_stems_of, verbs))


def borrowed(part: Part) -> bool:
    """Whether the part's focus was named by another part ("how many complaints ..., and how many were
    upheld?": the second part's "complaints")."""
    where = _in_question(part)
    if where is None or where[1] < 0:
        return False
    token, start, end = where
    return not start <= token.idx < end


def _undergoing(part: Part) -> Any:
    """The passive verb of `_undergone`, as a token of the question's parse."""
    where = _in_question(part)
    if where is None:
        return None
    token, start, end = where
    doc = token.doc
    if start < 0:  # a follow-up's focus borrowed from the question before ("how many of those were upheld?")
        doc, start, end = parse(part.text), 0, len(part.text)
    own = doc is token.doc and start <= token.idx < end
    for tok in doc:
        verb = tok.head
        if (
            tok.dep_ == "auxpass"
            and verb.pos_ == "VERB"
            and start >= 0
            and start <= verb.idx < end
            and (
                token in verb.subtree or not own
            )  # a focus borrowed from another part ("and how many were ...")
            and verb.lemma_.lower() not in lexicon().classes["light_verbs"]
        ):
            return verb
    return None


# a figure going with the verb a count is asked with ("how many did the Ombudsman investigate?")
OWN_VERB = 1.15
_PARTLY = frozenset({"partially", "partly"})
_LOOSE = frozenset({"meta", "dep", "npadvmod"})  # how the parser may attach a figure it could not place


def _share_of_a_count(sentence: str, span: TypedSpan, every: Sequence[TypedSpan]) -> bool:
    """ "52 (16%) were upheld": the share in brackets after a count, for a question asking how many (the count
    answers it)."""
    before = sentence[: span.start].rstrip()
    return before.endswith("(") and any(
        s.kind == AnswerType.NUMBER and s.end <= len(before) and not before[s.end : -1].strip() for s in every
    )


def _in_part(verb: Any) -> bool:
    return any(c.dep_ == "advmod" and c.lower_ in _PARTLY for c in verb.children)


def _undergoes_another(doc: Any, span: TypedSpan, undergone: set[str], partly: bool) -> bool:
    """Whether a number counts things that had something else done to them: "a total of 31 complaints *were
    received*", "the 16 complaints *not considered* for investigation" for "how many were upheld?" (or
    "investigated"); a number whose things undergo nothing said, in a sentence never saying the question's
    verb, counts something else too ("one of the initial 15 complaints progressed ...")."""
    if not undergone:
        return False
    light = lexicon().classes["light_verbs"]
    for tok in doc:
        if span.start <= tok.idx < span.end:
            noun = tok.head if tok.dep_ == "nummod" else tok
            if noun.dep_ == "appos" and noun.head.like_num:
                noun = noun.head  # "82 (26%) complaints were ...": the share is the count's
            # "a total of 31 (complaints)": what is done is done to the total
            if (
                noun.dep_ == "pobj"
                and noun.head.lower_ == "of"
                and (noun is tok or noun.head.head.lemma_.lower() in lexicon().classes["count_words"])
            ):
                noun = noun.head.head
            verbs = [noun.head] if noun.dep_ == "nsubjpass" else []
            if noun.dep_ in _LOOSE and any(c.dep_ == "auxpass" for c in noun.head.children):
                verbs = [noun.head]  # "82 (26%) complaints were partially upheld", the figure parsed loose
            verbs += [c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"]
            # "partially or fully upheld": a verb joined on with no subject of its own shares the number's
            verbs += [
                c
                for v in verbs
                for c in v.children
                if c.dep_ == "conj" and not any(g.dep_ in {"nsubj", "nsubjpass"} for g in c.children)
            ]
            verbs = [v for v in verbs if v.pos_ == "VERB" and v.lemma_.lower() not in light]
            # "one was *not* investigated" is no count of those investigated, nor "partially upheld" (unless asked)
            if verbs:
                return not any(
                    _stems_of(v) & undergone
                    and not any(c.dep_ == "neg" for c in v.children)
                    and _in_part(v) == partly
                    for v in verbs
                )
            whole = noun
            while whole.dep_ in {"compound", "nmod", "amod"} and whole.head.i != whole.i:
                whole = whole.head  # "the 111 *stage* 1 complaints": the phrase's head
            if (
                whole.dep_ == "pobj"
                and whole.head.lower_ == "of"
                and whole.head.head.pos_ in {"VERB", "AUX", "NUM"}
            ):
                return True  # "Of the 111 stage 1 complaints, 15 were upheld": the whole they are taken from
            return not undergone & _said(doc)
    return False


def _said(doc: Any) -> set[str]:
    """The stems of a sentence's words and of their lemmas ("lifted": "lift"); not of acronyms ("SEND")."""
    words = [t for t in doc if not (t.is_upper and len(t) > 1)]
    return {stem(t.lower_) for t in words} | {stem(t.lemma_.lower()) for t in words}


def _by_event_verb(
    scored: list[tuple[float, float, Candidate, TypedSpan]],
    verbs: set[str],
    docs: Sequence[Any],
    shortlist: Sequence[Candidate],
) -> list[tuple[float, float, Candidate, TypedSpan]]:
    """ "When was the notice lifted?": where some sentence giving a date uses the question's verb, a date from a
    sentence that does not ("Improvement notice issued ...: March 2022") is marked down as another event's. Where
    none does, the papers put it in other words ("submitted" for "send") and nothing changes."""
    says = {id(c) for c, doc in zip(shortlist, docs, strict=True) if verbs & _said(doc)}
    if not any(id(c) in says for _, _, c, _ in scored):
        return scored
    return [
        (score if id(c) in says else score * VERB_MISSED, relation, c, span)
        for score, relation, c, span in scored
    ]


def _more_exact_first(
    scored: list[tuple[float, float, Candidate, TypedSpan]],
) -> list[tuple[float, float, Candidate, TypedSpan]]:
    """The best date, said more exactly: a date or range to the day within the best month or year found ("13 May to
    15 May 2019" within "May 2019"), from a sentence scoring nearly as well, comes first."""
    best = scored[0]
    prefix = _period_prefix(best[3].value)
    if not prefix:
        return scored
    for item in scored[1:]:
        ends = item[3].value.split("..")  # "date:2019-05-13..date:2019-05-15"
        if (
            item[0] >= MORE_EXACT * best[0]
            and all(v.startswith("date:") for v in ends)
            and all(v.removeprefix("date:").startswith(prefix) for v in ends)
        ):
            return [item, *(i for i in scored if i is not item)]
    return scored


def _period_prefix(value: str) -> str:
    """ "2019-05" of "month_year:2019-05", "2019" of "year:2019"; "" for a date to the day or anything else."""
    for kind in ("month_year:", "year:"):
        if value.startswith(kind) and ".." not in value:
            return value.removeprefix(kind)
    return ""


def _stands_in(cand: Candidate, focus_stems: frozenset[str]) -> bool:
    """Whether a sentence's pronoun subject may stand for the focus: the sentence continues the one before
    (`candidates.continues`), which names the focus (the candidate's words include the sentence before's)."""
    return continues(cand.sentence) and bool((focus_stems & cand.words) - content_words(cand.sentence))


def _counts_another_thing(doc: object, span: TypedSpan, part: Part, words: set[str] | frozenset[str]) -> bool:
    """Whether a number in a sentence (of stems `words`) counts something other than what is asked.

    For a count ("how many children's case records"), the noun the number modifies must be one of the question's
    words ("over 240 children" counts the records' children; "177 transactions" is no count of complaints). For
    a measure ("the average caseload for a social worker"), the sentence must name the measure ("the average
    ... is 4.4 upheld decisions" does not), and the number must not count whom the measure is of ("22 social
    workers" is no caseload; "17 children" is one, even for "a children's social worker")."""
    focus = part.focus
    lex = lexicon()
    if focus is None or focus.head in lex.classes["general_counts"]:
        return False  # "how many people": "300 children" are people
    own = content_words(focus.core) | {stem(focus.head)}
    counted = _counted(doc, span)
    if lex.has("number", focus.head) and focus.head not in lex.classes["count_words"]:
        if stem(focus.head) not in words:
            return True
        return bool(counted & _holders(focus))
    return bool(counted) and not counted & (own | focus.terms | _possessors(focus))


# a word narrowing what is counted is one no rarer than this (not "children's services")
QUALIFIER_WEIGHT = 1.0


def _narrowing_preps(focus: Focus | None) -> list[Any]:
    """The prepositions narrowing the thing asked for (`narrowing_preps`: "complaints *about* SEND services")."""
    token = focus.token if focus is not None else None
    if token is None:
        return []
    preps = lexicon().classes["narrowing_preps"]
    return [prep for prep in token.children if prep.dep_ == "prep" and prep.lower_ in preps]


def narrowing(focus: Focus | None) -> str:
    """The words narrowing the thing asked for, as written ("about SEND services"), or ""."""
    return " ".join("".join(t.text_with_ws for t in prep.subtree).strip() for prep in _narrowing_preps(focus))


def _narrowed_by(part: Part, analysis: QuestionAnalysis) -> set[str]:
    """The stems of what narrows the thing a figure is asked of ("complaints *about SEND services*", "complaints
    *from parents*"), rare words only: a figure for the whole ("89 complaints") does not answer it unless its
    sentence, or its paper's title or section, names one of them."""
    return {
        s
        for prep in _narrowing_preps(part.focus)
        for obj in prep.children
        if obj.dep_ in {"pobj", "pcomp"}  # "about fostering": a gerund
        for t in obj.subtree
        if t.pos_ in {"NOUN", "PROPN", "ADJ", "VERB"}
        and (s := stem(t.lower_)) in analysis.key_terms
        and analysis.weights.get(s, 1.0) >= QUALIFIER_WEIGHT
    }


def _holders(focus: Focus) -> set[str]:
    """The stem of whom or what a measure is of ("the average caseload *for a social worker*": "worker")."""
    return set() if focus.token is None else _objects_of(focus.token, {"of", "for", "per"})


def _possessors(focus: Focus) -> set[str]:
    """The stems of whose the thing asked about is ("*children's* case records")."""
    if focus.token is None:
        return set()
    return {stem(t.lower_) for c in focus.token.children if c.dep_ == "poss" for t in c.subtree if t.is_alpha}


def _counted(doc: object, span: TypedSpan) -> set[str]:
    """The stems of the nouns a number counts: the noun it modifies ("240 *children*") and, when that noun
    modifies another, the phrase's head too ("90 *children's* social care *complaints*"); the noun a bare
    number is the size of ("a *scale* of four", "an *increase* of 13"; not "a total of 31", whose number is
    what the total counts); none for a number that modifies no noun."""
    count_words = lexicon().classes["count_words"]
    for tok in doc:  # type: ignore[attr-defined]
        if not span.start <= tok.idx < span.end:
            continue
        if (
            tok.dep_ == "pobj"
            and tok.head.lower_ == "of"
            and tok.head.head.pos_ == "NOUN"
            and tok.head.head.lemma_.lower() not in count_words
        ):
            return {stem(tok.head.head.lower_), stem(tok.head.head.lemma_.lower())}
        if tok.dep_ == "nummod" and tok.head.pos_ == "NOUN":
            noun, out = tok.head, _of_what(tok.head)
            while True:
                out |= {stem(noun.lower_), stem(noun.lemma_.lower())}
                if noun.dep_ not in {"poss", "compound", "nmod", "amod"} or noun.head.i == noun.i:
                    return out
                noun = noun.head
    return set()


def _of_what(noun: Any) -> set[str]:
    """The stems of what a counted noun is made of ("three areas *of significant weakness*": the areas are
    weaknesses; "five members *of staff*")."""
    return _objects_of(noun, {"of"}, {"NOUN", "PROPN"})


def _objects_of(token: Any, preps: set[str], kinds: set[str] | None = None) -> set[str]:
    """The stems of the objects of `token`'s prepositions `preps` (of the parts of speech `kinds`, if given)."""
    return {
        stem(obj.lower_)
        for prep in token.children
        if prep.dep_ == "prep" and prep.lower_ in preps
        for obj in prep.children
        if obj.dep_ == "pobj" and (kinds is None or obj.pos_ in kinds)
    }


DEADLINE_MARKED = 1.4  # "what's the deadline ...?": a date the sentence marks as one ("by 5 November")


def _marked_as_deadline(sentence: str, span: TypedSpan) -> bool:
    """Whether the words just before the date mark it as a deadline ("by", "no later than": data)."""
    before = " ".join(sentence[: span.start].lower().split()[-3:])
    return any(before.endswith(m) for m in lexicon().classes["deadline_markers"])


EARLIEST_WITHIN = 0.8  # "when was it first ...": the earliest date among those scoring this share of the best


def _earliest_first(
    scored: list[tuple[float, float, Candidate, TypedSpan]],
) -> list[tuple[float, float, Candidate, TypedSpan]]:
    """ "When was Rochdale first given an improvement notice?": of the dates that answer about equally well
    ("issued in April 2013", "a revised notice was issued in April 2014"), the earliest leads."""
    best = scored[0][0]
    close = [item for item in scored if item[0] >= EARLIEST_WITHIN * best and _iso(item[3])]
    if not close:
        return scored
    first = min(close, key=lambda item: _iso(item[3]))
    return [first, *(item for item in scored if item is not first)]


def _iso(span: TypedSpan) -> str:
    """The date a span gives, as ISO text ("2013-04", "2025-11-05"), or "" when it is not a plain date."""
    return _plain_date(span.value)


def first_date(span: TypedSpan) -> str:
    """Where a date or range begins, as ISO text ("2023-10-30" of "30 October to 3 November 2023"), or ""."""
    return _plain_date(span.value.split("..")[0])


def _plain_date(value: str) -> str:
    """ "2013-04" of "month_year:2013-04", or "" for anything but one plain date ("year:", "month_year:", ...)."""
    _, _, iso = value.partition(":")
    return iso if re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", iso) else ""


def distinct(shorts: Sequence[ShortAnswer | None]) -> list[ShortAnswer | None]:
    """The parts of a multi-part question answered by different spans: "how many were in care, and how many on
    child protection plans?" is not answered "275" twice. When two parts found the same span, the part it fits
    better (nearer its focus, more of its words in the span's phrase) keeps it; the other takes its best
    alternative that no other part took, or is left not given."""
    if len(shorts) < 2:
        return list(shorts)
    out = list(shorts)
    for i, j in itertools.combinations(range(len(out)), 2):
        a, b = out[i], out[j]
        if a is None or b is None or a.candidate.sentence != b.candidate.sentence:
            continue
        if not any(x.overlaps(y) for x in a.spans for y in b.spans):
            continue
        lose = j if _fit(a) >= _fit(b) else i
        out[lose] = _next_best(out[lose], [s for k, x in enumerate(out) if k != lose and x for s in x.spans])
    return out


def _fit(short: ShortAnswer) -> tuple[float, float, float, float]:
    """How well a span answers its part: the share of the part's words its sentence holds, then nearness."""
    terms = short.part.terms | (short.part.focus.terms if short.part.focus else frozenset())
    covered = len(terms & short.candidate.words) / len(terms) if terms else 0.0
    return (covered, short.relation, short.phrase, short.score)


def _next_best(short: ShortAnswer | None, taken: Sequence[TypedSpan]) -> ShortAnswer | None:
    if short is None:
        return None
    for cand, span, score in short.alternatives:
        if span.value in {t.value for t in taken}:
            continue
        rest = [a for a in short.alternatives if a[1] is not span]
        return replace(short, candidate=cand, spans=[span], score=score, agreement=1, alternatives=rest)
    return None


def _inside_a_measure(span: TypedSpan, every: Sequence[TypedSpan]) -> bool:
    """A count inside a length of time or a date ("over the last *18* months", "children under *five* years
    old") is part of that measure, not a count of anything."""
    if span.kind != AnswerType.NUMBER:
        return False
    return any(
        o.kind in {AnswerType.DURATION, AnswerType.DATE} and o.start <= span.start and span.end <= o.end
        for o in every
    )


def _passed(span: TypedSpan, written: dt.date) -> bool:
    """Whether a date span had wholly passed by `written` ("13 to 15 May 2019" in a 2024 paper)."""
    if span.kind != AnswerType.DATE:
        return False
    last = span.value.split("..")[-1]
    m = re.search(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", last)
    if not m:
        return False
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if day:
        end = dt.date(year, int(month), int(day))
    elif month:
        end = dt.date(year + int(month) // 12, int(month) % 12 + 1, 1) - dt.timedelta(days=1)
    else:
        end = dt.date(year, 12, 31)
    return end < written


def _phrase_match(doc: object, span: TypedSpan, part: Part) -> float:
    """The share of the focus's words found in the phrase around the span (its head's subtree): "10 homes"
    answers "how many children's homes" only in part."""
    terms = part.focus.terms if part.focus is not None else frozenset()
    if not terms:
        return 1.0
    tokens = [t for t in doc if span.start <= t.idx < span.end]  # type: ignore[attr-defined]
    if not tokens:
        return 0.0
    head = tokens[0].head
    for _ in range(2):
        if head.pos_ in {"NOUN", "PROPN"}:
            break
        head = head.head
    words = {stem(t.lower_) for t in head.subtree} | {stem(t.lower_) for t in head.head.children}
    return len(terms & words) / len(terms)


def _counts_a_change(doc: object, span: TypedSpan, asked: str) -> bool:
    """Whether a number counts an increase, a shortfall or a target ("10 more", "an additional 5", "a further
    3") that the question does not ask about."""
    from assistant.question import lexicon

    words = lexicon().classes["increment_words"]
    if set(re.findall(r"[a-z]+", asked)) & words:
        return False  # "how many extra social workers ...?" asks about the change itself
    for tok in doc:  # type: ignore[attr-defined]
        if span.start <= tok.idx < span.end:
            near = [tok.head, *tok.head.children, *tok.children]
            if any(t.lower_ in words and not _a_bound(t) for t in near):
                return True
    return False


def _a_bound(tok: object) -> bool:
    """ "more than 300", "fewer than 10": a bound on the count, not a change in it."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None  # type: ignore[attr-defined]
    return nxt is not None and nxt.lower_ == "than"


def _role_asked(part: Part) -> str:
    """The stem of the role a person question asks for ("director" in "who is the director of children's
    services?", "dcs"), or "" when it asks for no role ("who said ...?", "who is responsible ...?")."""
    focus = part.focus
    if (
        part.answer_type != AnswerType.PERSON
        or focus is None
        or focus.head in {"person", "people", "who", "one"}
    ):
        return ""
    return stem(focus.head) if lexicon().within("person", focus.head) else ""


def _role_of(part: Part) -> frozenset[str]:
    """What the role asked for is of, as stems ("child", "servic" in "the director of children's services"), read
    from the question's parse as from the sentences'."""
    if part.focus is None or part.focus.token is None:
        return frozenset()
    return frozenset(_role_complement(part.focus.token))


def _role_forms(part: Part, role: str) -> list[frozenset[str]]:
    """The ways a sentence may name the role asked for, as sets of word stems: the role word, and the
    glossary's other forms of the focus ("DCS" is the "director of children's services", and back)."""
    if not role or part.focus is None:
        return []
    return [frozenset({role}), *(frozenset(content_words(f)) for f in expansions(part.focus.text))]


def relation_terms(part: Part) -> frozenset[str]:
    """The words a span must stand near: the focus, unless the focus only names the answer's type ("the
    deadline for sending the plan", "the number of complaints"), in which case the rest of the question. A
    focus the glossary knows as a kind of thing adds the kind ("the 2023 ILACS": "inspectors visited ...")."""
    focus = part.focus
    if focus is None:
        return part.terms
    kinds = frozenset(KIND_STEMS[t] for t in focus.terms if t in KIND_STEMS)
    if focus.head in lexicon().classes["money_measures"]:
        return focus.terms | part.terms | {stem(focus.head)}
    if part.answer_type == AnswerType.PERSON and lexicon().has("person", focus.head):
        return (
            focus.terms | part.terms | {stem(focus.head)}
        )  # "who is the new director?": the role is the focus
    if lexicon().has(part.answer_type.value, focus.head) or focus.head in {
        "number",
        "total",
        "name",
        "figure",
    }:
        return (focus.terms - {stem(focus.head)}) | part.terms | kinds
    return focus.terms | part.terms | kinds


_YEAR_WRITTEN = re.compile(r"\b(?:19|20)\d\d\b")
_DEICTIC = 0.5  # the specificity of a date said only relative to its paper's ("today", "on Thursday")
_EXACT = re.compile(r"\b(?:exact|precise|specific)(?:ly)?\s+(?:dates?|days?)\b|\bwhich\s+day\b", re.I)


def _specificity(span: TypedSpan) -> float:
    """A day beats a month, a month beats a year, and "Thursday" or "recently" says little: when a question asks
    when, the most exact date the papers give is the answer."""
    if span.kind == AnswerType.DURATION:
        return 0.6  # a length of time answers "when" only as "within ...": a date says more
    if span.kind != AnswerType.DATE:
        return 1.0
    value = span.value
    if value.startswith("date:") or ".." in value:
        return 1.0
    if value.startswith("day_month:"):
        return 0.9
    if value.startswith("month_year:"):
        return 0.85
    if value.startswith(("year:", "financial_year:")):
        return 0.7
    text = span.text.lower()
    if any(ch.isdigit() for ch in text) or any(m in text for m in _MONTHS):
        return 0.8
    return 0.5


_MONTHS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
    "spring",
    "summer",
    "autumn",
    "winter",
)


_CONTACT_KINDS = ("address", "email", "phone")


def _contact_kind_asked(question: str) -> str:
    """The kind of contact detail a question asks for ("address", "email", "phone": `contact_*_words`), or ""
    when it names none or several ("how do I contact them?")."""
    words = set(re.findall(r"[a-z]+(?:-[a-z]+)?", question.lower()))
    kinds = [k for k in _CONTACT_KINDS if words & lexicon().classes[f"contact_{k}_words"]]
    return kinds[0] if len(kinds) == 1 else ""


def _contact_kind(span: TypedSpan) -> str:
    """ "email" for an email address, "address" for a postal one (it ends in a postcode), else "phone"."""
    if "@" in span.text:
        return "email"
    return "address" if not span.value.isdigit() else "phone"


def ranked_for(part: Part, candidates: Sequence[Candidate]) -> list[Candidate]:
    """The best sentences for this part: its own terms count, so "how many were upheld" prefers sentences
    saying "upheld"."""
    if part.answer_type == AnswerType.CONTACT:
        # a line of contact details ("calling 0161 253 5529") shares few words with the question: those of the
        # best passages come first
        # (all of them: a list of ways to get in touch is read line by line, and its lines score alike)
        with_details = [c for c in candidates if has_contact(c.sentence)]
        return (with_details + [c for c in candidates if c not in with_details])[:SHORTLIST]
    ranked = list(candidates[: SHORTLIST * 3])
    if part.terms:
        ranked.sort(key=lambda c: c.score * _own_share(part, c), reverse=True)
    if part.answer_type == AnswerType.PERSON and (roles := _role_forms(part, role := _role_asked(part))):
        # "who is the director of children's services?": sentences naming someone in the role (some word of
        # what it is of included: not Ofsted's "National Director for Regulation") come first, however few of the
        # question's other words they share ("Name: ... | Position: Executive Director of Children & Young People")
        of_what = part.focus.terms if part.focus is not None else frozenset()
        in_role = [c for c in ranked if _says_role(c, roles, role) and (not of_what or of_what & c.words)]
        # one batch, cached with lemmas: `find` and the privacy check reuse these parses
        docs = parse_many([c.sentence for c in in_role], lemmas=True)
        named = [
            c
            for c, doc in zip(in_role, docs, strict=True)
            if _names_someone(c, doc) and _says_role(c, roles, role, doc, _role_of(part))
        ]
        ranked = named + [c for c in ranked if c not in named]
    return ranked[:SHORTLIST]


def _names_someone(cand: Candidate, doc: Any) -> bool:
    return any(s.kind == AnswerType.PERSON for s in typed_spans(cand.sentence, doc))


def rescored_for(part: Part, candidates: Sequence[Candidate]) -> list[Candidate]:
    """`ranked_for`'s sentences as copies scored for this part alone (for choosing its points)."""
    if not part.terms:
        return list(candidates[:SHORTLIST])
    return [replace(c, score=c.score * _own_share(part, c)) for c in ranked_for(part, candidates)]


def _own_share(part: Part, c: Candidate) -> float:
    """A sentence's weight for a part: 0.7, rising to 1 as it holds more of the part's own terms."""
    return 0.7 + 0.3 * len(part.terms & c.words) / len(part.terms)


_DETERMINER = re.compile(r"^(?:the|a|an)\s+")


def _stated_in_question(span: TypedSpan, asked: str) -> bool:
    """A span the question already states ("2022/23" in "how many complaints in 2022/23?") is not its answer."""
    text = " ".join(span.text.lower().split())
    if not text:
        return False
    # as a whole token: the "18" of "2017/18" is not "18 complaints" (a slash joins figures, parts words: "Ofsted/CQC")
    joins = "/.-" if text[0].isdigit() else ""
    return re.search(rf"(?<![\w{joins}]){re.escape(text)}(?![\w{joins}])", asked) is not None


def span_relation(
    doc: object, span: TypedSpan, focus_stems: frozenset[str], sentence: str, stand_in: bool = False
) -> float:
    """How closely `span` stands to the focus words in the dependency tree: 1.0 when one step away (a
    modifier or head of a focus word), 0.5 at two steps, falling after; 0.3 when the focus is not in the
    sentence; for a table row, 0.9 when the focus is in the row. With `stand_in` (the sentence continues one
    about the focus: "In January 2023 *it* was 4%"), its pronoun subject stands for the focus."""
    if "|" in sentence:
        words = {stem(w) for w in sentence.lower().replace("|", " ").split()}
        return 0.9 if focus_stems & words else 0.3
    tokens = list(doc)  # type: ignore[call-overload]
    span_tokens = [t for t in tokens if t.idx >= span.start and t.idx < span.end]
    focus_tokens = [
        t
        for t in tokens
        if (
            stem(t.lower_) in focus_stems
            or bool(derived(focus_stems, {stem(t.lower_)}))  # "inspectors" for "inspection"
            or (stand_in and t.pos_ == "PRON" and t.dep_ in {"nsubj", "nsubjpass"})
        )
        and not (t.idx >= span.start and t.idx < span.end)
    ]
    if not span_tokens or not focus_tokens:
        return 0.3
    best = min(_distance(a, b) for a in span_tokens for b in focus_tokens)
    gap = min(abs(a.i - b.i) for a in span_tokens for b in focus_tokens)
    tree = 1.0 if best <= 1 else 1.0 / best
    return min(1.0, 0.9 * tree + 0.1 / (1 + gap / 3))  # the tree decides; nearness in the text breaks ties


def _distance(a: object, b: object) -> int:
    """Edges between two tokens in the dependency tree, a preposition and its object counting as one edge (the
    collapsed dependencies of Stanford's scheme: "overspend by £2.4m" is one step, as "overspend £2.4m" is)."""
    path_a = [a, *a.ancestors]  # type: ignore[attr-defined]
    index = {tok.i: n for n, tok in enumerate(path_a)}
    path_b = [b, *b.ancestors]  # type: ignore[attr-defined]
    for n, tok in enumerate(path_b):
        if tok.i in index:
            between = (
                path_a[1 : index[tok.i] + 1] + path_b[1:n]
            )  # the nodes passed through, the meeting one once
            passed = [t for t in between if t.i not in {a.i, b.i}]  # type: ignore[attr-defined]
            edges = index[tok.i] + n
            # a preposition and its object are one edge, and so are a copula's subject and complement ("the new
            # director will be Jill McGregor")
            collapsed = sum(t.dep_ in _PREPOSITIONS or t.lemma_ == "be" for t in passed)
            return max(1 if edges else 0, edges - collapsed)
    return 99


_PREPOSITIONS = frozenset({"prep", "agent", "dative"})
