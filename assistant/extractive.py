"""The default answerer: no language model. It picks the sentences of the retrieved passages that best answer the
question and quotes them, each with its citation.

A sentence's score mixes embedding similarity with the question, content-word overlap with the question, whether
it holds the kind of fact asked for (a date for "when", a number for "how many", a name for "who", a grade for a
judgement question), and the rank of its passage. The answer is "not found" when no sentence covers the
question's key terms well enough.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.sentences import QType, has_person_name, question_type, sentence_features, split_sentences
from assistant.verify import content_words
from vectorstore.passage import Passage

Embed = Callable[[list[str]], list[list[float]]]

# words that say what kind of thing is asked, not what it is about
_GENERIC = {
    "bury",
    "council",
    "councils",
    "ofsted",
    "children",
    "child",
    "service",
    "services",
    "paper",
    "papers",
    "report",
    "say",
    "said",
    "tell",
    "know",
    "did",
    "does",
    "happen",
    "latest",
    "current",
    "currently",
    "main",
    "many",
    "much",
    "number",
    "when",
    "what",
    "which",
    "who",
    "how",
    "will",
    "next",
    "new",
    "year",
    "recent",
    "please",
    "give",
    "detail",
    "details",
    "about",
    "information",
}
_WANTS = {
    QType.WHEN: ({"date", "month_year", "year"}, 1.0),
    QType.HOW_MANY: ({"number", "percentage"}, 1.0),
    QType.WHO: ({"name"}, 0.6),
    QType.WHAT_JUDGEMENT: ({"judgement"}, 1.0),
}
MAX_PASSAGES = 5
MAX_EMBEDDED = 24
MAX_SENTENCES = 3
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_APRIL_TO_MARCH = re.compile(
    r"\bApril\s+(20\d\d)\s*(?:to|-|–|until)\s*(?:\d{1,2}(?:st|th)?\s+)?March\s+(20\d\d)", re.I
)
_FY = re.compile(r"\b(20\d\d)\s*(?:/|-|–|to)\s*(?:20)?(\d\d)\b")

# Questions whose answer must be a particular kind of fact: a sentence without one is not an answer, however
# close its words are ("How much did the inspection cost?" answered with a sentence about the inspection).
_MONEY_WORDS = (
    r"cost|costs|costing|spend|spends|spent|budget|budgets|pay|pays|paid|fund|funds|funding|funded|money|worth|"
    r"price|fee|fees|charge|charged|grant|grants|allocated|allocation|receive|received|get|got|save|saved|savings|"
    r"overspend|overspent|underspend|invest|invested|investment"
)
_MONEY_NOUNS = (
    r"budget|cost|spend|overspend|salary|salaries|wage|wages|pay|fee|fees|price|allowance|allowances"
)
_PERSON_ROLES = (
    r"inspector|director|chair|chairman|chairperson|leader|lead\s+member|portfolio\s+holder|cabinet\s+member|"
    r"author|head|advisor|adviser|mayor|minister|councillor|officer|manager|worker|champion"
)
_STRICT: tuple[tuple[re.Pattern[str], frozenset[str], str], ...] = (
    (
        re.compile(
            rf"\bhow\s+much\b(?:\s+\S+){{0,10}}?\s+(?:{_MONEY_WORDS})\b"
            rf"|\bwhat\s+(?:is|was|are|were)\s+(?:the\s+)?(?:[\w'’/-]+\s+){{0,4}}?(?:{_MONEY_NOUNS})"
            r"(?:\s+(?:for|of|in|on)\b|\s*\??\s*$)",
            re.I,
        ),
        frozenset({"money"}),
        "a sum of money",
    ),
    (
        re.compile(r"\b(?:what|which)\s+(?:percentage|proportion|per\s*cent|share)\b", re.I),
        frozenset({"percentage"}),
        "a percentage",
    ),
    (
        re.compile(r"\b(?:exact|precise)\s+date\b|^(?:on\s+)?(?:what|which)\s+(?:exact\s+)?date\b", re.I),
        frozenset({"date"}),
        "a date",
    ),
    (re.compile(r"^(?:\W*)how\s+many\b", re.I), frozenset({"number", "percentage"}), "a number"),
    (
        re.compile(
            rf"\bname\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,5}}?(?:{_PERSON_ROLES})s?\b"
            rf"|^who\s+(?:is|was|were|are)\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,4}}?(?:{_PERSON_ROLES})s?\b"
            r"|^who\s+(?:wrote|signed|chaired|led)\b",
            re.I,
        ),
        frozenset({"person"}),
        "a person's name",
    ),
)
_MONEY = re.compile(r"[£$€]\s?\d|\b\d[\d,.]*\s*(?:million|billion|m|bn|k)?\s*(?:pounds|GBP)\b", re.I)
# a year in a question about a span ("since 2021", "between 2020 and 2023") need not be written in the answer
_YEAR_SPAN = re.compile(r"\b(?:since|after|before|between|from|until|till|over|last|past|prior)\b", re.I)


def strict_kind(question: str) -> tuple[frozenset[str], str] | None:
    """The kind of fact the question cannot be answered without (features of `sentence_features`), if any."""
    q = " ".join(question.replace("’", "'").split())
    for pattern, kinds, label in _STRICT:
        if pattern.search(q):
            return kinds, label
    return None


def has_kind(
    sentence: str,
    kinds: frozenset[str],
    places: frozenset[str] = frozenset(),
    features: set[str] | None = None,
) -> bool:
    """Whether `sentence` gives one of `kinds`; `features` are its `sentence_features` when already known."""
    if "person" in kinds:
        return has_person_name(sentence, places)
    if "money" in kinds and _MONEY.search(sentence):
        return True
    return bool((sentence_features(sentence) if features is None else features) & kinds)


def financial_years(text: str) -> set[str]:
    """'2022/23', '2022-2023', '2022 to 2023' -> {'2022/23'}."""
    out = set()
    for m in _APRIL_TO_MARCH.finditer(text):
        start, end = int(m.group(1)), int(m.group(2))
        if end == start + 1:
            out.add(f"{start}/{end % 100:02d}")
    for m in _FY.finditer(text):
        start, end = int(m.group(1)), int(m.group(2))
        if (start + 1) % 100 == end:
            out.add(f"{start}/{end:02d}")
    return out


@dataclass
class Candidate:
    sentence: str
    passage_index: int  # 0-based into the passages list
    position: int
    lexical: float = 0.0
    coverage: float = 0.0
    type_match: float = 0.0
    similarity: float = 0.0
    score: float = 0.0


@dataclass
class Extraction:
    text: str  # sentences with [n] markers (n = passage_index + 1)
    chosen: list[Candidate]
    confident: bool
    reason: str = ""


def key_terms(question: str) -> set[str]:
    return {w for w in content_words(question) if w not in _GENERIC and len(w) > 1}


def _coverage(terms: set[str], words: set[str]) -> float:
    if not terms:
        return 0.0
    return len(terms & words) / len(terms)


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    na = math.sqrt(sum(x * x for x in a)) or 1.0
    nb = math.sqrt(sum(y * y for y in b)) or 1.0
    return dot / (na * nb)


_LABEL_LINE = re.compile(r"^[A-Z][\w &/()'’-]{0,40}:\s")
_FOOTNOTE = re.compile(r"\[\s*\d{1,3}\s*\]")


def _clean(sentence: str) -> str:
    """One line, footnote-style "[2]" removed so it cannot pass for one of our citation markers."""
    return " ".join(_FOOTNOTE.sub("", sentence).split()).strip(" |")


def extract(
    question: str,
    passages: Sequence[Passage],
    embed: Embed | None = None,
    min_coverage: float = 0.4,
    topic_terms: set[str] | None = None,
    places: Sequence[str] = (),
) -> Extraction:
    """Choose up to MAX_SENTENCES sentences that answer `question` from `passages` (already ranked)."""
    passages = list(passages)[:MAX_PASSAGES]
    qtype = question_type(question)
    terms = key_terms(question) | (topic_terms or set())
    wanted, weight = _WANTS.get(qtype, (set(), 0.0))
    asked_years = financial_years(question)
    plain_years = set(_YEAR.findall(question)) - {y[:4] for y in asked_years}
    strict = strict_kind(question)
    place_words = frozenset(w.lower() for p in places for w in p.split())
    year_is_a_point = bool(plain_years) and not _YEAR_SPAN.search(question)
    dropped: list[str] = []
    named = [p for p in places if re.search(rf"\b{re.escape(p)}\b", question, re.I)]
    candidates: list[Candidate] = []
    for pi, passage in enumerate(passages):
        about = f"{passage.title} {passage.council} {passage.doc_id}"
        if named and not any(re.search(rf"\b{re.escape(p)}\b", about, re.I) for p in named):
            continue  # the question names a council or place this paper is not about
        year_context = (
            f"{passage.text} {passage.title} {passage.section} {passage.date.year if passage.date else ''}"
        )
        years_missing = bool(plain_years) and not any(y in year_context for y in plain_years)
        if years_missing and year_is_a_point:
            dropped.append(f"is about {' or '.join(sorted(plain_years))}")
            continue  # "the October 2022 visit": a paper that never mentions 2022 cannot be about it
        if strict and asked_years and not financial_years(f"{year_context} {passage.doc_id}") & asked_years:
            dropped.append(f"is about {' or '.join(sorted(asked_years))}")
            continue  # a figure from a 2022/23 report does not answer a question about 2023/24
        context_words = content_words(f"{passage.title} {passage.section}")
        passage_words = content_words(passage.text) | context_words
        passage_cov = _coverage(terms, passage_words)
        for pos, raw in enumerate(split_sentences(passage.text)):
            sentence = _clean(raw)
            if len(sentence) < 25 or len(sentence) > 700 or sentence.count("|") > 6:
                continue
            words = content_words(sentence)
            cand = Candidate(sentence, pi, pos)
            cand.lexical = _coverage(terms, words)
            cand.coverage = max(cand.lexical, 0.6 * cand.lexical + 0.4 * passage_cov)
            features = sentence_features(sentence) if wanted or strict else set()
            if wanted:
                cand.type_match = weight if features & wanted else 0.0
            if asked_years:  # the question names a year: the sentence (or its section) must be about it
                said = financial_years(sentence) or financial_years(passage.section)
                if said & asked_years:
                    cand.lexical = min(1.0, cand.lexical + 0.25)
                elif said or financial_years(sentence + passage.section) - asked_years:
                    cand.lexical *= 0.5
                elif not financial_years(passage.text) & asked_years:
                    cand.coverage *= 0.6  # nothing in this passage is about the year asked
            if years_missing:
                cand.coverage *= 0.6
            if strict and not has_kind(sentence, strict[0], place_words, features):
                dropped.append(f"gives {strict[1]}")
                continue
            candidates.append(cand)
    if not candidates:
        if dropped:
            why = max(sorted(set(dropped)), key=dropped.count)
            return Extraction("", [], False, f"no passage found {why}")
        return Extraction("", [], False, "no sentences in the passages")
    candidates.sort(key=lambda c: c.lexical + c.type_match * 0.5 - c.passage_index * 0.05, reverse=True)
    shortlist = candidates[:MAX_EMBEDDED]
    if embed is not None:
        vectors = embed([question] + [c.sentence for c in shortlist])
        qv = vectors[0]
        for cand, vec in zip(shortlist, vectors[1:], strict=True):
            cand.similarity = cosine(qv, vec)
    for cand in shortlist:
        prior = 1.0 / (1 + cand.passage_index)
        cand.score = 0.35 * cand.similarity + 0.40 * cand.lexical + 0.15 * cand.type_match + 0.10 * prior
        if wanted and not cand.type_match:
            cand.score *= 0.7  # the asked-for kind of fact is missing
        if _LABEL_LINE.match(cand.sentence) or len(cand.sentence.split()) < 8:
            cand.score *= 0.8  # a label or heading line ("Background papers: ...") says little on its own
    shortlist.sort(key=lambda c: c.score, reverse=True)
    best = shortlist[0]
    confident = best.coverage >= min_coverage and (embed is None or best.similarity >= 0.25)
    if not confident:
        return Extraction(
            "", [best], False, f"the best sentence covers {best.coverage:.0%} of the question's key terms"
        )
    chosen = [best]
    for cand in shortlist[1:]:
        if len(chosen) >= MAX_SENTENCES:
            break
        if cand.score < 0.88 * best.score or cand.coverage < min_coverage:
            continue
        if any(_similar(cand.sentence, c.sentence) for c in chosen):
            continue
        if wanted and not cand.type_match:
            continue
        chosen.append(cand)
    # the best sentence first; the rest follow in the reading order of their passages
    chosen[1:] = sorted(chosen[1:], key=lambda c: (c.passage_index, c.position))
    text = " ".join(_with_marker(c.sentence, c.passage_index + 1) for c in chosen)
    return Extraction(text, chosen, True)


_TERMINAL = re.compile(r"[.!?…]+[\"'’”)\]]*$")


def _with_marker(sentence: str, n: int) -> str:
    end = _TERMINAL.search(sentence)
    if end is None:
        return f"{sentence} [{n}]."
    return f"{sentence[: end.start()]} [{n}]{sentence[end.start() :]}"


def _similar(a: str, b: str) -> bool:
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) > 0.7
