"""When a paper was published: "when did the DfE publish its guidance on support and challenge after area SEND
inspections?" names a paper held, and its answer is that paper's date, which the paper's own sentences seldom state.

The paper is the one among the best passages whose title (with its body and type) carries the question's own
words, weighted by rarity; the publishing verb, words that only say it is a paper ("report", "document") and
words of precision ("exact") do not count. The council and the year a question names ("the council's 2025
ILACS report") help name a paper, and a paper of another council or year is not the one named. The answer gives
the date as the paper's, cites the paper, and says where the date comes from.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence

from assistant.candidates import Candidate
from assistant.nlp import parse
from assistant.question import AnswerType, QuestionAnalysis, lexicon
from assistant.spans import typed_spans
from assistant.verify import content_words, stem
from vectorstore.passage import Passage

TITLE_FIT = 0.6  # the weighted share of the question's own words the title must carry
MIN_WORDS = 2  # words of its own the question must give to name a paper (not just "the report")
BEST_PASSAGES = 3  # the paper must be among the best this many passages


def asks_publication(analysis: QuestionAnalysis) -> bool:
    """A one-part question asking when something was published, issued or released; not when it was *first*
    published, since a paper held may be a later version (a web page's date is its last update's)."""
    lex = lexicon()
    return (
        analysis.answer_type == AnswerType.DATE
        and not analysis.earliest
        and len(analysis.parts) == 1
        and bool(analysis.verbs & lex.classes["publication_verbs"])
    )


def named_paper(analysis: QuestionAnalysis, passages: Sequence[Passage]) -> int | None:
    """The index of the best passage of the paper the question names, or None when no dated paper among the
    best passages carries enough of the question's own words in its title."""
    lex = lexicon()
    ignore = {
        stem(w)
        for w in lex.classes["publication_verbs"]
        | lex.classes["paper_words"]
        | lex.classes["precision_words"]
    }
    own = analysis.key_terms - ignore
    # "<council>'s 2025 ILACS report": the council and the year named are how a paper is named too
    if len(own) + bool(analysis.councils) + bool(analysis.years) < MIN_WORDS or not own:
        return None
    weights = analysis.weights
    total = math.fsum(weights.get(t, 1.0) for t in own)
    for index, passage in enumerate(passages[:BEST_PASSAGES]):
        if passage.date is None:
            continue
        named = f"{passage.title} {passage.council}"
        if analysis.years and not any(str(y) in named or passage.date.year == y for y in analysis.years):
            continue
        if analysis.councils and not any(c.lower() in named.lower() for c in analysis.councils):
            continue
        words = content_words(f"{passage.title} {passage.body} {passage.doc_type}")
        share = math.fsum(weights.get(t, 1.0) for t in own & words) / total if total else 0.0
        if share >= TITLE_FIT:
            return index
    return None


def naming_sentence(
    paper: Passage, candidates: Sequence[Candidate], passages: Sequence[Passage]
) -> Candidate | None:
    """The paper's sentence to quote: its best for the question (the answer's lead already names the paper)."""
    return next((c for c in candidates if passages[c.passage_index].doc_id == paper.doc_id), None)


def states_publication(sentence: str) -> bool:
    """Whether a sentence gives a publication date itself ("... which was published on 4 February 2025"): a
    paper that reports another's publication answers with that date, not with its own."""
    verbs = "|".join(sorted(lexicon().classes["publication_verbs"]))
    said = re.search(rf"\b(?:{verbs})(?:ed|d)?\b", sentence, re.I)
    if said is None:
        return False
    return any(
        s.kind == AnswerType.DATE and _specific(s.value) and 0 <= s.start - said.end() <= PUBLISHED_GAP
        for s in typed_spans(sentence)
    )


PUBLISHED_GAP = 20  # characters between "published" and its date ("published on", "published in late")


def _specific(value: str) -> bool:
    return value.startswith(("date:", "day_month:", "month_year:"))


NEWS_SHORTLIST = 3  # the best sentences among which a grade's news is looked for


def grade_reported(
    analysis: QuestionAnalysis,
    candidates: Sequence[Candidate],
    passages: Sequence[Passage],
    allowed: Callable[[Candidate], bool] | None = None,
) -> Candidate | None:
    """ "When did Islington first get an outstanding grade?": when no sentence dates the grade, the best sentence
    reporting it as just given, in a dated paper ("Islington's children's services *have been rated*
    'Outstanding' by Ofsted", "... was today rated good"), naming no date of its own: its paper's date is when
    the grade was reported. None for any other question."""
    if analysis.answer_type != AnswerType.DATE or len(analysis.parts) != 1 or analysis.future:
        return None
    asked = {s.value for s in typed_spans(analysis.text) if s.kind == AnswerType.JUDGEMENT}
    if not asked:
        return None
    # the best few sentences that may be shown (the privacy check parses each: only as many as needed)
    shown = (c for c in candidates if allowed is None or allowed(c))
    for cand in itertools.islice(shown, NEWS_SHORTLIST):
        passage = passages[cand.passage_index]
        if passage.date is None or (analysis.years and passage.date.year not in analysis.years):
            continue
        spans = typed_spans(cand.sentence)
        if any(s.kind == AnswerType.DATE for s in spans):
            continue  # a sentence giving a date answers by it, or names another event's
        grades = {s.value for s in spans if s.kind == AnswerType.JUDGEMENT}
        if grades & asked and not grades - asked and _just_done(cand.sentence):
            return cand
    return None


def _just_done(sentence: str) -> bool:
    """Whether a sentence reports its news as just done: its main verb in the present perfect ("have been
    rated"), or "today"."""
    doc = parse(sentence)
    if any(t.lower_ == "today" for t in doc):
        return True
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    return root is not None and any(
        c.dep_ in {"aux", "auxpass"} and c.lemma_.lower() == "have" and c.tag_ in {"VBZ", "VBP"}
        for c in root.children
    )
