"""Question analysis: what kind of answer a question wants, what it is about, whose papers and which period.

Read from spaCy's parse of the question (parts of speech, lemmas, dependency heads), not from phrasings:

- the **answer type** (person, organisation, date, duration, frequency, number, money, percentage, Ofsted
  judgement, yes/no, list, description, reason), from the question word and the noun it asks about — "how many
  *complaints*", "what was the *budget*", "who is the *lead inspector*" — looked up in
  `assistant/data/answer_types.yaml`;
- the **focus**: that noun phrase, whose words must stand near the answer in a sentence that gives it;
- the **key terms**: the content words that say what the question is about (question words, framing words and
  council names removed — the council is handled by scope, not by word overlap);
- the **councils** named (matched against the place names of the papers held), or none, meaning the
  deployment's home council;
- the **period** and years named, and whether it asks for the latest state, a change over time or a comparison;
- the **parts** of a multi-part question ("how many were resolved informally, and how many went to Stage 1",
  "when was it inspected and what was the outcome").
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

from assistant import polarity
from assistant.nlp import parse
from assistant.verify import content_words, stem
from ingest.councils import everyday_words, regions
from vectorstore.glossary import capitals_only
from vectorstore.periods import _NUMBER_WORDS
from vectorstore.querydates import Period, parse_period

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


class AnswerType(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    DATE = "date"
    DURATION = "duration"
    FREQUENCY = "frequency"
    NUMBER = "number"
    MONEY = "money"
    PERCENTAGE = "percentage"
    JUDGEMENT = "judgement"
    YES_NO = "yes_no"
    LIST = "list"
    DESCRIPTION = "description"
    REASON = "reason"
    CONTACT = "contact"  # a phone number, email address or postal address

    @property
    def factoid(self) -> bool:
        """A short span answers it (a name, a date, a figure, a grade)."""
        return self in _FACTOID


_FACTOID = frozenset(
    {
        AnswerType.PERSON,
        AnswerType.ORGANISATION,
        AnswerType.DATE,
        AnswerType.DURATION,
        AnswerType.FREQUENCY,
        AnswerType.NUMBER,
        AnswerType.MONEY,
        AnswerType.PERCENTAGE,
        AnswerType.JUDGEMENT,
        AnswerType.CONTACT,
    }
)


@dataclass(frozen=True)
class Focus:
    """The thing a question asks about: "complaints" in "how many complaints ...", as asked and as stems."""

    text: str  # as asked: "independent chair of Improvement Board"
    head: str  # lemma of the head noun (or verb, for "how much did it cost"): "chair"
    terms: frozenset[str] = frozenset()  # stemmed content words of the phrase
    index: int = -1  # the head's token index in the parsed question
    core: str = ""  # lemmas of the head and its modifiers, without the "of ..." phrase: "independent chair"
    token: Token | None = field(default=None, compare=False, repr=False)
    # as shown to the person, when it says more than `text`: "director of children's services"
    shown: str = field(default="", compare=False, repr=False)

    @property
    def label(self) -> str:
        text = self.shown or self.text
        return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Part:
    """One part of a (possibly multi-part) question."""

    text: str  # the words of the question that ask this part
    answer_type: AnswerType
    focus: Focus | None
    terms: frozenset[str]  # key terms of this part, stemmed


@dataclass(frozen=True)
class QuestionAnalysis:
    text: str
    answer_type: AnswerType
    focus: Focus | None
    key_terms: frozenset[str]
    councils: tuple[str, ...] = ()  # place names as the papers hold them, in the order asked
    unknown_places: tuple[str, ...] = ()  # places named that no paper's council is ("South Gloucestershire")
    region: str = ""  # a group of councils named as one ("Greater Manchester")
    home: bool = True  # no council named: the question is about the deployment's own council
    period: Period | None = None
    years: tuple[int, ...] = ()
    parts: tuple[Part, ...] = ()
    latest: bool = False  # "now", "latest", "still", "last meeting"
    present: bool = False  # "how many foster carers does Bury have?": the present tense, no period named
    earliest: bool = False  # "when was it first ...": the earliest of the dates that answer it
    change: bool = False  # "has it improved", "how has it changed since 2021"
    history: bool = False  # "has it always been good?", "over its last three inspections": from the first on
    timeline: bool = False  # "trace the intervention from 2019 ...": what happened, in date order
    comparison: bool = False  # two or more councils or years set side by side
    strict: bool = False  # the answer must contain a span of `answer_type` (a factoid question)
    topic: str = ""  # the question without the councils it names (for similarity: scope handles whose)
    weights: dict[str, float] = field(default_factory=dict, compare=False)  # key term -> weight (rarity)
    numbered: tuple[str, ...] = ()  # numbered names asked about, lower case: "stage 2", "pathway 2"
    ordinals: tuple[tuple[int, str], ...] = ()  # "the third monitoring visit": (3, stem of "visit")
    verbs: frozenset[str] = frozenset()  # lemmas of the question's content verbs ("receive", "employ")
    financial_years: tuple[str, ...] = ()  # "2024/25" as asked
    future: bool = False  # "when will ...", "the next ...": asks about what was still to come
    sources: tuple[str, ...] = ()  # who is asked about as saying or finding ("Ofsted", "the inspectors")
    # asks for praise (1: "what strengths ...") or criticism (-1: "what concerns ..."), or neither (0)
    evaluation: int = 0
    notes: list[str] = field(default_factory=list, compare=False)

    @property
    def multipart(self) -> bool:
        return len(self.parts) > 1

    @property
    def wants_summary(self) -> bool:
        return not self.answer_type.factoid or (self.change and not self.multipart)


# ----------------------------------------------------------------------------------------------------
# Lexicon


_NOUN_CLASSES = (
    "person",
    "organisation",
    "date",
    "duration",
    "money",
    "percentage",
    "number",
    "judgement",
    "list",
)


@dataclass(frozen=True)
class Lexicon:
    classes: dict[str, frozenset[str]]

    @property
    def nouns(self) -> frozenset[str]:
        """Single words of the noun classes (what a question's focus can be)."""
        return frozenset(w for c in _NOUN_CLASSES for w in self.classes.get(c, ()) if " " not in w)

    def has(self, cls: str, phrase: str) -> bool:
        """Whether `phrase` (lemmas, lower case) or its last word(s) is listed under `cls`."""
        words = phrase.lower().split()
        entries = self.classes.get(cls, frozenset())
        return any(" ".join(words[i:]) in entries for i in range(len(words)))

    def within(self, cls: str, phrase: str) -> bool:
        """Whether any run of words in `phrase` is listed under `cls` ("principal social worker" in "the
        principal social worker Bury appointed")."""
        words = phrase.lower().split()
        entries = self.classes.get(cls, frozenset())
        return any(
            " ".join(words[i:j]) in entries for i in range(len(words)) for j in range(i + 1, len(words) + 1)
        )


@cache
def lexicon() -> Lexicon:
    raw = yaml.safe_load(resources.files("assistant").joinpath("data/answer_types.yaml").read_text("utf-8"))
    return Lexicon({k: frozenset(str(w).lower() for w in v) for k, v in raw.items()})


# Words that frame a question rather than say what it is about (language, not domain knowledge).
_FRAMING = frozenset(
    stem(w)
    for w in [
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "many",
        "much",
        "often",
        "long",
        "tell",
        "know",
        "say",
        "said",
        "give",
        "find",
        "show",
        "please",
        "could",
        "would",
        "can",
        "will",
        "did",
        "does",
        "do",
        "is",
        "are",
        "was",
        "were",
        "been",
        "be",
        "has",
        "have",
        "had",
        "any",
        "there",
        "their",
        "our",
        "we",
        "us",
        "me",
        "my",
        "i",
        "you",
        "your",
        "it",
        "its",
        "they",
        "them",
        "this",
        "that",
        "these",
        "those",
        "kind",
        "sort",
        "type",
        "about",
        "regarding",
        "information",
        "detail",
        "details",
        "happen",
        "happened",
        "latest",
        "current",
        "currently",
        "recent",
        "recently",
        "now",
        "still",
        "yet",
        "today",
        "new",
    ]
)
_WH = {"what", "which", "who", "whom", "whose", "when", "where", "why", "how"}
_OPENS_AFTER_COMMA = {"how", "what"}
_AUX_FIRST = {
    "is", "are", "was", "were", "do", "does", "did", "has", "have", "had", "can", "could", "will", "would",
    "should", "shall", "may", "might", "must", "isn't", "aren't", "wasn't", "weren't", "doesn't", "didn't",
    "hasn't", "haven't",
}  # fmt: skip
_HOME_WORDS = re.compile(r"\b(?:we|our|ours|us)\b", re.I)
_COURTESY = re.compile(
    r"^\s*(?:(?:hi|hello|hey)[,!.]?\s+)?(?:please\s+)?"
    r"(?:(?:can|could|would)\s+you\s+(?:please\s+)?(?:tell|show|let)\s+me\s+(?:know\s+)?"
    r"|(?:tell|show)\s+me\s+|let\s+me\s+know\s+"
    r"|(?:i\s+(?:want|would\s+like|'d\s+like|need)\s+to\s+know|i\s+wonder|do\s+you\s+know)\s+)",
    re.I,
)
_YEAR = re.compile(r"(?<![\d/])((?:19|20)\d\d)(?![\d])")


# ----------------------------------------------------------------------------------------------------
# Analysis


def analyse(
    question: str,
    places: Sequence[str] = (),
    today: dt.date | None = None,
) -> QuestionAnalysis:
    """Analyse `question`. `places` are the place names of the councils whose papers are held ("Bath and North
    East Somerset", "Bury"); `today` anchors relative periods ("last year")."""
    text = " ".join(question.split())
    body = _COURTESY.sub("", text) or text
    doc = parse(body)
    region = next((r for r in regions() if re.search(rf"\b{re.escape(r)}\b", body, re.I)), "")
    councils = _councils_named(re.sub(re.escape(region), " ", body, flags=re.I) if region else body, places)
    place_terms = {stem(w) for p in places for w in re.findall(r"[A-Za-z]+", p)}
    lex = lexicon()
    goals = _goals(doc)  # "need to improve": what is to be improved is the topic, not a change over time
    time_words = {
        stem(w) for w in lex.classes["latest_words"] | lex.classes["change_words"] | lex.classes["time_words"]
    } - {stem(t.text.lower()) for t in goals}
    parts = [_part(clause, doc, place_terms, time_words) for clause in _clauses(doc)]
    parts = _inherit(_split_coordinations(doc, parts, place_terms))
    parts = [_focus_without_places(_without_type_word(p), councils) for p in parts]
    if (
        len(councils) >= 2
        and parts[0].answer_type in {AnswerType.PERSON, AnswerType.ORGANISATION}
        and _alternatives(body, places)
    ):
        parts[0] = _one_of_them(parts[0], doc)
    main = parts[0]
    source, sources = _sources(doc)
    type_words = {stem(p.focus.head) for p in parts if p.focus is not None and _names_type(p)}
    if any(p.answer_type == AnswerType.CONTACT for p in parts):
        # "what number do I ring": the words that ask for contact details say what kind of answer, not its topic
        type_words |= {stem(w) for w in lex.classes["contact_nouns"] | lex.classes["contact_verbs"]}
        type_words |= {stem(w) for w in ("number", "ring", "call", "write")}
    # "the last three years reported", "what did they find": how the answer is given, not what it is about
    reporting = {
        stem(t.text.lower())
        for t in doc
        if t.pos_ == "VERB" and t.lemma_.lower() in lex.classes["reporting_verbs"]
    }
    # "did they get", "did it take", "came out of": light verbs carry no topic
    light = {
        stem(t.text.lower())
        for t in doc
        if t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() in lex.classes["light_verbs"]
    }
    # "what judgement did Thurrock receive?": how a grade is had is no topic when the grade is the answer
    if main.answer_type == AnswerType.JUDGEMENT:
        light |= {
            stem(t.text.lower())
            for t in doc
            if t.pos_ == "VERB" and t.lemma_.lower() in lex.classes["outcome_verbs"]
        }
    # "when was the ILACS carried out?", "how long did it run?": that it happened is no topic when the answer is
    # when or how long
    events = (
        {
            t.lemma_.lower()
            for t in doc
            # "how long did the inspection run?": the small model may read the verb as a noun at the root
            if (t.pos_ == "VERB" or t.dep_ == "ROOT") and t.lemma_.lower() in lex.classes["event_verbs"]
        }
        if any(p.answer_type in {AnswerType.DATE, AnswerType.DURATION} for p in parts)
        else set()
    )
    light |= {stem(t.text.lower()) for t in doc if t.lemma_.lower() in events}
    # "did it take place", "take part": the object of a light verb's fixed phrase is no topic either
    light |= {
        stem(c.lower_)
        for t in doc
        if t.lemma_.lower() in lex.classes["light_verbs"]
        for c in t.children
        if c.dep_ == "dobj" and f"{t.lemma_.lower()} {c.lemma_.lower()}" in lex.classes["light_phrases"]
    }
    # "to send Ofsted its plan": a verb written in lower case is not the acronym it spells in capitals (SEND)
    light |= {
        stem(t.lower_)
        for t in doc
        if t.pos_ == "VERB"
        and t.text.islower()
        and capitals_only(t.text)
        and any(  # surely a verb: "to send", "did Halton send" (not "what is send support?")
            (c.dep_ == "aux" and c.lemma_.lower() != "be")
            or (c.dep_ == "nsubj" and c.tag_ not in {"WP", "WDT"})
            for c in t.children
        )
    }
    parts = [replace(p, terms=p.terms - light) for p in parts]  # "did they get": no part's topic either
    evaluation = _evaluation(doc, main.focus)
    if evaluation:
        # "was there anything they were doing *well*?": the praise or criticism asked for is found by a sentence's
        # polarity, not its words ("well attended" is no answer)
        light |= {stem(w) for w in polarity.asking_words()}
    key = frozenset(
        content_words(body) - _FRAMING - place_terms - source - type_words - time_words - reporting - light
    ) or frozenset(content_words(body) - _FRAMING - place_terms - light - time_words)
    # the words as written too: the small model lemmatises "better" as "well"
    # "whose got the better grade?": a comparative before its noun compares things; it says nothing of change
    ranked = {t for t in doc if t.tag_ in {"JJR", "RBR"} and t.dep_ == "amod"}
    kept = [t for t in doc if t not in goals and t not in ranked]
    lemmas = {t.lemma_.lower() for t in kept} | {t.lower_ for t in kept}
    years = tuple(dict.fromkeys(int(y) for y in _YEAR.findall(body)))
    latest = _asks_latest(doc) and not years
    change = (
        bool(lemmas & lex.classes["change_words"])
        and (bool(lemmas & lex.classes["trend_words"]) or len(years) >= 2)
    ) or _than_before(doc, body)
    # "track its judgements over the last three inspections", "has it always been good?": a history
    run = periods_asked(body) >= 2
    always = bool(lemmas & lex.classes["history_words"])
    # "trace its intervention from 2019 to the notice being lifted", "give me a timeline of ...": a history
    timeline = bool(lemmas & lex.classes["timeline_words"])
    history = run or always or timeline
    # not "the first ever ...", which asks for the earliest
    change = change or run or timeline or (always and not lemmas & lex.classes["earliest_words"])
    comparison = len(councils) >= 2 or (len(years) >= 2 and bool(lemmas & lex.classes["compare_words"]))
    return QuestionAnalysis(
        text=text,
        answer_type=main.answer_type,
        # "what did Ofsted say Bury needs to improve": Ofsted is who says it, not what it is about
        focus=None
        if main.focus is not None and main.focus.terms and main.focus.terms <= source
        else main.focus,
        key_terms=key,
        councils=councils,
        unknown_places=(unknown := _unknown_places(doc, places, councils)),
        region=region,
        home=not councils and not unknown,
        period=parse_period(body, today or dt.date.today()),
        years=years,
        parts=tuple(parts),
        latest=latest,
        present=not years and _present_tense(doc),
        earliest=bool({t.lower_ for t in doc} & lex.classes["earliest_words"]),
        change=change,
        history=history,
        timeline=timeline,
        comparison=comparison,
        strict=main.answer_type.factoid,
        topic=_without_places(body, councils),
        numbered=_numbered_names(doc),
        ordinals=ordinal_names(doc),
        verbs=frozenset(
            t.lemma_.lower()
            for t in doc
            if t.pos_ == "VERB"
            and t.lemma_.lower() not in lex.classes["light_verbs"]
            and t.lemma_.lower() not in events
            and t.lemma_.lower() not in lex.classes["summary_verbs"]
            and t.lemma_.lower() not in lex.classes["compare_words"]  # "compared with England": the frame
            and not any(t.lower_ in place.lower().split() for place in councils)  # "re-visit to Bury"
            and not (t.i > 0 and t.text[:1].isupper())  # "did Ofsted last inspect": a name, not a verb
            and t.dep_ != "amod"  # "the focused visit": what kind of visit, not what was done
        ),
        financial_years=tuple(financial_years(body)),
        sources=sources,
        future=any(
            (t.tag_ == "MD" and t.lower_ in {"will", "shall", "'ll"})
            or t.lower_ in lex.classes["future_words"]
            for t in doc
        ),
        evaluation=evaluation,
    )


def _goals(doc: Doc, verbs: frozenset[str] | None = None) -> list[Token]:
    """Change verbs (or `verbs`) that say what is to be done, not what happened: "need to improve", "must improve",
    "want Bolton to improve" (the verb's head, or a modal auxiliary, is an obligation word; "has it improved" is
    not)."""
    lex = lexicon()
    obligation = lex.classes["obligation_words"]
    wanted = lex.classes["change_words"] if verbs is None else verbs
    wanted_stems = {stem(v) for v in wanted}
    obligation_stems = {stem(w) for w in obligation}
    out = []
    for tok in doc:
        # the verb's noun as what is needed: "what improvements are still needed?", "changes are required"
        if (
            tok.pos_ == "NOUN"
            and stem(tok.lower_) in wanted_stems
            and tok.dep_ in {"nsubj", "nsubjpass"}
            and tok.head.lemma_.lower() in obligation
        ):
            out.append(tok)
            continue
        if tok.lemma_.lower() not in wanted:
            continue
        # "what needs improving?": the small model takes "needs" for the gerund's auxiliary
        if tok.tag_ == "VBG" and any(
            c.dep_ == "aux" and stem(c.lower_) in obligation_stems for c in tok.children
        ):
            out.append(tok)
            continue
        # a word with a modal of its own is a verb whatever the small model tagged it ("should ... change")
        modal = any(
            c.dep_ == "aux" and c.tag_ == "MD" and c.lemma_.lower() in obligation for c in tok.children
        )
        # (an infinitive the small model may attach as a clause of its own: "what still needed to improve")
        infinitive = tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
        governed = (
            tok.pos_ == "VERB"
            and (tok.dep_ in {"xcomp", "ccomp"} or infinitive)
            and tok.head.lemma_.lower() in obligation
        )
        if governed or modal:
            out.append(tok)
    return out


def _present_tense(doc: Doc) -> bool:
    """The main verb or its auxiliary is in the present tense ("does Bury have", "how many carers are there"):
    the question asks how things are now."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return False
    verbs = [root, *(c for c in root.children if c.dep_ in {"aux", "auxpass"})]
    return any(t.tag_ in {"VBZ", "VBP"} for t in verbs) and not any(t.tag_ in {"VBD", "VBN"} for t in verbs)


def _asks_latest(doc: Doc) -> bool:
    """ "now", "latest", "still", "the last meeting" — but not "the last three years" or "last year", which
    name a period."""
    lex = lexicon()
    for tok in doc:
        # the word as written too: the small model lemmatises "latest" as "late"
        if (
            tok.lemma_.lower() not in lex.classes["latest_words"]
            and tok.lower_ not in lex.classes["latest_words"]
        ):
            continue
        head = tok.head.lemma_.lower()
        if (
            tok.lower_ in {"last", "past", "recent"}
            and head != "time"  # "last time" is the latest occasion, not a period
            and (head in lex.classes["time_words"] or head in {"year", "month", "week", "day", "quarter"})
        ):
            continue
        return True
    return False


def _numbered_names(doc: Doc) -> tuple[str, ...]:
    """Numbered names a question asks about ("Stage 2", "Pathway 2", "Tier 3"): a noun followed by a small
    number. Their number matters: a sentence about Stage 3 does not answer a question about Stage 2."""
    out = []
    for tok in doc:
        if tok.i == 0 or not tok.like_num or len(tok.text) > 2 or not tok.text.isdigit():
            continue
        noun = doc[tok.i - 1]
        if tok.i + 1 < len(doc) and doc[tok.i + 1].text in {"-", "‐", "–"}:
            continue  # "EHCP 20-week timeliness": a measure, not a numbered name
        counts = tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ in {"NOUN", "PROPN"}  # "received 2 complaints"
        # "went to stage 2": the tagger may read the name as a verb ("to stage")
        named = noun.pos_ in {"NOUN", "PROPN"} or (noun.pos_ == "VERB" and not counts)
        if named and noun.is_alpha and noun.lower_ not in _WH:
            out.append(f"{noun.lower_} {tok.text}")
    return tuple(dict.fromkeys(out))


ORDINALS = {
    word: n
    for n, words in enumerate(
        (
            ("first", "1st"),
            ("second", "2nd"),
            ("third", "3rd"),
            ("fourth", "4th"),
            ("fifth", "5th"),
            ("sixth", "6th"),
            ("seventh", "7th"),
            ("eighth", "8th"),
            ("ninth", "9th"),
            ("tenth", "10th"),
        ),
        start=1,
    )
    for word in words
}

# Words that place a thing in its order without a number ("the latest monitoring visit"): a sentence naming the
# thing this way is about another one than "the third", as far as it says (read as order 0).
RELATIVE_ORDERS = ("latest", "last", "most recent", "next", "previous", "upcoming")


def ordinal_names(doc: Doc) -> tuple[tuple[int, str], ...]:
    """Ordinal names ("the third monitoring visit", "its 2nd review"): the number and the stem of the noun it
    counts. As with "Stage 2", a sentence about the fourth visit does not answer a question about the third."""
    out = [
        (ORDINALS[tok.lower_], stem(tok.head.lower_))
        for tok in doc
        if tok.lower_ in ORDINALS and tok.head.pos_ in {"NOUN", "PROPN"} and tok.head.i > tok.i
    ]
    return tuple(dict.fromkeys(out))


_APRIL_TO_MARCH = re.compile(
    r"\bApril\s+(20\d\d)\s*(?:to|-|–|until)\s*(?:\d{1,2}(?:st|th)?\s+)?March\s+(20\d\d)", re.I
)
_FY = re.compile(r"\b(20\d\d)\s*(?:/|-|–|to)\s*(?:20)?(\d\d)\b")


_LAST_N = re.compile(
    r"\b(?:last|past|previous)\s+(\w+)\s+(?:financial\s+)?(?:years|reports|inspections)\b", re.I
)


def periods_asked(text: str) -> int:
    """How many of the latest years, reports or inspections a question asks over ("the last three
    inspections": 3), or 0 when it names no such run."""
    recent = _LAST_N.search(text)
    if recent is None:
        return 0
    word = recent.group(1).lower()
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word, 0)


def _than_before(doc: Doc, body: str) -> bool:
    """A comparative set against an earlier time ("faster than the year before", "more in 2023/24 than in
    2022/23") asks how something changed."""
    comparative = any(t.tag_ in {"JJR", "RBR"} for t in doc)
    return comparative and bool(_THAN_BEFORE.search(body) or len(period_mentions(body)) >= 2)


_THAN_BEFORE = re.compile(
    r"\bthan\s+(?:(?:in|during)\s+)?(?:the\s+)?(?:year\s+before|previous|prior|last|a\s+year\s+ago|before)\b",
    re.I,
)


def financial_years(text: str) -> set[str]:
    """ "2022/23", "2022-2023", "2022 to 2023", "April 2022 to March 2023" -> {"2022/23"}."""
    return {m.label for m in period_mentions(text) if "/" in m.label}


@dataclass(frozen=True)
class Mention:
    """A financial year ("2022/23") or a year ("2021") named in a text, where it stands."""

    start: int
    end: int
    label: str
    year: int  # the (first) calendar year, for order


def period_mentions(text: str) -> list[Mention]:
    """The financial years and years a text names, in order; a year inside a financial year is not one."""
    out: list[Mention] = []
    for pattern in (_APRIL_TO_MARCH, _FY):
        for m in pattern.finditer(text):
            start, end = int(m.group(1)), int(m.group(2))
            if end in (start + 1, (start + 1) % 100) and not any(
                o.start < m.end() and m.start() < o.end for o in out
            ):
                out.append(Mention(m.start(), m.end(), f"{start}/{(start + 1) % 100:02d}", start))
    for m in _YEAR.finditer(text):
        if not any(o.start <= m.start() < o.end for o in out):
            out.append(Mention(m.start(), m.end(), m.group(0), int(m.group(0))))
    return sorted(out, key=lambda o: o.start)


def for_one_side(analysis: QuestionAnalysis, names: Sequence[str]) -> QuestionAnalysis:
    """The question as one side of a comparison sees it: the years named beside that council's name ("Calderdale
    (2021/22) and Wakefield (2018/19)", "Harrow's 2017/18 and Camden's 2022/23") are its own; with none beside
    it, every year asked. `names` are the council's names as a question may write them."""
    text = analysis.text
    spots = [
        (m.start(), m.end()) for name in names for m in re.finditer(rf"\b{re.escape(name)}\b", text, re.I)
    ]
    if not spots:
        return analysis
    own = [
        mention
        for mention in period_mentions(text)
        if any(
            0 <= mention.start - end <= _BESIDE or 0 <= start - mention.end <= _BESIDE_BEFORE
            for start, end in spots
        )
    ]
    if not own:
        return analysis
    financial = tuple(m.label for m in own if "/" in m.label)
    years = tuple(sorted({m.year for m in own}))
    return replace(analysis, years=years, financial_years=financial, period=None)


_BESIDE = 4  # "Oxfordshire (2023)", "Harrow's 2017/18", "Bury in 2019"
_BESIDE_BEFORE = 1  # "the 2019 Rochdale inspection"


def _names_type(part: Part) -> bool:
    """Whether the focus only names the kind of answer ("the *deadline* for ...", "the *number* of ...")."""
    focus = part.focus
    if focus is None:
        return False
    return lexicon().has(part.answer_type.value, focus.head) or focus.head in {
        "number",
        "total",
        "name",
        "figure",
    }


def _without_type_word(part: Part) -> Part:
    """A part whose focus only names the kind of answer keeps that word for its label but not as a term a
    sentence must contain: "by November 5th" answers "what's the deadline" without the word "deadline"."""
    if not _names_type(part) or part.focus is None or part.answer_type == AnswerType.LIST:
        return part  # "the main *issues* identified were ...": a list is often introduced by its own noun
    head = stem(part.focus.head)
    focus = replace(part.focus, terms=part.focus.terms - {head})
    return replace(part, focus=focus, terms=part.terms - {head})


def _focus_without_places(part: Part, councils: Sequence[str]) -> Part:
    """ "Which Rochdale team ...": the council named is the question's scope, not part of the thing asked for
    (its label says "Team", and a sentence need not name the council to name the team)."""
    focus = part.focus
    if focus is None or not councils:
        return part
    text = _without_places(focus.text, councils)
    if not text or text == focus.text:
        return part
    core = _without_places(focus.core, councils) or focus.core
    return replace(part, focus=replace(focus, text=text, core=core, terms=frozenset(content_words(text))))


def _without_places(text: str, places: Sequence[str]) -> str:
    for place in places:
        # with the words of its council's name ("Nottingham City Council's 2022 ILACS" -> "2022 ILACS")
        text = re.sub(
            rf"(?<![\w-]){re.escape(place)}(?:\s+(?:city|county|borough|metropolitan|district|council))*(?:['’]s)?"
            r"(?![\w-])",
            "",
            text,
            flags=re.I,
        )
    # "the 2017 inspection of Bury" -> "the 2017 inspection", not "... inspection of"
    return re.sub(r"\s+(?:of|for|in|at|by)$", "", " ".join(text.split()), flags=re.I)


def _sources(doc: Doc) -> tuple[set[str], tuple[str, ...]]:
    """Who is reported as saying or finding ("what did *Ofsted* say about leadership?"): the source of the
    answer, not its topic. Returns its content words and the phrases as written (without "the")."""
    verbs = lexicon().classes["reporting_verbs"] | lexicon().classes["judgement_verbs"]
    words: set[str] = set()
    phrases: list[str] = []
    for tok in doc:
        agent = tok.dep_ == "pobj" and tok.head.dep_ == "agent"
        verb = tok.head.head if agent else tok.head
        passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)
        # "what did Ofsted find?", "how was the board judged *by Ofsted*?"; not "how was *the board* judged?"
        # (a passive's subject is what was judged; the small model often labels it nsubj all the same)
        speaker = (tok.dep_ == "nsubj" and not passive) or agent
        if speaker and verb.lemma_.lower() in verbs and verb.pos_ in {"VERB", "NOUN"}:
            if tok.pos_ == "PRON":
                continue  # "what did they say": who "they" are is not in the question
            phrase = " ".join(t.text for t in tok.subtree if t.dep_ not in {"det", "poss", "case"})
            words |= content_words(phrase)
            phrases.append(phrase)
    return words, tuple(dict.fromkeys(phrases))


def _unknown_places(doc: Doc, places: Sequence[str], known: Sequence[str]) -> tuple[str, ...]:
    """Places the question names that are not the councils whose papers are held, nor a country or region
    ("England", "the North West"): spaCy's GPE entities, and proper nouns standing where a place stands ("in
    Quarnford", "Quarnford's") that are not a date, an organisation or a person with a title. The small model
    tags unfamiliar place names as people as often as places, so the position decides."""
    lower = {p.lower() for p in places}
    wide = lexicon().classes["wide_areas"]
    dated = {t.i for e in doc.ents if e.label_ in {"DATE", "TIME", "ORG", "NORP"} for t in e}
    service = lexicon().classes["service_nouns"]
    # a name standing before a council's service is a place whatever entity the small model guessed
    dated -= {t.i for t in doc if t.pos_ == "PROPN" and _before_a_service(t, service)}
    candidates = [e.text for e in doc.ents if e.label_ == "GPE"]
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.i == 0 or tok.i in dated or tok.is_upper:
            continue
        at_place = (
            (tok.dep_ == "pobj" and tok.head.lower_ in {"in", "at", "for", "across", "from"})
            or tok.dep_ == "poss"
            or _before_a_service(tok, service)
        )
        if at_place and tok.text[:1].isupper():
            start = tok
            while start.i > 0 and doc[start.i - 1].pos_ == "PROPN" and doc[start.i - 1].dep_ == "compound":
                start = doc[start.i - 1]
            candidates.append(doc[start.i : tok.i + 1].text)
    out = []
    for text in candidates:
        name = re.sub(r"['’]s$", "", text).strip()
        low = name.lower()
        if (
            not name
            or low in lower
            or low in wide
            or any(low in k.lower() or k.lower() in low for k in known)
        ):
            continue
        if not name[0].isupper() or low in lexicon().nouns:
            continue
        out.append(name)
    return tuple(dict.fromkeys(out))


def _before_a_service(tok: Token, service: frozenset[str]) -> bool:
    """A proper noun modifying a council's service ("Cumbria children's services"), or listed with one that does
    ("Bournemouth, Christchurch and Poole children's services")."""
    while tok.dep_ == "conj" and tok.head.pos_ == "PROPN" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ not in {"compound", "nmod"} or tok.head.pos_ != "NOUN":
        return False
    name = [t for t in tok.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"]
    first = name[0] if name else tok
    if first.i > 0 and first.doc[first.i - 1].pos_ == "DET":
        return False  # "the Local Offer care leavers page": a named thing, not a place
    return tok.head.lemma_.lower() in service


def _councils_named(text: str, places: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for _, _, p in _place_mentions(text, places)))


_OR_BETWEEN = re.compile(r"(?:'s|’s)?[\s,]*or[\s,]+(?:the\s+)?", re.I)


def _alternatives(text: str, places: Sequence[str]) -> bool:
    """Whether two councils are named as alternatives ("..., Essex or Islington?", "Bury's or Bexley's"): the
    answer is one of them."""
    mentions = _place_mentions(text, places)
    return any(
        a[2] != b[2] and _OR_BETWEEN.fullmatch(text[a[1] : b[0]]) for a, b in itertools.pairwise(mentions)
    )


def _one_of_them(part: Part, doc: Doc) -> Part:
    """ "Who got outstanding first, Essex or Islington?": the answer is one of the councils named, so what is
    asked of each is what sets them apart: when, for which came first (`earliest_words`, `order_words`);
    otherwise an account of each (a measure when the words compare amounts: `series.measure_type`)."""
    lex = lexicon()
    words = {t.lower_ for t in doc}
    kind = (
        AnswerType.DATE
        if words & (lex.classes["earliest_words"] | lex.classes["order_words"])
        else AnswerType.DESCRIPTION
    )
    return replace(part, answer_type=kind, focus=None)


def _place_mentions(text: str, places: Sequence[str]) -> list[tuple[int, int, str]]:
    """Where each place is named in `text`, in reading order: (start, end, place)."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for place in sorted(places, key=len, reverse=True):
        # "suffolks report": the possessive typed without its apostrophe names the place too (not "Sales figures")
        plural = "" if place.lower() in everyday_words() else r"(?:s(?=\s+\w))?"
        for m in re.finditer(rf"(?<![\w-]){re.escape(place)}{plural}(?![\w-])", text, re.I):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            everyday = place[0].isupper() and not m.group()[0].isupper() and place.lower() in everyday_words()
            if everyday and not _names_a_place(text, m.start(), m.end()):
                continue  # "did they bury the report?"
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), place))
    return sorted(found)


_COUNCIL_WORDS = re.compile(r"\s+(?:council|borough|county|city)\b", re.I)


def _names_a_place(text: str, start: int, end: int) -> bool:
    """Whether a place's name typed in lower case, that is also an everyday word, names the place: before a
    word of a council's name ("bury council"), or as a modifier of a noun ("how many bury complaints ...",
    "bury childrens services"), which the verb it also is never is."""
    if _COUNCIL_WORDS.match(text, end):
        return True
    tok = next((t for t in parse(text) if t.idx == start), None)
    return (
        tok is not None
        and tok.pos_ in {"NOUN", "PROPN", "ADJ"}
        and tok.dep_ in {"amod", "compound", "nmod", "poss"}
        and tok.head.pos_ in {"NOUN", "PROPN"}
    )


# ----------------------------------------------------------------------------------------------------
# Clauses and parts


def _clauses(doc: Doc) -> list[Span]:
    """The question's wh-clauses: "When was X inspected and what was the outcome?" has two. A new clause starts
    at a question word that follows a coordinating conjunction ("... and what", "..., and how many") or a comma
    ("..., how many were investigated"), or at an auxiliary inverted after a conjunction ("..., and did they
    praise anything?"), provided the clause before it has a question word of its own."""
    tokens = list(doc)
    starts = [0]
    for i, tok in enumerate(tokens[1:], start=1):
        # "..., and did they praise anything?": an auxiliary straight after the conjunction, its subject next,
        # opens a yes/no clause
        inverted = (
            tok.lower_ in _AUX_FIRST
            and tokens[i - 1].pos_ == "CCONJ"
            and i + 1 < len(tokens)
            and tokens[i + 1].pos_ in {"PRON", "PROPN", "NOUN", "DET"}
        )
        if tok.lower_ not in _WH and not inverted:
            continue
        before = tokens[max(0, i - 2) : i]
        # "..., how many were investigated and how many upheld?": a list of questions joined by commas; only
        # words that never open a relative clause ("the plan, which ...") start one after a bare comma
        listed = tokens[i - 1].text == "," and tok.lower_ in _OPENS_AFTER_COMMA
        joined = listed or any(t.pos_ == "CCONJ" for t in before)
        if joined and any(t.lower_ in _WH for t in tokens[starts[-1] : i]):
            starts.append(i)
    return [doc[a:b] for a, b in zip(starts, [*starts[1:], len(tokens)], strict=True)]


def _part(span: Span, doc: Doc, place_terms: set[str], time_words: set[str]) -> Part:
    """One clause of the question; `time_words` (stems) say when or how things changed, not what about."""
    answer_type, focus = _answer_type(span, doc, place_terms)
    if focus is not None and focus.terms & place_terms:
        # the council scopes the question; it is not what is asked about ("what does Oldham need to improve",
        # "which Rochdale team ...": the team)
        kept = focus.terms - place_terms
        focus = replace(focus, terms=frozenset(kept)) if kept else None
    words = content_words(span.text) - _FRAMING - place_terms - time_words
    end = span.end  # "how many were investigated and": the conjunction joins the next clause on
    while end > span.start and (doc[end - 1].is_punct or doc[end - 1].pos_ == "CCONJ"):
        end -= 1
    return Part(
        doc[span.start : end].text.strip(" ,?") or span.text.strip(" ,?"),
        answer_type,
        focus,
        frozenset(words),
    )


def _inherit(parts: list[Part]) -> list[Part]:
    """A later clause without a noun of its own ("and how many went to Stage 1") asks about the first one's."""
    if len(parts) < 2 or parts[0].focus is None:
        return parts
    first = parts[0]
    out = [first]
    for part in parts[1:]:
        if part.answer_type == first.answer_type and (
            part.focus is None
            or not part.focus.terms & part.terms - _place_free(part)
            or _not_what_is_counted(part.focus)
        ):
            part = replace(part, focus=first.focus)
        out.append(part)
    return out


def _not_what_is_counted(focus: Focus) -> bool:
    """ "..., and how many went to Stage 2?": the count's own noun is left out ("how many" is the subject), so the
    noun found ("Stage") is where they went, not what is counted."""
    token = focus.token
    if token is None:
        return False
    counts = [
        t for t in token.doc[: token.i] if t.lower_ in {"many", "much"} and t.i and t.nbor(-1).lower_ == "how"
    ]
    return bool(counts) and counts[-1].head.i != token.i and counts[-1].dep_ in {"nsubj", "nsubjpass"}


def _place_free(part: Part) -> frozenset[str]:
    return frozenset()


def _split_coordinations(doc: Doc, parts: list[Part], place_terms: set[str]) -> list[Part]:
    """A counting question asked of several coordinated things is several parts: "how many were dealt with,
    investigated and upheld" (verbs), "how many priority actions and areas for improvement" (nouns)."""
    split = [each for part in parts for each in _split_nouns(doc, part, place_terms)]
    if len(split) != len(parts) or len(parts) != 1 or parts[0].answer_type not in _COUNTABLE:
        return split
    part = parts[0]
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ != "VERB" or root.tag_ != "VBN":
        return parts
    verbs = [root]
    frontier = [root]
    while frontier:
        verb = frontier.pop()
        for child in verb.children:
            own_subject = any(c.dep_ in {"nsubj", "nsubjpass"} for c in child.children)
            if child.dep_ in {"conj", "advcl"} and child.tag_ == "VBN" and not own_subject:
                verbs.append(child)
                frontier.append(child)
    if len(verbs) < 2:
        return parts
    out = []
    for verb in sorted(verbs, key=lambda t: t.i):
        label = " ".join([verb.text] + [c.text for c in verb.children if c.dep_ in {"prt"}])
        terms = frozenset(content_words(label) - place_terms)
        out.append(Part(label, part.answer_type, part.focus, terms))
    return out


def _split_nouns(doc: Doc, part: Part, place_terms: set[str]) -> list[Part]:
    """A counting part asked of coordinated nouns is one part per noun ("how many complaints and compliments
    ..., and how many went to the Ombudsman?" asks three things), unless the nouns name one group."""
    if part.answer_type not in _COUNTABLE or part.focus is None:
        return [part]
    head = next((t for t in doc if t.i == part.focus.index), None)
    if head is None:
        return [part]
    conj = [t for t in head.children if t.dep_ == "conj" and t.pos_ in {"NOUN", "PROPN"}]
    if not conj or _one_group(doc[head.i : conj[-1].right_edge.i + 1].text):
        return [part]  # "children and young people", "parents and carers": one group of people, one count
    out = []
    for noun in [head, *conj]:
        focus = _focus_from(noun, stop_at_conj=True)
        out.append(Part(focus.text, part.answer_type, focus, frozenset(focus.terms - place_terms)))
    return out


def _one_group(phrase: str) -> bool:
    """Whether coordinated nouns name one group, counted together (`fixed_pairs` data)."""
    text = " ".join(phrase.lower().replace("’", "'").split())
    return any(pair in text for pair in lexicon().classes["fixed_pairs"])


_COUNTABLE = frozenset({AnswerType.NUMBER, AnswerType.PERCENTAGE, AnswerType.MONEY})


# ----------------------------------------------------------------------------------------------------
# Answer type and focus


def _answer_type(
    span: Span, doc: Doc, place_terms: set[str] | None = None
) -> tuple[AnswerType, Focus | None]:
    tokens = [t for t in span if not t.is_punct]
    if not tokens:
        return AnswerType.DESCRIPTION, None
    lex = lexicon()
    lowers = [t.lower_ for t in tokens]
    # "how did Ofsted rate it" asks for a grade; "how has the 20-week rate changed" does not
    used = {
        w
        for t in doc
        if not _used_as_noun(t, lex.classes["judgement_only_as_verbs"])
        for w in (t.lemma_.lower(), t.lower_)  # the small model lemmatises "rated" as "rat"
    }
    judging = used & lex.classes["judgement_verbs"]
    judged = bool(used & lex.classes["judgement_context"])
    wh_index = _question_word(tokens)
    counting = wh_index is not None and " ".join(lowers[wh_index : wh_index + 2]) in {"how many", "how much"}
    if not counting and _asks_contact(tokens):
        # "what number do I ring?", "where can I write to?": the number or address asked for is the answer's
        # type, not its topic
        contact_focus = _main_focus(span)
        if contact_focus is not None and contact_focus.head in lex.classes["contact_nouns"] | {"number"}:
            contact_focus = None
        return AnswerType.CONTACT, contact_focus
    if wh_index is None:
        requested = _requested(span)
        if requested is not None:  # "can you give me the names of ...": what its object asks for
            return _typed_by_focus(_focus_from(requested), False, judged)
        focus = _main_focus(span)
        verbs = [
            t for t in tokens if t.pos_ in {"VERB", "AUX"} and not _misread_name(t, place_terms or set())
        ]
        if not verbs:
            # "next inspection date?": what the phrase names; in words typed as a search ("blackpool childrens
            # services ofsted rating 2023"), its last noun, whatever the parser made of a place or body's name
            last = next((t for t in reversed(tokens) if t.pos_ == "NOUN"), None)
            if last is not None and any(t.pos_ in {"VERB", "AUX"} for t in tokens):
                focus = _focus_from(last)
            if focus is not None:
                return _typed_by_focus(focus, False, judged)
        if lowers[0] in _AUX_FIRST:
            return AnswerType.YES_NO, focus
        if focus is not None and _imperative(span):
            # "compare the numbers of complaints ...": a measure asked for by any verb of request
            kind, measured = _typed_by_focus(focus, False, judged)
            if kind in {AnswerType.NUMBER, AnswerType.MONEY, AnswerType.PERCENTAGE}:
                return kind, measured
        if focus is not None and lex.has("list", focus.head):
            return AnswerType.LIST, focus
        return AnswerType.DESCRIPTION, focus
    wh = tokens[wh_index]
    after = tokens[wh_index + 1] if wh_index + 1 < len(tokens) else None
    nxt = after.lower_ if after is not None else ""
    if wh.lower_ == "how":
        if nxt in {"many", "much"} and after is not None:
            noun = _quantified_noun(after)
            focus = _focus_from(noun) if noun is not None else _main_focus(span)
            if nxt == "much":
                money = lex.classes["money"] | lex.classes["money_verbs"]
                if any(t.lemma_.lower() in money or t.lower_ in money for t in span):
                    return AnswerType.MONEY, focus  # "how much did it cost", "how much reserve funding"
                return AnswerType.NUMBER, focus
            if focus is not None and lex.has("duration", focus.head):
                return AnswerType.DURATION, focus  # "how many weeks"
            return AnswerType.NUMBER, focus
        if nxt in {"long", "soon"}:
            return (AnswerType.DATE if "ago" in lowers else AnswerType.DURATION), _main_focus(span)
        if nxt in {"often", "frequently", "regularly"}:
            return AnswerType.FREQUENCY, _main_focus(span)
        if nxt in _SIZE_WORDS and (sized := _main_focus(span)) is not None:
            # "how big was the overspend?", "how high is the rate?": a measure, when the thing is one
            kind, sized = _typed_by_focus(sized, False, judged)
            if kind in {AnswerType.MONEY, AnswerType.PERCENTAGE, AnswerType.NUMBER}:
                return kind, sized
        if judged and judging:
            return AnswerType.JUDGEMENT, _main_focus(span)
        return AnswerType.DESCRIPTION, _main_focus(span)
    if wh.lower_ == "when":
        return AnswerType.DATE, _main_focus(span)
    if wh.lower_ == "why":
        return AnswerType.REASON, _main_focus(span)
    if wh.lower_ in {"who", "whom", "whose"}:
        focus = _copula_focus(wh) or _main_focus(span)
        children = list(wh.head.children)
        # "who did the inspectors speak to": the people met, usually groups, not a named person
        if (
            wh.dep_ in {"dobj", "pobj"}
            and not any(c.dep_ in {"oprd", "attr"} for c in children)
            and not any(p.lower_ == "as" for p in children)
        ):
            return AnswerType.DESCRIPTION, _main_focus(span)
        if focus is not None and lex.has("organisation", focus.head) and not lex.has("person", focus.core):
            return AnswerType.ORGANISATION, focus
        copula = _copula_focus(wh)
        if copula is not None and _names_someone(copula):
            # "who is Chris Sivers?": the person is given; what is asked is who they are (their role)
            return AnswerType.DESCRIPTION, copula
        return AnswerType.PERSON, focus
    if wh.lower_ == "where":
        return AnswerType.DESCRIPTION, _main_focus(span)
    # what / which
    determined = _determined_noun(wh)
    topic = _topic_object(span)
    if determined is None and topic is not None and wh.head.lemma_.lower() in lex.classes["summary_verbs"]:
        return AnswerType.DESCRIPTION, topic  # "what did Ofsted say about leadership"
    focus = _focus_from(determined) if determined is not None else _copula_focus(wh)
    if focus is None:
        if judged and judging:
            return AnswerType.JUDGEMENT, _main_focus(span)
        return AnswerType.DESCRIPTION, _main_focus(span, skip_wh=True)
    return _typed_by_focus(focus, determined is not None, judged)


def _misread_name(token: Token, place_terms: set[str]) -> bool:
    """Whether a word the parser took for a verb is a name typed in lower case: a place ("bury"), a body
    ("ofsted") or an acronym written in capitals elsewhere ("send")."""
    return token.text.islower() and (
        stem(token.lower_) in place_terms
        or token.lower_ in lexicon().classes["names_not_verbs"]
        or capitals_only(token.text)
    )


_INDEFINITE = frozenset({"anything", "something", "everything", "nothing"})
_SIZE_WORDS = frozenset({"big", "large", "high", "low", "small", "great", "bad"})


def _evaluation(doc: Doc, focus: Focus | None) -> int:
    """Whether the question asks for praise ("what strengths did Ofsted find", "what was done well") or for
    criticism ("what concerns were raised", "the areas for improvement"), from its focus phrase or a verb it
    says is done well; the words are data (`assistant/data/polarity.yaml`)."""
    forms: list[str] = []
    if focus is not None:
        forms += [focus.head, focus.core]
        # the whole phrase ("areas for improvement", "significant areas of weakness"), up to any clause it
        # governs ("the deadline to submit its priority action plan")
        if focus.token is not None:
            head = focus.token
            tokens = [
                t
                for t in head.subtree
                if t == head
                or (
                    t.pos_ not in {"VERB", "AUX"}
                    and not any(
                        a.pos_ in {"VERB", "AUX"}
                        for a in itertools.takewhile(lambda a: a != head, t.ancestors)
                    )
                )
            ]
            lemmas = [t.lemma_.lower() for t in tokens]
            at = tokens.index(head)
            # the phrases that hold the head: "success rate" asks for a rate, not for successes
            forms += [" ".join(lemmas[i:j]) for i in range(at + 1) for j in range(at + 1, len(lemmas) + 1)]
    # "what did inspectors praise / criticise": the verb whose object is asked for
    forms += [
        t.lemma_.lower()
        for t in doc
        if t.pos_ == "VERB" and any(c.dep_ == "dobj" and c.tag_ in {"WP", "WDT"} for c in t.children)
    ]
    # "anything good", "something positive", "anything going right", "was anything wrong": what is said of an
    # indefinite pronoun the question asks whether inspectors found
    for t in doc:
        # "what was good about ...?", "what went wrong?": the question word stands where the pronoun would
        if t.lower_ in _INDEFINITE or (t.tag_ == "WP" and t.dep_ == "nsubj"):
            forms += [c.lemma_.lower() for c in t.children if c.dep_ == "amod"]
            verbs = [t.head] if t.dep_ in {"nsubj", "attr"} else []
            verbs += [c for c in t.children if c.dep_ in {"acl", "relcl"}]  # "anything going right"
            forms += [g.lemma_.lower() for v in verbs for g in v.children if g.dep_ in {"advmod", "acomp"}]
            # the word straight after the verb, however it was attached ("going right in ...")
            forms += [
                doc[v.i + 1].lemma_.lower()
                for v in verbs
                if v.i + 1 < len(doc) and doc[v.i + 1].pos_ == "ADV"
            ]
    # "doing well", "what went well": an adverb of manner on a verb (not "as well as", nor "how well did ...",
    # which asks how far)
    forms += [
        t.lemma_.lower()
        for t in doc
        if t.dep_ == "advmod"
        and t.head.pos_ in {"VERB", "AUX"}
        and (t.i == 0 or doc[t.i - 1].lower_ not in {"as", "how"})
        and not any(c.lower_ == "how" for c in t.children)
    ]
    asked = polarity.asked(forms)
    # "what still needs to improve?", "what does it need to sort out?": what is to be put right is criticism
    # (and "where does the council need to improve?": where it falls short)
    if (
        not asked
        and any(t.tag_ in {"WP", "WDT"} or t.lower_ == "where" for t in doc)
        and _goals(doc, polarity.remedy_verbs())
    ):
        return polarity.CRITICISM
    return asked


def _typed_by_focus(focus: Focus, determined: bool, judged: bool) -> tuple[AnswerType, Focus | None]:
    """The answer type a noun phrase asks for ("which *inspector*", "what is the *budget*", "give me the *names*
    of ..."); `determined`: the phrase follows the question word ("what funding") rather than being its
    complement ("what is the funding"); `judged`: the question is about a judgement."""
    lex = lexicon()
    if focus.head == "name":
        inner = _of_object(focus)
        focus = inner or focus
        # "the name of the director" is a person's; "the name of the parent carer forum" is a body's
        person = lex.within("person", focus.core) and not lex.has("organisation", focus.head)
        return (AnswerType.PERSON if person else AnswerType.ORGANISATION), focus
    if lex.has("judgement", focus.core) and (focus.head not in lex.classes["judgement_if_context"] or judged):
        return AnswerType.JUDGEMENT, focus
    if lex.has("person", focus.core) and not lex.has("organisation", focus.head):
        return AnswerType.PERSON, focus
    if lex.has("date", focus.head):
        return AnswerType.DATE, focus
    if lex.has("percentage", focus.core):
        return AnswerType.PERCENTAGE, focus
    if lex.has("money", focus.core) and not determined:  # "what is the budget", not "what funding"
        return AnswerType.MONEY, focus
    if lex.has("number", focus.head) and not determined:
        counted = _of_object(focus) if focus.head in lex.classes["count_words"] else None
        return AnswerType.NUMBER, counted or focus
    if lex.has("reason", focus.head):
        return AnswerType.REASON, focus
    if lex.has("organisation", focus.head) and determined:
        return AnswerType.ORGANISATION, focus
    if lex.has("list", focus.head):
        return AnswerType.LIST, focus
    return AnswerType.DESCRIPTION, focus


def _imperative(span: Span) -> bool:
    """Whether the clause is a command: its main verb in the base form with no subject ("Compare the ...")."""
    root = span.root
    return (
        root.pos_ == "VERB"
        and root.tag_ == "VB"
        and root.i == span.start
        and not any(c.dep_ in {"nsubj", "nsubjpass", "aux"} for c in root.children)
    )


def _requested(span: Span) -> Token | None:
    """The object of a request ("could you give me *the names* of ...", "list *the priorities*"): the direct
    object of the clause's main verb when that verb asks for something and its subject, if any, is "you"."""
    root = span.root
    if root.lemma_.lower() not in lexicon().classes["request_verbs"]:
        return None
    subjects = [c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if any(c.lower_ != "you" for c in subjects):
        return None
    return next((c for c in root.children if c.dep_ == "dobj" and c.lower_ not in {"me", "us", "it"}), None)


_SUBORDINATE = {"advcl", "relcl", "acl"}


def _question_word(tokens: list[Token]) -> int | None:
    """Where the word that asks the question is: the first question word not opening an adverbial or relative
    clause ("was anything done well *when* Ofsted failed them?" asks yes or no, not a date; "do you know *when*
    ...?" still asks), else one that opens the question or follows a dash or colon (the parser misreads some
    questions' first clause as subordinate)."""
    whs = [i for i, t in enumerate(tokens) if t.lower_ in _WH]
    asking = next((i for i in whs if _asks(tokens[i])), None)
    if asking is not None:
        return asking
    return next((i for i in whs if i == 0 or _after_break(tokens[i])), None)


def _after_break(tok: Token) -> bool:
    return tok.i > 0 and tok.doc[tok.i - 1].text in {"-", "–", "—", ":", ";"}


def _asks(wh: Token) -> bool:
    """Whether a question word stands outside any adverbial or relative clause."""
    tok = wh
    while tok.head.i != tok.i:
        if tok.dep_ in _SUBORDINATE or (tok.dep_ == "pcomp" and _after_a_verb(tok.head)):
            return False
        tok = tok.head
    return True


def _after_a_verb(prep: Token) -> bool:
    """Whether a preposition comes after the question's verb: its clause is subordinate ("is it better now *than
    when* Ofsted said ...?"), unlike a preposition fronting the question ("*At what* intervals ...?", "*To
    when* was it moved?")."""
    return any(t.pos_ in {"AUX", "VERB"} for t in prep.doc[: prep.i])


def _asks_contact(tokens: list[Token]) -> bool:
    """ "What number do I ring to complain?", "What is the email address for ...?", "Where can I write to ...?",
    "How do I contact ...?" (word lists as data: `contact_nouns`, `contact_verbs`)."""
    lex = lexicon()
    lemmas = {t.lemma_.lower() for t in tokens}
    nouns = lex.classes["contact_nouns"]
    # a noun in use ("the email address", "what number"); "how will the council *address* it" is a verb the
    # small model may tag as a noun: it has a subject of its own
    if any(
        t.pos_ in {"NOUN", "PROPN"}
        and t.lemma_.lower() in nouns
        and not any(c.dep_ == "nsubj" for c in t.children)
        for t in tokens
    ):
        return True
    verbs = {t.lemma_.lower() for t in tokens if t.pos_ == "VERB"}
    if verbs & lex.classes["contact_verbs"]:
        return True
    # "where can I write to?", "what number do I call?"
    return ("where" in lemmas and "write" in verbs) or ("number" in lemmas and bool(verbs & {"call", "ring"}))


_ARGUMENT = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "conj"})


def _used_as_noun(tok: Token, words: frozenset[str]) -> bool:
    """A word of `words` used as a noun: "the 20-week *rate* changed", "what is the uphold *rate*" — an
    argument of its clause or determined ("the", "Kent's"); the small model often tags the verb in "how did
    Ofsted *rate* it" as a noun too, but there it is neither."""
    if tok.lemma_.lower() not in words or tok.pos_ == "VERB":
        return False
    return tok.dep_ in _ARGUMENT or any(c.dep_ in {"det", "poss"} for c in tok.children)


def _climb(tok: Token) -> Token:
    """From a modifier or possessor to the noun it belongs to: "children('s)" -> "records", "ILACS" ->
    "pathway", "case" -> "records". Two common nouns side by side are one compound whose head is the last, even
    when the parser reads them apart ("complaint numbers")."""
    seen = 0
    if tok.pos_ == "NOUN":
        tok = _run_end(tok)
    while seen < 6 and tok.dep_ in {"compound", "amod", "poss", "nmod", "nummod"} and tok.head.i > tok.i:
        if tok.head.pos_ not in {"NOUN", "PROPN", "ADJ", "NUM"}:
            break
        tok = tok.head
        seen += 1
    return tok


def _run_end(tok: Token) -> Token:
    """The last common noun of the run of nouns `tok` opens, an acronym or name inside it included ("area SEND
    inspection outcomes": the parser reads "SEND" as a name and splits the phrase at it); a possessive or a
    place ends the run."""
    doc, last, i = tok.doc, tok, tok.i
    while (
        i + 1 < len(doc)
        and doc[i].whitespace_ != ""
        and doc[i + 1].pos_ in {"NOUN", "PROPN"}
        and doc[i + 1].dep_ != "poss"
        and doc[i + 1].ent_type_ not in {"GPE", "LOC"}
    ):
        i += 1
        if doc[i].pos_ == "NOUN":
            last = doc[i]
    return last


def _quantified_noun(quant: Token) -> Token | None:
    """The noun "many"/"much" counts: its head ("many complaints"), or the object of "of" ("many of the
    complaints"), or the next noun before a verb."""
    if quant.head.pos_ in {"NOUN", "PROPN"} and quant.head.i > quant.i:
        return _climb(quant.head)
    for prep in quant.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return _climb(obj)
    # "how many looked after children's cases did inspectors look at?": the words before the inverted auxiliary
    # are what is counted, whatever the parser made of them; its last noun heads them
    window = list(quant.doc[quant.i + 1 : quant.i + 9])
    aux = next((i for i, t in enumerate(window) if t.pos_ == "AUX"), None)
    first = (
        next((i for i, t in enumerate(window[:aux]) if t.pos_ in {"NOUN", "PROPN"}), None) if aux else None
    )
    if first is not None:  # the end of the first run of nouns ("children's cases"), not of a phrase after it
        run = first
        while run + 1 < (aux or 0) and (
            window[run + 1].pos_ in {"NOUN", "PROPN"} or window[run + 1].tag_ == "POS"
        ):
            run += 1
        return window[run] if window[run].pos_ in {"NOUN", "PROPN"} else window[run - 1]
    for tok in quant.doc[quant.i + 1 : quant.i + 6]:
        if tok.pos_ in {"NOUN", "PROPN"}:
            return _climb(tok)
        if tok.pos_ in {"VERB", "AUX"}:
            return None
    return None


def _governing_verb(noun: Token) -> str:
    head = noun.head
    for _ in range(4):
        if head.pos_ in {"VERB", "AUX"} or head.head is head:
            break
        head = head.head
    return head.lemma_.lower()


def _determined_noun(wh: Token) -> Token | None:
    """ "which ILACS inspection pathway", "what period": the noun the question word determines."""
    if wh.dep_ == "det" and wh.head.pos_ in {"NOUN", "PROPN"}:
        return _climb(wh.head)
    for prep in wh.children:  # "which of the three outcomes": one of them is asked for
        if prep.dep_ == "prep" and prep.lower_ == "of" and prep.i == wh.i + 1:
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is not None and obj.pos_ in {"NOUN", "PROPN"}:
                return _climb(obj)
    nxt = wh.doc[wh.i + 1] if wh.i + 1 < len(wh.doc) else None
    if (
        nxt is not None and nxt.lemma_.lower() in lexicon().nouns
    ):  # a tagging slip: "Which dates/VERB did ..."
        return nxt
    if (
        nxt is not None
        and nxt.pos_ in {"NOUN", "PROPN", "ADJ"}
        and wh.dep_
        in {"det", "dobj", "nsubj", "attr", "dep"}  # "dep": left unattached ("Which Ofsted inspector")
    ):
        if nxt.pos_ == "ADJ" and nxt.head.pos_ not in {"NOUN", "PROPN"}:
            return None
        return _climb(nxt)
    return None


def _topic_object(span: Span) -> Focus | None:
    """ "... about leadership", "... on care leavers", "... regarding SEND": what an account is about."""
    for tok in span:
        if tok.dep_ == "prep" and tok.lower_ in {"about", "on", "regarding", "concerning", "around"}:
            obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
            if obj is not None and obj.pos_ in {"NOUN", "PROPN"}:
                focus = _focus_from(obj)
                conj = [c for c in obj.conjuncts if c.pos_ in {"NOUN", "PROPN"}]
                if conj:  # "about leadership and supervision": both are the topic
                    others = [_focus_from(c, stop_at_conj=True) for c in conj]
                    text = " and ".join([focus.text, *(o.text for o in others)])
                    terms = focus.terms.union(*(o.terms for o in others))
                    focus = replace(focus, text=text, terms=terms)
                return focus
    return None


def _copula_focus(wh: Token) -> Focus | None:
    """ "What was the total number of ...", "Who is the independent chair of ...": the subject of the copula
    (or of a passive: "who was appointed chair")."""
    root = wh.head
    if (
        root.lemma_.lower() != "be"
        and root.pos_ != "AUX"
        and not any(c.dep_ in {"auxpass", "attr"} for c in root.children)
    ):
        return None
    for child in root.children:
        if child is wh or child.pos_ not in {"NOUN", "PROPN"}:
            continue
        if child.dep_ in {"nsubj", "attr", "nsubjpass"}:
            return _focus_from(_run_end(child) if child.pos_ == "NOUN" else child)
    return None


def _names_someone(focus: Focus) -> bool:
    """Whether a focus is a person's name ("Chris Sivers", "Cllr Smith", "Dame Christine Lenehan") rather than a
    role ("the director", "Bury's DCS"): no determiner or possessor, a head that is no role or body word, and a
    person's name by the tagger (an entity, a title or proper nouns throughout)."""
    head = focus.token
    if head is None or any(c.dep_ in {"det", "poss", "predet"} for c in head.children):
        return False
    lex = lexicon()
    if lex.has("person", focus.head) or lex.has("organisation", focus.head):
        return False
    phrase = [t for t in head.subtree if t.i <= head.i]
    return (
        any(t.ent_type_ == "PERSON" for t in phrase)
        or any(t.lower_.rstrip(".") in _NAME_TITLES for t in phrase)
        or all(t.pos_ == "PROPN" and not t.is_upper for t in phrase)
    )


_NAME_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "dame", "sir", "lord", "lady", "cllr", "councillor"}
)


def _of_object(focus: Focus) -> Focus | None:
    """ "the number of complaints" -> complaints; "the name of the lead inspector" -> lead inspector."""
    if focus.token is None:
        return None
    for prep in focus.token.children:
        if prep.dep_ == "prep" and prep.lower_ in {"of", "for"}:
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return _focus_from(obj)
    return None


def _main_focus(span: Span, skip_wh: bool = False) -> Focus | None:
    """The most specific noun phrase of a clause: the subject or object of its main verb, else its first
    common noun."""
    candidates = [
        t
        for t in span
        if t.pos_ in {"NOUN", "PROPN"}
        and t.lower_ not in _WH
        and t.dep_ in {"nsubj", "nsubjpass", "dobj", "attr", "pobj", "ROOT", "conj", "appos", "oprd"}
    ]
    if not candidates:
        return None
    best = next(
        (t for t in candidates if t.pos_ == "NOUN" and t.dep_ in {"nsubj", "nsubjpass", "dobj", "attr"}), None
    )
    best = best or next((t for t in candidates if t.pos_ == "NOUN"), candidates[0])
    return _focus_from(_climb(best))


_DEICTIC_ADVERBS = frozenset({"there", "here", "then", "now"})


def _numbered_before(head: Token) -> list[Token]:
    """A noun the parser split from the noun it numbers ("2024/25 stage | 1 complaints", "key stage | 2
    results"): the noun and the number, when a number right after `head` numbers the noun right after it."""
    doc = head.doc
    if head.i + 2 >= len(doc):
        return []
    number, noun = doc[head.i + 1], doc[head.i + 2]
    if number.like_num and number.dep_ == "nummod" and number.head.i == noun.i and noun.pos_ == "NOUN":
        return [head, number]
    return []


def _focus_from(head: Token, stop_at_conj: bool = False) -> Focus:
    """The head noun with its compounds and adjectives ("independent chair", "case records") and a short
    following "for"/"of" phrase ("areas for improvement"); no determiners, possessors or question words."""
    skip = {"poss", "case", "det", "predet"}
    split = _numbered_before(head)
    if split:  # "stage 1 complaints", parsed "stage | 1 complaints": the thing is the complaints
        head = split[-1].head

    def kept(t: Token) -> bool:
        # "which Rochdale team": the place is the scope, not the thing
        places = {"GPE", "LOC"}
        words = t.lower_ not in _WH and t.lower_ not in {"many", "much"}
        return t.dep_ not in skip and words and t.ent_type_ not in places

    left = [
        t
        for tok in head.lefts
        if tok.dep_ in {"compound", "amod", "nmod", "nummod"}
        for t in tok.subtree
        if kept(t)
    ]
    left += [t for t in split[0].subtree if t.i <= split[0].i and kept(t)] if split else []
    before = head.doc[head.i - 1] if head.i > 0 else None
    if before is not None and before.pos_ == "NOUN" and before not in left:
        # a noun just before the head names it with it, however the parser attached it ("complaint numbers",
        # "complaints contacts": the latter read as the head's own dependent, not a compound)
        left.append(before)
    core_tokens = sorted({*left, head}, key=lambda t: t.i)
    words = list(core_tokens)
    shown: set[Token] = set()  # possessors shown in the label but not counted among the terms
    for prep in head.rights:
        if prep.dep_ == "prep" and prep.lower_ in {"for", "of"}:
            # "director of children's services": a possessor that is a common noun is part of the thing's name
            shown = {t for t in prep.subtree if t.dep_ == "poss" and t.pos_ == "NOUN" and not t.ent_type_}
            shown |= {c for t in shown for c in t.children if c.dep_ == "case"}
            # "the director of children's services there": where and when are the scope, not the thing
            sub = [
                t
                for t in prep.subtree
                if (t.dep_ not in skip or t in shown) and t.lower_ not in _DEICTIC_ADVERBS
            ]
            if stop_at_conj and any(t.dep_ == "conj" for t in sub):
                break
            if len(sub) <= 5:
                words.extend(sub)
            elif (obj := next((c for c in prep.children if c.dep_ == "pobj"), None)) is not None:
                # "the three areas of significant weakness identified in Essex's 2019 inspection": the
                # phrase's noun with its modifiers, not the clause that goes on from it
                words += [prep, obj] + [
                    t
                    for tok in obj.lefts
                    if tok.dep_ in {"compound", "amod", "nmod"} or tok in shown
                    for t in tok.subtree
                    if t.dep_ not in skip or t in shown
                ]
            break
    words = sorted(set(words), key=lambda t: t.i)
    text = _joined([t for t in words if t not in shown])
    full = _joined(words)
    core = " ".join(t.lemma_.lower() for t in core_tokens)
    return Focus(
        text, head.lemma_.lower(), frozenset(content_words(text)), head.i, core, head, full if shown else ""
    )


def _joined(words: Sequence[Token]) -> str:
    """Tokens written out as in the question, with one space where words between them were left out."""
    gaps = [t.whitespace_ if nxt.i == t.i + 1 else " " for t, nxt in itertools.pairwise(words)]
    text = "".join(t.text + gap for t, gap in zip(words, [*gaps, ""], strict=True)).strip()
    return text.replace(" - ", "-").replace(" / ", "/")


def with_councils(analysis: QuestionAnalysis, councils: Sequence[str]) -> QuestionAnalysis:
    """The same question asked of other councils (follow-ups such as "what about Rochdale?")."""
    return replace(analysis, councils=tuple(councils), home=not councils)


_WORD = re.compile(r"[a-z][a-z'’]*")


def with_weights(
    analysis: QuestionAnalysis, idf: Callable[[Sequence[str], str], dict[str, float]], audience: str
) -> QuestionAnalysis:
    """The analysis with each key term weighted by its rarity in the papers (inverse document frequency)."""
    forms: dict[str, str] = {}
    for word in _WORD.findall(analysis.text.lower().replace("-", " ")):
        s = stem(word)
        if s in analysis.key_terms or any(s in p.terms for p in analysis.parts):
            forms.setdefault(s, word)
    if not forms:
        return analysis
    by_word = idf(list(forms.values()), audience)
    weights = {s: max(0.1, by_word.get(w, 1.0)) for s, w in forms.items()}
    return replace(analysis, weights=weights)


def carry_context(
    analysis: QuestionAnalysis, previous: QuestionAnalysis, topic: bool = True
) -> QuestionAnalysis:
    """A question in a conversation keeps its own kind and focus and borrows the previous question's councils
    and period where it names none (the period only when it names no council either, or leans on the question
    before); with `topic`, also its topic words (a follow-up such as "how many of those were upheld?") and, when it
    asks the same kind of answer or a count, the previous question's thing as its focus."""
    # a question asking for the latest ("which got the better grade last time?") or the future keeps its own time;
    # so does one naming its own councils that leans on nothing before ("Compare the outcomes of the Rochdale and
    # Oldham inspections" after a question about Bury in 2025: a new subject, not 2025's)
    timed = not (analysis.latest or analysis.future) and (topic or not analysis.councils)
    carried = replace(
        analysis,
        councils=analysis.councils or previous.councils,
        home=analysis.home and previous.home,
        years=analysis.years or (previous.years if timed else ()),
        financial_years=analysis.financial_years or (previous.financial_years if timed else ()),
        period=analysis.period or (previous.period if timed else None),
    )
    if not topic:
        return carried
    focus = carried.focus
    parts = carried.parts
    # the previous question's thing stands in only for a question asking the same kind of answer or a count of
    # it: "who has been brought in to fix it?" after "what did the inspection find?" asks for a person, not a
    # finding
    same_kind = analysis.answer_type == previous.answer_type or analysis.answer_type in _COUNTS_OF
    if same_kind and previous.focus is not None and (focus is None or focus.head in _STAND_INS):
        # "how many of those were upheld?": "those" are the previous question's complaints
        focus = previous.focus
        parts = tuple(
            replace(p, focus=previous.focus) if p.focus is None or p.focus.head in _STAND_INS else p
            for p in parts
        )
    return replace(
        carried,
        focus=focus,
        parts=parts,
        key_terms=analysis.key_terms | previous.key_terms,
        topic=f"{previous.topic} {analysis.topic}".strip(),
    )


_COUNTS_OF = frozenset({AnswerType.NUMBER, AnswerType.PERCENTAGE, AnswerType.MONEY})
# words that stand for something named before ("how many of *those* were upheld?")
_STAND_INS = frozenset({"those", "these", "that", "this", "it", "them", "they", "one", "ones"})
