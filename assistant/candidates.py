"""Candidate sentences: every sentence of the retrieved passages that could answer, with how well it does.

A sentence's relevance mixes its embedding similarity to the question, the share of the question's key terms
it (or its heading) contains, whether it holds the words of the question's focus, and its passage's rank; it is
marked down when it is about another period than the one asked. Table debris, page furniture, headings on their
own and text that reads as instructions to an assistant are never candidates.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from assistant import polarity
from assistant.facts import FactKind, extract_facts
from assistant.guardrails import planted
from assistant.nlp import parse
from assistant.people import NAME_FIELD_LABELS, POST_FIELD_LABELS
from assistant.question import (
    ORDINALS,
    RELATIVE_ORDERS,
    AnswerType,
    QuestionAnalysis,
    analyse,
    financial_years,
    lexicon,
)
from assistant.sections import read_under, section_heading
from assistant.sentences import footnotes, introduces_list, sentence_spans
from assistant.sources import SOURCE_FIT, said_by
from assistant.sources import named as named_sources
from assistant.spans import has_contact
from assistant.verify import content_words, stem
from vectorstore.glossary import BODIES, GLOSSARY, KINDS
from vectorstore.passage import Passage
from vectorstore.querydates import OPEN_START, Period, stated_periods

Embed = Callable[[list[str]], list[list[float]]]

MAX_PASSAGES = 8
NATIONAL_FIT = 0.85  # a national body's sentence against a council's own, for a question about the council
PHRASE_FIT = 1.15  # a sentence naming the focus as the question words it ("areas for continued focus")
ENUMERATION_FIT = 1.5  # a sentence setting out the things a list question asks for under their own noun
UNJUDGED_FIT = 0.7  # a sentence that neither praises nor criticises as asked ("what strengths ...?")
# a passage using none of the question's words against one using all of them (less as it uses some)
OFF_SCOPE_FIT = 0.85
CAUSE_FIT = 1.15  # a sentence giving a cause ("because", "due to", "put down to"), for a question asking why
FOOTNOTE_FIT = 0.5  # a footnote ("¹ The areas for improvement have been cross-referenced ...") rarely answers
MAX_EMBEDDED = 32  # sentences embedded per question (the rest rank on words alone)
_MAX_LIST_ITEMS = 8  # items read with the sentence that introduces them
# a sentence whose subject is a pronoun standing for the sentence before's topic ("These are being reviewed
# weekly", "It will meet monthly", "In January 2023 it was 4%"); not "This report sets out ..." (a noun follows)
_CONTINUES = re.compile(
    r"^[\"“‘']?"  # a quotation going on: "“That's down to having stability among our staff"
    r"(?:(?:In|By|At|On|During|Since|From|Until|Over)\s+[^,.;:]{1,40}?,?\s+)?"  # "In January 2023 it was 4%"
    r"(?:[Tt]hey|[Ii]t|[Hh]e|[Ss]he|[Tt]hese|[Tt]his|[Tt]hose|[Tt]hat)"
    r"(?:['’](?:s|re)\b|\s+(?:are|were|is|was|will|would|have|has|had|can|could|should|must|"
    r"may|might|remain|remains|include|includes|included|continue|continues|also|now|then|being|been)\b)"
)
_CONNECTIVE = re.compile(
    r"^(?:[\w’'-]+,?\s+){0,3}?(?:however|also|therefore|nevertheless|nonetheless|furthermore|moreover|"
    r"in addition|as a result|consequently)\b",
    re.I,
)
_LISTS = re.compile(r":|\b(?:include|includes|included|including|were as follows|are as follows)\b", re.I)
_FOOTNOTE = re.compile(r"\[\s*\d{1,3}\s*\]")
_CUT_OFF = re.compile(r"\[\s*(?:\.\.\.|…)\s*\]\s*$")
# a link ending in its file type and size ("Ofsted Inspection pdf icon PDF 331 KB"): a web page's link, not a
# statement
_FILE_LINK = re.compile(
    r"\b(?:PDF|DOCX?|XLSX?|PPTX?|ODT|RTF|CSV)\s*(?:file\s*)?,?\s*\d+(?:\.\d+)?\s*[KMG]B\)?\.?\s*$", re.I
)
# a heading, one opening with a year too ("2024-2025 Complaints")
_LABEL_ONLY = re.compile(r"^(?:[A-Z]|(?:19|20)\d\d\b)[\w &/()'’,-]{0,60}:?$")


@dataclass
class Candidate:
    sentence: str
    passage_index: int  # into the passages list
    position: int  # sentence number within its passage
    lexical: float = 0.0  # share of key terms in the sentence
    context: float = 0.0  # share of key terms in the sentence, its heading and its paper's title
    focus: float = 0.0  # share of the focus's terms in the sentence
    judged: bool = False  # for a question asking for praise or criticism: the sentence gives it (`_judged`)
    similarity: float = 0.0  # cosine with the question
    period: float = 1.0  # 1 when about the period asked (or none asked), lower when about another
    dated: float = 1.0  # the period fit alone (`_period_fit`), before the other factors in `period`
    score: float = 0.0
    words: set[str] = field(default_factory=set, repr=False)
    heading: frozenset[str] = field(default=frozenset(), repr=False)  # its paper's title and section's words
    vector: list[float] | None = field(default=None, repr=False)


DERIVED_MIN = 6  # the shorter stem of two related by derivation has at least this many letters
DERIVED_EXTRA = 2  # ... and the longer adds at most this many


def derived(terms: frozenset[str], words: set[str] | frozenset[str]) -> set[str]:
    """The question's terms (stems) that a sentence holds in a derived form the stemmer leaves apart: "complain"
    in "complaints" ("complaint"), "inspect" in "inspector". A stem of six letters or more that begins the
    other, which is at most two letters longer (so "council" is not "councillor")."""
    out = set()
    for term in terms - words:
        for word in words:
            short, long_ = (term, word) if len(term) <= len(word) else (word, term)
            if (
                len(short) >= DERIVED_MIN
                and len(long_) - len(short) <= DERIVED_EXTRA
                and long_.startswith(short)
            ):
                out.add(term)
                break
    return out


# the glossary's terms and what each is a kind of, as stems ("ilac": "inspect")
KIND_STEMS = {stem(term.lower()): stem(kind) for term, kind in KINDS.items()}
# the glossary's acronyms and the content words of their long forms ("cqc": {"care", "qualiti", "commiss"})
_LONG_FORMS = {
    stem(term.lower()): [frozenset(content_words(long)) for long in longs]
    for term, longs in GLOSSARY.items()
    if any(c.isupper() for c in term[1:])  # an acronym ("CQC", "DfE"), not a phrase
}

# a paper about another inspection than the one asked ("the last ILACS": a SEND report)
OTHER_FRAMEWORK_FIT = 0.6
_FRAMEWORKS = {
    "ilacs": re.compile(r"\bILACS\b|inspection of local authority children", re.I),
    "send": re.compile(r"\bSEND\b|special educational needs", re.I),
}


def frameworks_named(text: str) -> frozenset[str]:
    """The inspection frameworks a text names: "ilacs" (children's services) and "send" (area SEND)."""
    return frozenset(name for name, pattern in _FRAMEWORKS.items() if pattern.search(text))


def _framework_fit(asked: frozenset[str], heading: str) -> float:
    """Lower when the question names one inspection framework and the paper's title names only another."""
    named = frameworks_named(heading)
    return OTHER_FRAMEWORK_FIT if asked and named and not asked & named else 1.0


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    na = math.sqrt(sum(x * x for x in a)) or 1.0
    nb = math.sqrt(sum(y * y for y in b)) or 1.0
    return dot / (na * nb)


def clean(sentence: str) -> str:
    """One line, footnote-style "[2]" removed so that it cannot pass for one of our citation markers."""
    return " ".join(_FOOTNOTE.sub("", sentence).split()).strip(" |")


_BRACKETED = re.compile(r"^\([^()]*\)[.;,]?$")


def is_debris(sentence: str, headings: bool = True) -> bool:
    """Text that is not a statement: table debris, page furniture, a bare heading or a run of figures.
    (Planted instructions and fake citations are left out by `collect`, which also records them.) Without
    `headings`, a line that only looks like a heading ("Limited co-production of services", an item of a list)
    is not debris."""
    if len(sentence) < 20 or len(sentence) > 700:
        return True
    if _CUT_OFF.search(sentence) and len(_CUT_OFF.sub("", sentence)) < 40:
        return True  # "Action: Officers to [...]": a sentence the stored excerpt cuts off
    if _BRACKETED.match(sentence):
        return True  # "(Outcome 3, national framework)": a note on the sentence before, saying nothing alone
    cells = sentence.count("|")
    if cells > 3 or _FILE_LINK.search(sentence):
        return True
    letters = sum(ch.isalpha() for ch in sentence)
    if letters < 0.5 * len(sentence) and not has_contact(sentence):  # "calling 0161 253 5529" is a statement
        return True
    return headings and bool(_LABEL_ONLY.match(sentence) and not cells)


def collect(
    analysis: QuestionAnalysis,
    passages: Sequence[Passage],
    embed: Embed | None,
    *,
    terms: frozenset[str] | None = None,
    focus_terms: frozenset[str] | None = None,
    max_passages: int = MAX_PASSAGES,
    about: Sequence[str] = (),
    is_local: Callable[[str], bool] | None = None,
    must_name: bool = False,
    flagged: list[tuple[Passage, str, str]] | None = None,
    prefer_local: bool = False,
) -> list[Candidate]:
    """Every candidate sentence of the first `max_passages` passages, scored and sorted best first.

    `about` are the places the question is about; a national body's paper (`is_local(council)` false) only
    counts when it names one of them, so that England's figures are not given as a council's; with
    `must_name`, every paper must (a place none of the councils held is, so no paper is its own). Sentences
    that read as planted instructions or fake citations are left out and, when `flagged` is given, listed there
    (passage, "instruction" | "citation", sentence). With `prefer_local`, a sentence from the council's own
    papers ranks above an equal one from a national body's (which may name the council among many)."""
    key = terms if terms is not None else analysis.key_terms
    focus = (
        focus_terms if focus_terms is not None else (analysis.focus.terms if analysis.focus else frozenset())
    )
    weights = analysis.weights
    out: list[Candidate] = []
    top = list(passages)[:max_passages]
    dates = [p.date for p in top if p.date]
    newest = max(dates) if dates else None
    # "what did Ofsted say ...": when the source's own papers are among the passages, others' accounts come after
    sources = named_sources(analysis.sources)
    if sources and not any(said_by(p.body, sources) for p in top):
        sources = ()
    asked_frameworks = frameworks_named(analysis.text)
    asked_terms = key | focus
    # "the 2023 ILACS": a sentence naming the inspection ("inspectors visited ...") holds it
    kinds = {t: k for t, k in KIND_STEMS.items() if t in asked_terms}
    # "complaints about Bury children's services": a passage of a paper on the whole council's complaints, which
    # never says "children" or "services", is about something wider than asked; it ranks below the passages
    # using more of the question's words (only relatively: the best passage's sentences keep their score)
    # (scope is the paper's: a later passage of a paper on the question's topic is not a wider paper's)
    scopes: dict[str, float] = {}
    for p in top:
        scopes[p.doc_id] = max(scopes.get(p.doc_id, 0.0), _in_scope(key, p))
    in_scope = [scopes[p.doc_id] for p in top]
    widest = max(in_scope, default=0.0)
    for pi, passage in enumerate(top):
        if about and (must_name or (is_local is not None and not is_local(passage.council))):
            named = f"{passage.title} {passage.section} {passage.text}".lower()
            if not any(place.lower() in named for place in about):
                continue
        heading = frozenset(content_words(f"{passage.title} {passage.section}"))
        framework_fit = _framework_fit(asked_frameworks, f"{passage.title} {passage.section}")
        # a section whose heading the question echoes ("What needs to improve?"): its lines read with the heading
        section = section_heading(passage.heading_path)
        under = read_under(analysis, section, about)
        spelled = acronyms(passage.text)
        period_context = f"{passage.title} {passage.section} {passage.doc_id}"
        scope_fit = 1.0 - (1.0 - OFF_SCOPE_FIT) * (widest - in_scope[pi])
        intro: set[str] = set()  # the words of a sentence introducing a list ("you can complain by:")
        items = 0
        # the list's introduction gives what is asked ("What needs to improve?", "Strengths:")
        judged_list = False
        judged_before = False  # the sentence before gave what is asked (one opening "This is ..." goes on to)
        notes = footnotes(passage.text)
        before: set[str] = set()  # the words of the sentence before (one opening "These are ..." reads on)
        for pos, (start, raw) in enumerate(_fields_joined(passage.text)):
            sentence = clean(raw)
            plain = content_words(without_body_names(sentence))
            previous, before = before, plain
            if items and (items > _MAX_LIST_ITEMS or introduces_list(sentence)):
                intro, items, judged_list = set(), 0, False
            if introduces_list(sentence):
                intro, items = plain, 0
                judged_list = bool(analysis.evaluation) and (
                    _judged(analysis, sentence, plain) or _asks_alike(sentence, analysis.evaluation)
                )
            elif intro:
                items += 1
            kind = planted(raw) or planted(sentence)
            if (
                kind
            ):  # an instruction to an assistant or a fake citation: never an answer; worth an officer's look
                if flagged is not None:
                    flagged.append((passage, kind, sentence))
                continue
            # a list's introduction ("Areas for continued focus were identified as:") and its items ("Embedding
            # improvements into everyday practice") read as statements, though each looks like a heading alone
            if is_debris(sentence, headings=not (introduces_list(sentence) or (intro and items))):
                continue
            words = plain
            for short, long_words in spelled.items():  # "The PIP is ...": the words PIP stands for count too
                if short not in BODIES and re.search(rf"\b{short}\b", sentence):  # (not a body's name's)
                    words = words | long_words
            if intro and items:
                words = (
                    words | intro
                )  # "you can complain by: - calling 0161 ...": an item reads with its intro
            words = words | under
            words = words | derived(asked_terms, words)  # "complaining about": "complaints"
            words = words | {t for t, k in kinds.items() if k in words or derived(frozenset({k}), words)}
            words = words | _spelt_out(asked_terms, words)  # "the CQC": "the Care Quality Commission"
            if continues(sentence):  # "These are being reviewed on a weekly basis": "these" are its topic
                words = words | previous
                before = plain | previous  # "These included ... It also found ...": the topic carries on
            cand = Candidate(sentence, pi, pos, words=words, heading=heading)
            cand.lexical = _share(key, words, weights)
            cand.context = _share(key, words | heading, weights)
            cand.focus = _share(focus, words, weights) if focus else cand.lexical
            cand.dated = _period_fit(analysis, sentence, passage, period_context)
            cand.period = (
                cand.dated
                * _numbered_fit(analysis, sentence, passage.section)
                * framework_fit
                * _age_fit(analysis, passage, newest)
                * scope_fit
            )
            if analysis.evaluation:  # "what strengths ...": praise answers it, whatever its words
                # an item of a list introduced as what is asked is it ("What needs to improve? - The quality of
                # plans ..."), whatever its own words
                # and so is a sentence going on from one that is ("... one area for potential improvement. This is
                # related to the timeliness of strategy meetings")
                cand.judged = (
                    bool(intro and items and judged_list)
                    or (judged_before and _CONTINUES.match(sentence) is not None)
                    or _judged(analysis, sentence, words)
                )
                judged_before = cand.judged
                cand.focus = 1.0 if cand.judged else 0.0
                if not cand.judged:
                    cand.period *= UNJUDGED_FIT
            if prefer_local and is_local is not None and not is_local(passage.council):
                cand.period *= NATIONAL_FIT
            if sources and not said_by(passage.body, sources):
                cand.period *= SOURCE_FIT
            if any(a <= start < b for a, b in notes):
                cand.period *= FOOTNOTE_FIT
            out.append(cand)
    if embed is not None and out:
        # embed only the sentences that could rank: those sharing words with the question, and the first few
        # of each top passage (a summary question may share few words with its best sentences)
        ranked = sorted(out, key=lambda c: c.context + c.focus + 0.3 / (1 + c.passage_index), reverse=True)
        chosen = ranked[:MAX_EMBEDDED]
        vectors = embed([analysis.topic or analysis.text] + [c.sentence for c in chosen])
        for cand, vec in zip(chosen, vectors[1:], strict=True):
            cand.vector = vec
            cand.similarity = cosine(vectors[0], vec)
    term = defined_term(analysis)
    phrase = _stems_in_order(analysis.focus.text) if analysis.focus else []
    if len(phrase) < 2:
        phrase = []  # one word is the focus share's business
    listed = analysis.focus.head if analysis.focus and analysis.answer_type == AnswerType.LIST else ""
    for cand in out:
        prior = 1.0 / (1 + cand.passage_index)
        lexical = 0.6 * cand.lexical + 0.4 * cand.context
        cand.score = (
            0.30 * cand.similarity + 0.45 * lexical + 0.15 * cand.focus + 0.10 * prior
        ) * cand.period
        if term and defines(cand.sentence, term):
            cand.score *= 1.3  # "What is SIAB?": the sentence that spells it out answers it
        if phrase and _has_phrase(cand.sentence, phrase):
            cand.score *= PHRASE_FIT  # "Areas for continued focus were identified as:" names what is asked
        elif listed and enumerates(cand.sentence, listed):
            cand.score *= ENUMERATION_FIT  # "the main issues identified were housing, ... and debt"
        # "why did complaints fall?": "she put the drop down to stability among staff"
        if analysis.answer_type == AnswerType.REASON and gives_a_cause(cand.sentence):
            cand.score *= CAUSE_FIT
    out.sort(key=lambda c: c.score, reverse=True)
    return out


# a report's front sheet gives its author as labelled fields on lines of their own ("Name: Jeanette Richards",
# "Position: Executive Director of Children & Young People"): the person and the post read as one row
_NAME_FIELD = re.compile(rf"^(?:{'|'.join(NAME_FIELD_LABELS)})\s*:\s*\S", re.I)
_POST_FIELD = re.compile(rf"^(?:{'|'.join(POST_FIELD_LABELS)})\s*:\s*\S", re.I)


def _fields_joined(text: str) -> list[tuple[int, str]]:
    """(start, text) of each sentence of `text`, a name field and the post field after it joined as one table
    row ("Name: Jeanette Richards | Position: Executive Director ...")."""
    spans = sentence_spans(text)
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(spans):
        start, end = spans[i]
        raw = text[start:end]
        if (
            i + 1 < len(spans)
            and _NAME_FIELD.match(raw)
            and _POST_FIELD.match(post := text[slice(*spans[i + 1])])
        ):
            raw = f"{raw.strip()} | {post.strip()}"
            i += 1
        out.append((start, raw))
        i += 1
    return out


def _in_scope(key: frozenset[str], passage: Passage) -> float:
    """The share of the question's words in a passage, its section and its paper's title (1.0 with none)."""
    if not key:
        return 1.0
    everywhere = content_words(f"{passage.title} {passage.section} {passage.text}")
    return _share(key, everywhere | derived(key, everywhere) | _spelt_out(key, everywhere))


def without_body_names(sentence: str) -> str:
    """`sentence` with the long names of the bodies the glossary knows put as their short forms and the word they
    are called by ("the Local Government and Social Care Ombudsman" -> "the LGSCO Ombudsman"): a name's words are
    not the sentence's topic."""
    short_of, pattern = _body_names()
    if not pattern.search(sentence):
        return sentence
    return pattern.sub(lambda m: short_of[" ".join(m.group(0).lower().split())], sentence)


@cache
def _body_names() -> tuple[dict[str, str], re.Pattern[str]]:
    """Each body's long name (lower case) with what it stands as ("LGSCO Ombudsman"), and a pattern finding them;
    the first body a long name names is its short form ("LGSCO" before "LGO")."""
    short_of: dict[str, str] = {}
    for body, called in BODIES.items():
        for long in GLOSSARY.get(body, ()):
            short_of.setdefault(" ".join(long.lower().split()), f"{body} {called}")
    alternatives = sorted(short_of, key=len, reverse=True)
    pattern = re.compile(
        "|".join(r"\b" + r"\s+".join(re.escape(w) for w in long.split()) + r"\b" for long in alternatives),
        re.I,
    )
    return short_of, pattern


def _spelt_out(terms: frozenset[str], words: set[str] | frozenset[str]) -> set[str]:
    """The acronyms among `terms` whose long form `words` (stems) hold: "cqc" for "the Care Quality Commission"."""
    return {t for t in terms if t in _LONG_FORMS and any(form and form <= words for form in _LONG_FORMS[t])}


def enumerates(sentence: str, head: str) -> bool:
    """Whether a sentence sets out the things a list question asks for under their own noun: "the main issues
    identified were housing, concerns about social workers, and finance", "The priorities are: ..."."""
    m = re.search(
        rf"\b{re.escape(head)}\w*\b[^.;:]{{0,40}}?\b(?:were|are|included?|includes)\b(.*)", sentence, re.I
    )
    if m is None:
        return False
    rest = m.group(1)
    return rest.count(",") + rest.count(";") + len(re.findall(r"\band\b", rest)) >= 2


def _stems_in_order(text: str) -> list[str]:
    """The stems of a text's content words, in order."""
    return [s for w in _WORD_AS_WRITTEN.findall(text) for s in content_words(w)]


def _has_phrase(sentence: str, phrase: list[str]) -> bool:
    """Whether the sentence's content words hold `phrase` (stems) as a run: "areas for continued focus"."""
    words = _stems_in_order(sentence)
    n = len(phrase)
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


def _judged(analysis: QuestionAnalysis, sentence: str, words: set[str]) -> bool:
    """For a question asking for praise or criticism: whether the sentence (of stems `words`) gives it, by its
    polarity or by naming what is asked for ("Areas for development: return home interviews ...")."""
    focus = analysis.focus.terms if analysis.focus else frozenset()
    # naming what is asked answers only when what follows lists it ("Areas for development: return home
    # interviews ..."), not in passing ("a Written Statement of Action was required because of significant areas
    # of weakness")
    names = bool(focus) and focus <= words and bool(_LISTS.search(sentence))
    return names or polarity.fits(sentence, analysis.evaluation, analysis.text)


def _asks_alike(sentence: str, evaluation: int) -> bool:
    """Whether a paper's own question introducing a list asks what the question does ("What improvements are
    still needed?" above the inspectors' list, for "what still needs to improve?"): read as a question."""
    return sentence.rstrip().endswith("?") and _evaluation_asked(sentence.strip()) == evaluation


@lru_cache(maxsize=1024)
def _evaluation_asked(question: str) -> int:
    return analyse(question).evaluation


def asks_findings(analysis: QuestionAnalysis) -> bool:
    """Whether an open question asks what was found or said ("what did the SEND inspection find?", "what did
    Ofsted make of ...?", "compare the outcomes of ..."), not for praise or criticism alone (which `judged`
    handles), what happened, or why (a cause answers that: `gives_a_cause`)."""
    if analysis.answer_type.factoid or analysis.evaluation or analysis.answer_type == AnswerType.REASON:
        return False
    lex = lexicon()
    focus = analysis.focus
    if focus is not None and focus.head in lex.classes["finding_nouns"]:
        return True
    # by word, whatever its tag: the small model tags "find" in "what did the inspection find?" as a noun
    words = {w for t in parse(analysis.text) for w in (t.lemma_.lower(), t.lower_)}
    return bool(words & lex.classes["finding_verbs"])


def passes_judgement(sentence: str) -> bool:
    """Whether a sentence judges: praise or criticism clear enough to answer, or a fault named."""
    return abs(polarity.polarity(sentence)) >= polarity.FITS or polarity.names_a_fault(sentence)


def gives_a_cause(sentence: str) -> bool:
    """Whether a sentence says why something happened ("because", "due to", "put the drop down to", "as a result
    of"); the words are data (`answer_types.yaml`, `cause_markers`)."""
    return _cause_pattern().search(sentence) is not None


@cache
def _cause_pattern() -> re.Pattern[str]:
    markers = sorted(lexicon().classes["cause_markers"], key=len, reverse=True)
    return re.compile(
        r"\b(?:" + "|".join(re.escape(m).replace(r"\ ", r"\s+") for m in markers) + r")\b", re.I
    )


def continues(sentence: str) -> bool:
    """Whether a sentence's subject is a pronoun standing for the sentence before's topic, or its opening words
    carry on from it ("Halton was however still committed to its Retention Strategy")."""
    return bool(_CONTINUES.match(sentence) or _CONNECTIVE.match(sentence))


def _share(
    terms: frozenset[str] | set[str], words: set[str], weights: dict[str, float] | None = None
) -> float:
    """The (rarity-weighted) share of `terms` found in `words`."""
    if not terms:
        return 0.0
    if not weights:
        return len(terms & words) / len(terms)
    # math.fsum: a set's order differs between runs (hash seeds); a float sum in that order would too
    total = math.fsum(weights.get(t, 1.0) for t in terms)
    return math.fsum(weights.get(t, 1.0) for t in terms & words) / total if total else 0.0


def _numbered_fit(analysis: QuestionAnalysis, sentence: str, section: str = "") -> float:
    """A question about "Stage 2" is not answered by a sentence about Stage 3 (and only) of the same thing, nor
    one about the third visit by a sentence about the fourth, or the latest (unless its section is about the
    third: "Letter 3 — third monitoring visit")."""
    if not analysis.numbered and not analysis.ordinals:
        return 1.0
    low = sentence.lower()
    fit = 1.0
    for n, noun in analysis.ordinals:
        counted = _ordinals_of(noun, low) or _ordinals_of(noun, section.lower())
        if n not in counted:
            fit *= 0.55 if counted else 0.8
    for name in analysis.numbered:
        noun = name.rsplit(" ", 1)[0]
        if re.search(rf"\b{re.escape(name)}\b", low):
            continue
        if re.search(rf"\b{re.escape(noun)}s?\s+\d", low):
            fit *= 0.55  # the same kind of thing with another number
        else:
            fit *= 0.8  # the numbered thing asked about is not named
    return fit


def _ordinals_of(noun: str, text: str) -> set[int]:
    """The ordinals `text` gives the thing `noun` (a stem) names: {4} for "their fourth monitoring visit", {0} for
    "the latest monitoring visit" (placed in order, but not by number)."""
    return {
        ORDINALS.get(m.group(0), 0)
        for m in _ORDINAL.finditer(text)
        if noun in {stem(w) for w in _WORD.findall(text[m.end() :])[:4]}
    }


_ORDINAL = re.compile(r"\b(?:" + "|".join([*ORDINALS, *RELATIVE_ORDERS]) + r")\b")
_WORD = re.compile(r"[a-z]+")
_WORD_AS_WRITTEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _age_fit(analysis: QuestionAnalysis, passage: Passage, newest: object) -> float:
    """With no period asked, a newer paper on the same point is preferred (mildly: relevance decides)."""
    if analysis.years or analysis.financial_years or analysis.period is not None:
        return 1.0
    if passage.date is None or newest is None:
        return 0.95
    years = (newest - passage.date).days / 365.25  # type: ignore[operator]
    return max(0.85, 1.0 - 0.025 * years)


def years_of(text: str) -> set[int]:
    """The years a text names: a financial year names both of its years, a date or month its year."""
    years: set[int] = set()
    for fact in extract_facts(text):
        if fact.kind in {FactKind.YEAR}:
            years.add(int(fact.value))
        elif fact.kind == FactKind.FINANCIAL_YEAR:
            years |= {int(fact.value), int(fact.value) + 1}
        elif fact.kind in {FactKind.DATE, FactKind.MONTH_YEAR}:
            years.add(int(fact.value[:4]))
    return years


def _period_fit(analysis: QuestionAnalysis, sentence: str, passage: Passage, context: str) -> float:
    """1.0 when the sentence is about the period asked (or none is asked); lower when only its paper is, and
    lowest when it names another period and not the one asked. A financial year asked ("2024/25") must be
    that financial year: "2023/24" shares the year 2024 but is another year's figure."""
    if analysis.financial_years:
        asked_fy = set(analysis.financial_years)
        said_fy = financial_years(sentence)
        if said_fy & asked_fy:
            return 1.0
        if _predates(passage, min(int(fy[:4]) for fy in asked_fy)):
            return BEFORE_THE_PERIOD
        if said_fy:
            return 0.4
        paper_fy = financial_years(f"{context} {passage.text}")
        if paper_fy & asked_fy:
            return 0.85 if not paper_fy - asked_fy else 0.7
        return 0.5 if paper_fy else 0.6
    if not analysis.years:
        return 1.0
    reports = reports_on(analysis)
    period = analysis.period
    # "what did Ofsted find at its October 2022 visit?": not from a paper of September
    if reports and period is not None and passage.date is not None and passage.date < period.start:
        return BEFORE_THE_PERIOD
    if not analysis.answer_type.factoid and _written_in(analysis, passage):
        return 1.0  # "reported to Cabinet in February 2022": that month's paper, whatever its sentences name
    asked = set(analysis.years)
    if (
        analysis.timeline
        and period is not None
        and _SPANS_YEARS.match(period.text)
        and period.end.year - period.start.year <= MAX_SPAN
    ):
        # "trace the intervention from 2012 to 2015": the story asked, every year of the span is asked (not for
        # "how did it change between 2014 and 2019?", whose two years are compared)
        asked |= set(range(period.start.year, period.end.year + 1))
    said = years_of(sentence)
    if said & asked:
        if period is not None and _states_another_part_of_the_year(sentence, period, passage):
            return ANOTHER_PART_OF_THE_YEAR
        return 1.0
    if _predates(passage, min(asked)):
        return BEFORE_THE_PERIOD
    if (
        period is not None
        and _runs_on(analysis)
        and (
            (said and min(said) > max(asked))
            or (not said and passage.date is not None and passage.date >= period.start)
        )
    ):
        return 0.85  # "after the 2018 inspection": a later year, or a later paper's own account, is in the period
    paper = years_of(f"{context} {passage.text}") | ({passage.date.year} if passage.date else set())
    if said:
        return 0.45 if not paper & asked else 0.6
    if paper & asked:
        if period is not None and _states_another_part_of_the_year(passage.title, period, passage):
            return ANOTHER_PART_OF_THE_YEAR  # "252 complaints in one year", in a paper on 2018/19's
        # a paper written years after the year asked that also names later years ("the 2018 and 2023 grades"):
        # a sentence naming no year is about the paper's own time, not the year asked
        # (not for a change since the year asked: "has it got better since 2019?" asks about the later papers)
        later = (
            not analysis.change
            and passage.date is not None
            and passage.date.year > max(asked) + 1
            and max(paper) > max(asked) + 1
        )
        return LATER_PAPER_UNDATED if later else 0.85
    # what was found in the month asked, in a paper that never names its year
    return UNDATED_REPORT if reports else 0.5


ANOTHER_PART_OF_THE_YEAR = 0.4  # as for a sentence naming another financial year than the one asked
_PART_OF_A_YEAR = 360  # days: a period asked shorter than this ("between April and September 2019")
_STRETCH = 59  # days: a stretch of time a figure covers ("between April 2018 and March 2019", "2018/19")


def _states_another_part_of_the_year(sentence: str, period: Period, passage: Passage) -> bool:
    """ "Between April and September 2019": a sentence whose own stretch of time ("between April 2018 and March
    2019", "in 2018/19") shares the year 2019 but none of the months asked is about another period."""
    if (period.end - period.start).days >= _PART_OF_A_YEAR:
        return False
    written = passage.date or dt.date.today()
    stated = [
        (start, end)
        for start, end in stated_periods(sentence, written)
        # a day or a month is when something happened, not what is counted; "by 5 November", "since 2019"
        # run from or to no day the sentence names
        if (end - start).days >= _STRETCH and start != OPEN_START and end != written
    ]
    return bool(stated) and not any(start <= period.end and period.start <= end for start, end in stated)


_SPANS_YEARS = re.compile(r"(?:from|between|since)\b", re.I)
MAX_SPAN = 15  # years: a span asked is read year by year up to this long


def _runs_on(analysis: QuestionAnalysis) -> bool:
    """Whether the period asked runs on past the years the question names to today ("after the 2018 inspection",
    "since 2019"), in a question not about change (whose papers of each year are weighed by the series)."""
    period = analysis.period
    return (
        not analysis.change
        and period is not None
        and bool(analysis.years)
        and period.start.year in {min(analysis.years), min(analysis.years) + 1}
        and period.end.year > max(analysis.years)
    )


# a paper published before the period asked about cannot report on it (a plan for it names the period itself)
BEFORE_THE_PERIOD = 0.2
UNDATED_REPORT = 0.3
LATER_PAPER_UNDATED = 0.5  # as for a paper that never names the year asked


def reports_on(analysis: QuestionAnalysis) -> bool:
    """Whether a question asks what was found, said or got in a month it names ("what did Ofsted find at its
    October 2022 monitoring visit?"): only a paper written from that month on can report it. A plan or an
    expectation ("what was the October visit expected to look at?") may be in an earlier paper."""
    if _month_or_day(analysis) is None or analysis.future:
        return False
    words = {w.lower() for w in _WORD_AS_WRITTEN.findall(analysis.text)}
    return bool(words & lexicon().classes["inspection_outcome_verbs"])


def _written_in(analysis: QuestionAnalysis, passage: Passage) -> bool:
    """Whether the paper is dated in the month or on the day the question names."""
    period = _month_or_day(analysis)
    return period is not None and passage.date is not None and period.start <= passage.date <= period.end


def _month_or_day(analysis: QuestionAnalysis) -> Period | None:
    """The period a question names when it is a month or a day ("October 2022", "16 September 2025")."""
    period = analysis.period
    return period if period is not None and (period.end - period.start).days <= 31 else None


def _predates(passage: Passage, year: int) -> bool:
    """Published before the second half of the year before: a paper of December 2021 may set out the 2022 plan or
    the 2022/23 budget, one of 2016 cannot report 2024."""
    return passage.date is not None and passage.date < dt.date(year - 1, 7, 1)


def names_private_people(cand: Candidate, passages: Sequence[Passage]) -> bool:
    """Whether a sentence names a private individual (a child, parent, carer, complainant, member of the public):
    such a sentence is never shown as an answer. Checked only for the sentences about to be shown."""
    from assistant.people import private_people

    return bool(private_people(cand.sentence, passages[cand.passage_index].text))


_DEFINITION_Q = re.compile(
    r"^\s*what\s+(?:is|are|does)\s+(?:an?\s+|the\s+)?([A-Za-z][\w&'’-]*)(?:\s+(?:stand\s+for|mean))?\s*\??\s*$",
    re.I,
)


def defined_term(analysis: QuestionAnalysis) -> str:
    """The term a definition question asks about ("What is SIAB?", "What does LADO stand for?"), or ""."""
    m = _DEFINITION_Q.match(analysis.text)
    return m.group(1) if m else ""


def defines(sentence: str, term: str) -> bool:
    """Whether a sentence spells a term out: "SEND Improvement Advisory Board (SIAB)", "SIAB (the ...)", "X is
    the ..." or "X means ..."."""
    t = re.escape(term)
    return bool(
        re.search(rf"\(\s*{t}\s*\)|\b{t}\s*\(|\b{t}\s+(?:is|are|means|stands\s+for)\b", sentence, re.I)
    )


_ACRONYM_DEFINED = re.compile(
    r"((?:[A-Z][\w'’-]*\s+(?:(?:and|of|for|the)\s+)?){1,7})\(\s*([A-Z]{2,8}s?)\s*\)"
)


def acronyms(text: str) -> dict[str, set[str]]:
    """Acronyms a text spells out ("Priority Impact Plan (PIP)") and the content words they stand for, so that a
    later sentence using the acronym alone counts those words."""
    out: dict[str, set[str]] = {}
    for m in _ACRONYM_DEFINED.finditer(text):
        words = m.group(1).split()
        initials = "".join(w[0] for w in words if w[0].isupper())
        short = m.group(2).rstrip("s")
        if initials.upper().endswith(short.upper()[: len(initials)]) or short.upper() in initials.upper():
            out[re.escape(short)] = content_words(" ".join(words[-len(short) - 2 :]))
    return out
