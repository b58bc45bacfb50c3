"""The citation verifier: is every sentence of an answer backed by a passage it cites?

A sentence is supported by a cited passage when
  1. every fact it states is in that passage: numbers ("118" = "one hundred and eighteen", "£1.2m" =
     "£1,200,000"), percentages, years, financial years ("2022/23" = "2022-23"), dates ("5 November 2025" =
     "November 5th 2025" = "5.11.2025"; "5th November" matches any 5 November) and Ofsted judgements
     ("inadequate" is not "requires improvement to be good"); and
  2. it says the same thing in words: at least `min_overlap` of its content words (stop words removed, light
     stemming) occur in the passage, or `similarity(sentence, passage)` reaches `min_similarity` when a
     similarity function is given.
A passage's title, date and section count as part of it ("the report of 5 November 2025 says ...").
A sentence must cite at least one passage and every marker must name a passage that exists (`[9]` of three
passages fails the sentence). Connective sentences ("Here is what the papers say:") and statements that the
papers do not cover something need no citation and never count as answering.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.answer import Status
from assistant.citations import format_markers, parse_markers, strip_markers
from assistant.facts import Fact, FactKind, extract_facts, find_judgements, has_judgement_context
from assistant.sentences import sentence_spans
from ingest.text import stem as _stem
from vectorstore.glossary import capitals_only
from vectorstore.passage import Passage

# Half the content words may be paraphrased; a sentence on another topic rarely shares half its content words
# with a ~200-token passage, and the fact check (numbers, dates, judgements) guards the claims that matter.
DEFAULT_MIN_OVERLAP = 0.5
# Cosine similarity (e.g. MiniLM) between a sentence and the passage or its best quote; a paraphrase of a
# passage sentence scores well above this, a loosely related sentence below.
DEFAULT_MIN_SIMILARITY = 0.6
_PAIR_MARGIN = 0.15  # a two-sentence quote must beat the best single sentence by this much
_MAX_META_WORDS = 15

Similarity = Callable[[str, str], float]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The shared stemmer (`ingest.text.stem`), with an irregular verb read as its lemma: "upheld" meets
    "uphold", "met" "meet", "led" "lead", "sought" "seek" (lemminflect's English tables). Only a word that is
    nothing but a form of one other verb is changed ("found", "left" and "given" are also words of their own),
    and never into a word the glossary holds as an acronym ("sent" is not SEND). The answer step compares
    words through this; the keyword index keeps the plain stemmer (its tokens are on disk)."""
    lower = word.lower().replace("’", "'")
    lemma = _irregular_lemma(lower) or _short_plural(lower)
    return _stem(lemma or word)


def _short_plural(word: str) -> str:
    """The singular of a plural of four letters, which the stemmer keeps whole ("days" meets "day", "gaps"
    "gap"; "news" stays), from lemminflect's noun tables; "" for any other word."""
    if len(word) != 4 or not word.isalpha() or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return ""
    from lemminflect import getAllLemmas

    nouns = getAllLemmas(word).get("NOUN", ())
    return nouns[0] if len(nouns) == 1 and nouns[0] != word else ""


def _irregular_lemma(word: str) -> str:
    if not word.isalpha() or len(word) < 3:
        return ""
    from lemminflect import getAllLemmas

    lemmas = getAllLemmas(word)
    verbs = lemmas.get("VERB", ())
    if set(lemmas) != {"VERB"} or len(verbs) != 1 or verbs[0] == word or capitals_only(verbs[0]):
        return ""
    return verbs[0] if _stem(verbs[0]) != _stem(word) else ""


_STOPWORDS = _words(
    """
    a about above after again against all also am an and any are aren't as at be because been before being
    below between both but by can cannot could couldn't did didn't do does doesn't doing don't down during
    each either etc few for from further had hadn't has hasn't have haven't having he her here hers herself
    him himself his how however i if in into is isn't it it's its itself just least less let may me might
    more most much must mustn't my myself neither no nor not now of off on once one only or other our ours
    ourselves out over own per same shall she should shouldn't so some such than that that's the their
    theirs them themselves then there there's these they this those through thus to too under until up upon
    us very via was wasn't we were weren't what when where whether which while whilst who whom whose why
    will with within without won't would wouldn't yet you your yours yourself also already although
    among amongst around being else ever every many several since still toward towards whereas whereby
    zero two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand
    million billion
    anyone anything anyhow anyway anywhere everyone everything everywhere someone something somehow
    somewhere whatever whoever whichever perhaps really actually indeed quite rather basically
    """
)
# Words that only frame an answer; they neither need nor give support.
_FRAMING = _words(
    """
    according paper papers document documents passage passages source sources say says said state states
    stated note notes noted mention mentions mentioned provided provide based following follows summary
    summarise summarised summarize summarized overall short brief briefly answer question here below above
    key main point points information relevant detail details set out show shows shown list listed
    """
)
_WORD = re.compile(r"[a-z][a-z'’]*")
_GAP_STATEMENT = re.compile(
    r"^(?:however,?\s+|but\s+|unfortunately,?\s+)?"
    r"(?:(?:the\s+)?(?:papers|documents|passages|sources|reports?|minutes|letters?)"
    r"(?:\s+(?:held|provided|available|given|here|above|i\s+have))?"
    r"\s+(?:do|does|did)\s*(?:not|n['’]t)\s+"
    r"(?:say|state|mention|cover|specify|give|include|contain|answer|show|record|explain|set\s+out|confirm|report)"
    r"|(?:there\s+is|i\s+found|i\s+can\s+find)\s+no\s+information"
    r"|i\s+(?:could|can)\s*(?:not|n['’]t)\s+find)\b",
    re.IGNORECASE,
)
_YES_NO = re.compile(r"(?:yes|no)\W*", re.IGNORECASE)
_TERMINAL = re.compile(r"[.!?…]+[\"'’”)\]]*$")
_FACT_LABELS = {
    FactKind.DATE: "date",
    FactKind.DAY_MONTH: "date",
    FactKind.MONTH_YEAR: "date",
    FactKind.MONTH: "month",
    FactKind.YEAR: "year",
    FactKind.FINANCIAL_YEAR: "year",
    FactKind.NUMBER: "number",
    FactKind.PERCENT: "percentage",
}


# ----------------------------------------------------------------------------------------------------
# Words and facts
# ----------------------------------------------------------------------------------------------------


# Words of judging itself: they say nothing about *what* was judged.
_JUDGEMENT_WORDS = frozenset(
    stem(w)
    for w in _words(
        "ofsted judged judgment judgments rated rating ratings grade graded inspection inspectors inspected "
        "good outstanding inadequate requires require requiring improvement"
    )
)


def content_words(text: str) -> set[str]:
    """Stemmed content words of `text`: stop words, framing words and markers removed."""
    words = _WORD.findall(strip_markers(text).lower().replace("-", " "))
    return {
        stem(w) for w in words if w.replace("’", "'") not in _STOPWORDS and w not in _FRAMING and len(w) > 1
    }


def overlap(sentence: str, passage_text: str) -> float:
    """Share of the sentence's content words found in the passage (1.0 when it has none)."""
    wanted = content_words(sentence)
    if not wanted:
        return 1.0
    return len(wanted & content_words(passage_text)) / len(wanted)


def fact_keys(text: str) -> set[str]:
    """Every way the facts in `text` can be matched: a full date also answers its month-year, year, day-month
    and month; "5th November" with a year elsewhere in the text answers that full date; a financial year
    answers both its years; a percentage or year answers the bare number."""
    keys: set[str] = set()
    years: set[int] = set()
    day_months: list[str] = []
    for fact in extract_facts(text):
        keys.update(fact.keys)
        value = fact.value
        if fact.kind == FactKind.DATE:
            year, month, day = value.split("-")
            keys |= {
                f"day_month:{month}-{day}",
                f"month_year:{year}-{month}",
                f"year:{year}",
                f"month:{month}",
            }
            years.add(int(year))
        elif fact.kind == FactKind.DAY_MONTH:
            keys.add(f"month:{value[:2]}")
            day_months.append(value)
        elif fact.kind == FactKind.MONTH_YEAR:
            keys |= {f"year:{value[:4]}", f"month:{value[5:]}"}
            years.add(int(value[:4]))
        elif fact.kind == FactKind.YEAR:
            keys.add(f"number:{value}")
            years.add(int(value))
        elif fact.kind == FactKind.FINANCIAL_YEAR:
            keys |= {f"year:{value}", f"year:{int(value) + 1}"}
            years |= {int(value), int(value) + 1}
        elif fact.kind == FactKind.PERCENT:
            keys.add(f"number:{value}")
    keys.update(f"date:{year}-{day_month}" for year in years for day_month in day_months)
    return keys


def claim_facts(sentence: str) -> list[Fact]:
    """The facts a sentence asserts (the pronoun "one" is not one)."""
    return [fact for fact in extract_facts(strip_markers(sentence)) if not fact.weak]


def _fact_found(fact: Fact, keys: set[str] | frozenset[str]) -> bool:
    return any(key in keys for key in fact.keys)


def is_connective(sentence: str) -> bool:
    """A sentence that makes no claim: framing ("Here is what the papers say:") or a statement that the papers
    do not cover something. It states no number or judgement."""
    text = strip_markers(sentence).strip()
    if _YES_NO.match(text) and re.match(r"(?i)(?:yes|no)\b", text):
        return False  # "No." answers the question; it is settled by the sentence after it
    facts = claim_facts(text)
    if any(f.kind in {FactKind.NUMBER, FactKind.PERCENT} for f in facts) or find_judgements(text):
        return False
    if _GAP_STATEMENT.search(text):
        return True
    if facts:
        return False
    words = _WORD.findall(text.lower())
    if len(words) > _MAX_META_WORDS:
        return False
    return all(w.replace("’", "'") in _STOPWORDS or w in _FRAMING for w in words)


# ----------------------------------------------------------------------------------------------------
# Quotes
# ----------------------------------------------------------------------------------------------------


def _support_score(
    sentence_words: set[str], facts: list[Fact], words: frozenset[str], keys: frozenset[str]
) -> float:
    """Share of the sentence's content words, plus share of its facts, found in a candidate quote."""
    score = len(sentence_words & words) / len(sentence_words) if sentence_words else 0.0
    if facts:
        score += sum(_fact_found(f, keys) for f in facts) / len(facts)
    return score


@lru_cache(maxsize=256)
def _quote_candidates(
    passage_text: str,
) -> tuple[list[tuple[int, int]], list[frozenset[str]], list[frozenset[str]]]:
    """Sentence spans of a passage with their content words and fact keys (cached: every sentence of an
    answer searches the same few passages)."""
    spans = sentence_spans(passage_text)
    parts = [passage_text[start:end] for start, end in spans]
    return spans, [frozenset(content_words(p)) for p in parts], [frozenset(fact_keys(p)) for p in parts]


def find_quote(sentence: str, passage_text: str) -> str:
    """The span of `passage_text` that best supports `sentence`: the passage sentence sharing most of its
    content words and facts, or two neighbouring sentences when together they support it clearly better.
    Always a verbatim slice of `passage_text`; "" when nothing in the passage relates to the sentence."""
    spans, words, keys = _quote_candidates(passage_text)
    if not spans:
        return ""
    wanted = content_words(sentence)
    facts = claim_facts(sentence)
    best_span, best_score = spans[0], 0.0
    for i, span in enumerate(spans):
        score = _support_score(wanted, facts, words[i], keys[i])
        if score > best_score:
            best_span, best_score = span, score
    if best_score <= 0:
        return ""
    single_score = best_score
    for i in range(len(spans) - 1):
        score = _support_score(wanted, facts, words[i] | words[i + 1], keys[i] | keys[i + 1])
        if score > best_score and score >= single_score + _PAIR_MARGIN:
            best_span, best_score = (spans[i][0], spans[i + 1][1]), score
    return passage_text[best_span[0] : best_span[1]]


# ----------------------------------------------------------------------------------------------------
# Verdicts
# ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceVerdict:
    sentence: str  # without markers
    markers: tuple[int, ...]  # as cited
    supported: bool
    reason: str  # e.g. "number 119 not in passage [2]"
    best_passage: int | None = None  # 1-based: the passage that supports it, or came closest
    supporting: tuple[int, ...] = ()  # cited passages that each support it on their own
    overlap: float = 0.0  # content-word overlap with `best_passage`
    similarity: float | None = None  # with `best_passage`, when a similarity function was given and used
    quote: str = ""  # verbatim span of `best_passage` (only for supported sentences)
    is_claim: bool = True  # False for connective sentences, which need no support

    def render(self) -> str:
        """The sentence with the markers of the passages that support it, before its final full stop."""
        markers = format_markers(self.supporting)
        if not markers:
            return self.sentence
        end = _TERMINAL.search(self.sentence)
        if end is None:
            return f"{self.sentence} {markers}"
        return f"{self.sentence[: end.start()]} {markers}{self.sentence[end.start() :]}"


def status_for(verdicts: Sequence[SentenceVerdict]) -> Status:
    """answered when every claim is supported, partial when some are, not_found when none are (or the answer
    makes no claim at all)."""
    claims = [v for v in verdicts if v.is_claim]
    supported = sum(v.supported for v in claims)
    if not claims or supported == 0:
        return Status.NOT_FOUND
    return Status.ANSWERED if supported == len(claims) else Status.PARTIAL


@dataclass(frozen=True)
class Verification:
    verdicts: tuple[SentenceVerdict, ...]

    @property
    def status(self) -> Status:
        return status_for(self.verdicts)

    @property
    def dropped(self) -> list[SentenceVerdict]:
        return [v for v in self.verdicts if not v.supported]

    @property
    def cited(self) -> list[int]:
        """Passages that support a kept claim, in order of first use."""
        out: list[int] = []
        for verdict in self.verdicts:
            if verdict.supported:
                out.extend(n for n in verdict.supporting if n not in out)
        return out

    def supported_text(self) -> str:
        """The answer rebuilt from its supported sentences (each citing only passages that support it);
        "" when no claim is supported, so a lone "Here is what the papers say:" never survives."""
        if not any(v.supported and v.is_claim for v in self.verdicts):
            return ""
        return " ".join(v.render() for v in self.verdicts if v.supported)

    def notes(self) -> list[str]:
        """One line per dropped sentence, for `Answer.notes`."""
        return [f'Removed an unsupported sentence ({v.reason}): "{v.sentence}"' for v in self.dropped]


@dataclass(frozen=True)
class _PassageCheck:
    n: int
    passes: bool
    problem: str
    overlap: float
    similarity: float | None
    missing: int


class _PassageFacts:
    """Per-passage words, fact keys and judgement-bearing sentences, computed once per verification."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self._passages = passages
        self._cache: dict[int, tuple[set[str], set[str], list[tuple[set[str], list[str]]]]] = {}

    def get(self, n: int) -> tuple[str, set[str], set[str], list[tuple[set[str], list[str]]]]:
        passage = self._passages[n - 1]
        if n not in self._cache:
            # The title, date and section are part of what a passage says: "the report of 5 November 2025".
            context = "\n".join(
                [
                    passage.title,
                    passage.date.isoformat() if passage.date else "",
                    passage.section,
                    passage.council,
                ]
            )
            full = f"{context}\n{passage.text}"
            judged = has_judgement_context(full)
            judgement_sentences = []
            for start, end in sentence_spans(passage.text):
                sentence = passage.text[start:end]
                found = find_judgements(sentence, context=judged)
                if found:
                    judgement_sentences.append((content_words(sentence) - _JUDGEMENT_WORDS, found))
            self._cache[n] = (content_words(full), fact_keys(full), judgement_sentences)
        return (passage.text, *self._cache[n])


def _missing_judgements(sentence: str, judgement_sentences: list[tuple[set[str], list[str]]]) -> list[str]:
    """Judgements the sentence states that the passage does not give for the same thing: each must be in the
    passage sentence(s) that, of those giving any judgement, share most words with it. So "overall
    effectiveness is good" fails against "overall effectiveness requires improvement to be good ... care
    leavers get good support"."""
    wanted = find_judgements(sentence)
    if not wanted:
        return []
    core = content_words(sentence) - _JUDGEMENT_WORDS
    scores = [len(core & words) for words, _ in judgement_sentences]
    top = max(scores, default=0)
    given = {
        j
        for score, (_, found) in zip(scores, judgement_sentences, strict=True)
        if score == top
        for j in found
    }
    return [j for j in wanted if j not in given]


def _check_passage(
    sentence: str,
    n: int,
    facts_cache: _PassageFacts,
    similarity: Similarity | None,
    min_overlap: float,
    min_similarity: float,
) -> _PassageCheck:
    text, words, keys, judgement_sentences = facts_cache.get(n)
    missing = [f for f in claim_facts(sentence) if not _fact_found(f, keys)]
    missing_judgements = _missing_judgements(sentence, judgement_sentences)
    wanted = content_words(sentence)
    share = len(wanted & words) / len(wanted) if wanted else 1.0
    problems: list[str] = [f"{_FACT_LABELS[f.kind]} {f.text}" for f in missing]
    problems += [f"judgement '{j}'" for j in missing_judgements]
    if problems:
        return _PassageCheck(
            n, False, f"{', '.join(problems)} not in passage [{n}]", share, None, len(problems)
        )
    if share >= min_overlap:
        return _PassageCheck(n, True, "", share, None, 0)
    if similarity is not None:
        quote = find_quote(sentence, text)
        score = max(similarity(sentence, text), similarity(sentence, quote) if quote else 0.0)
        if score >= min_similarity:
            return _PassageCheck(n, True, "", share, score, 0)
        problem = (
            f"too little in common with passage [{n}] "
            f"(word overlap {share:.2f} < {min_overlap:.2f}, similarity {score:.2f} < {min_similarity:.2f})"
        )
        return _PassageCheck(n, False, problem, share, score, 0)
    problem = f"too little in common with passage [{n}] (word overlap {share:.2f} < {min_overlap:.2f})"
    return _PassageCheck(n, False, problem, share, None, 0)


def verify_sentence(
    sentence: str,
    markers: Sequence[int],
    passages: Sequence[Passage],
    similarity: Similarity | None = None,
    min_overlap: float = DEFAULT_MIN_OVERLAP,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
) -> SentenceVerdict:
    """The verdict on one sentence (without markers) citing `markers` (1-based) among `passages`."""
    return _verdict(
        sentence, markers, passages, _PassageFacts(passages), similarity, min_overlap, min_similarity
    )


def _verdict(
    sentence: str,
    markers: Sequence[int],
    passages: Sequence[Passage],
    cache: _PassageFacts,
    similarity: Similarity | None,
    min_overlap: float,
    min_similarity: float,
) -> SentenceVerdict:
    sentence = strip_markers(sentence).strip()
    cited = tuple(dict.fromkeys(markers))
    out_of_range = [n for n in cited if not 1 <= n <= len(passages)]
    if out_of_range:
        which = format_markers(out_of_range)
        reason = f"citation {which} out of range (there {_are(len(passages))})"
        return SentenceVerdict(sentence, cited, False, reason)
    if is_connective(sentence):
        return SentenceVerdict(sentence, cited, True, "connective sentence, makes no claim", is_claim=False)
    if not cited:
        return SentenceVerdict(sentence, cited, False, "no citation marker")
    checks = [_check_passage(sentence, n, cache, similarity, min_overlap, min_similarity) for n in cited]
    best = max(checks, key=lambda c: (c.passes, -c.missing, max(c.overlap, c.similarity or 0.0)))
    supporting = tuple(c.n for c in checks if c.passes)
    if not supporting:
        reason = "; ".join(c.problem for c in checks)
        return SentenceVerdict(sentence, cited, False, reason, best.n, (), best.overlap, best.similarity)
    detail = f"overlap {best.overlap:.2f}" + (
        f", similarity {best.similarity:.2f}" if best.similarity else ""
    )
    return SentenceVerdict(
        sentence,
        cited,
        True,
        f"supported by passage [{best.n}] ({detail})",
        best.n,
        supporting,
        best.overlap,
        best.similarity,
        find_quote(sentence, passages[best.n - 1].text),
    )


def _are(count: int) -> str:
    return "is 1 passage" if count == 1 else f"are {count} passages"


def verify(
    sentences_with_markers: str | Sequence[tuple[str, Sequence[int]]],
    passages: Sequence[Passage],
    similarity: Similarity | None = None,
    min_overlap: float = DEFAULT_MIN_OVERLAP,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
) -> Verification:
    """Check every sentence of an answer against the passages it cites.

    `sentences_with_markers` is `citations.parse_markers(answer_text)` (or the answer text itself); marker n
    refers to `passages[n - 1]`."""
    items = sentences_with_markers
    if isinstance(items, str):
        items = parse_markers(items)
    cache = _PassageFacts(passages)
    verdicts = [
        _verdict(sentence, markers, passages, cache, similarity, min_overlap, min_similarity)
        for sentence, markers in items
    ]
    return Verification(tuple(_settle_yes_no(verdicts)))


def _settle_yes_no(verdicts: list[SentenceVerdict]) -> list[SentenceVerdict]:
    """A bare "Yes." or "No." stands or falls with the claim that follows it, and is not a claim itself."""
    out = list(verdicts)
    for i, verdict in enumerate(out):
        if not _YES_NO.fullmatch(verdict.sentence) or verdict.markers:
            continue
        following = next((v for v in out[i + 1 :] if v.is_claim), None)
        supported = following is not None and following.supported
        reason = (
            "yes/no answer, kept with the sentence that supports it"
            if supported
            else ("yes/no answer whose supporting sentence is missing or unsupported")
        )
        out[i] = SentenceVerdict(verdict.sentence, (), supported, reason, is_claim=False)
    return out
