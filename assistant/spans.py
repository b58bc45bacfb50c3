"""Typed spans in a sentence: the names, dates, durations, figures, sums, percentages and grades it states.

Two sources, each doing what it is good at: the deterministic fact reader (`assistant.sentences`: dates, years,
financial years, numbers written as digits or words, percentages, Ofsted judgements) and spaCy's named entities
(people, organisations, vague dates such as "the first half of 2026", durations such as "18-24 months").
Every span is a verbatim slice of the sentence, so a short answer built from it can be quoted and checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml
from spacy.lang.en.stop_words import STOP_WORDS

from assistant.facts import FactKind, fact_spans, strip_html
from assistant.people import role_of
from assistant.question import AnswerType

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class TypedSpan:
    start: int  # offsets in the sentence
    end: int
    text: str
    kind: AnswerType
    value: str = ""  # normalised, so two passages giving the same figure agree

    def overlaps(self, other: TypedSpan) -> bool:
        return self.start < other.end and other.start < self.end


@cache
def _vocab() -> dict[str, frozenset[str]]:
    raw = yaml.safe_load(resources.files("assistant").joinpath("data/spans.yaml").read_text("utf-8"))
    return {k: frozenset(str(w).lower() for w in v) for k, v in raw.items()}


_DATE_KINDS = {
    FactKind.DATE,
    FactKind.DAY_MONTH,
    FactKind.MONTH_YEAR,
    FactKind.YEAR,
    FactKind.FINANCIAL_YEAR,
}
_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Cllr|Councillor|Professor|Prof|Sir|Dame)\.?\s+(?:[A-Z](?:\.\s*|\s+))*"
    r"[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?"
)
_CURRENCY_AFTER = re.compile(r"\s+([A-Za-z]+)\b")
_RANGE_JOIN = re.compile(
    r"^\s*(?:-|–|—|to|and|until|till|through)\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?$", re.I
)  # "Monday, January 23 and Friday, January 27, 2023": a weekday may open the second date
_GRADE = re.compile(
    r"\b(?:requires?\s+improvement(?:\s+to\s+be\s+good)?|requiring\s+improvement(?:\s+to\s+be\s+good)?"
    r"|inadequate|good|outstanding)\b",
    re.I,
)


def typed_spans(sentence: str, doc: Doc | None = None) -> list[TypedSpan]:
    """Every typed span of `sentence` (`doc` is its spaCy parse when one was made)."""
    text = strip_html(sentence)
    spans: list[TypedSpan] = []
    spans += _fact_spans(text)
    spans += _frequency_spans(text)
    spans += _duration_spans(text)
    spans += _grade_spans(text)
    spans += contact_spans(text)
    spans += [TypedSpan(start, start + len(n), n, AnswerType.PERSON, n.lower()) for start, n in _titled(text)]
    if doc is not None and doc.text == text:
        spans = _entity_spans(doc, spans)
    unique: dict[tuple[int, int, AnswerType], TypedSpan] = {}
    for span in spans:
        if span.kind == AnswerType.DATE and in_a_law_name(text, span.start, span.end):
            continue
        key = (span.start, span.end, span.kind)
        if key in unique and unique[key].value != span.value:  # "2 and 20 June 2025": two dates, one span
            span = TypedSpan(span.start, span.end, span.text, span.kind, f"{unique[key].value}..{span.value}")
        unique[key] = span
    return sorted(unique.values(), key=lambda s: (s.start, -s.end))


def _titled(text: str) -> list[tuple[int, str]]:
    """(start, name) of titled names ("Councillor L Smith", "Dr Amy Hall"), a role or body word the minutes run
    on into dropped ("Councillor L Smith Cabinet member for ...")."""
    out = []
    for m in _TITLE.finditer(text):
        name = m.group()
        last = name.rsplit(" ", 1)[-1]
        if len(name.split()) > 2 and last.lower() in _vocab()["not_person"]:
            name = name[: -len(last)].rstrip()
        out.append((m.start(), name))
    return out


_PHONE = re.compile(r"(?<![\d£$€.])(?:\+44\s?\(?0?\)?\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_ADDRESS_START = re.compile(r"(?:^|[:;.]\s+|\bto\s+|\bat\s+)(?=[A-Z0-9])")


def contact_spans(text: str) -> list[TypedSpan]:
    """Phone numbers ("0161 253 5529"), email addresses and postal addresses (up to their postcode: "Town Hall,
    Knowsley Street, Bury, BL9 0SW")."""
    contact = AnswerType.CONTACT
    out = [
        TypedSpan(m.start(), m.end(), m.group(), contact, re.sub(r"\D", "", m.group()))
        for m in _PHONE.finditer(text)
    ]
    out += [
        TypedSpan(m.start(), m.end(), m.group(), contact, m.group().lower()) for m in _EMAIL.finditer(text)
    ]
    for m in _POSTCODE.finditer(text):
        starts = [s.end() for s in _ADDRESS_START.finditer(text, max(0, m.start() - 120), m.start())]
        start = starts[0] if starts else max(0, m.start() - 120)
        if (
            "," in text[start : m.start()]
        ):  # an address is a run of comma-separated lines ending in a postcode
            out.append(
                TypedSpan(start, m.end(), text[start : m.end()], AnswerType.CONTACT, m.group().lower())
            )
    return out


def has_contact(text: str) -> bool:
    return bool(_PHONE.search(text) or _EMAIL.search(text) or _POSTCODE.search(text))


def in_a_law_name(text: str, start: int, end: int) -> bool:
    """ "the Education and Inspections Act *2006*": the year at [start, end) names the law; it is not when
    anything happened."""
    if not re.fullmatch(r"(?:19|20)\d\d", text[start:end].strip()):
        return False
    before = _WORD_BEFORE.search(text, 0, start)
    return bool(before) and before.group(1).lower() in _vocab()["law_words"]  # type: ignore[union-attr]


def _fact_spans(text: str) -> list[TypedSpan]:
    out: list[TypedSpan] = []
    dates: list[TypedSpan] = []
    for start, end, fact in fact_spans(text):
        raw = text[start:end]
        if fact.kind in _DATE_KINDS:
            dates.append(TypedSpan(start, end, raw, AnswerType.DATE, f"{fact.kind.value}:{fact.value}"))
        elif fact.kind == FactKind.PERCENT:
            out.append(TypedSpan(start, end, raw, AnswerType.PERCENTAGE, fact.value))
        elif fact.kind == FactKind.NUMBER and not fact.weak:
            if _is_label(text, start, raw):
                continue  # "stage 1 complaints": a name, not a count
            kind = AnswerType.MONEY if raw.lstrip()[:1] in "£$€" else AnswerType.NUMBER
            word = _CURRENCY_AFTER.match(text, end)
            if word and word.group(1).lower() in _vocab()["currency_words"]:
                kind, end = AnswerType.MONEY, word.end()  # "2.4 million pounds"
                raw = text[start:end]
            out.append(TypedSpan(start, end, raw, kind, fact.value))
    out += _join_ranges(text, dates)
    return out


def _is_label(text: str, start: int, raw: str) -> bool:
    """A whole number straight after a label word ("stage 1", "Year 6", "paragraph 12") names something."""
    if not raw.strip().isdigit():
        return False
    before = _WORD_BEFORE.search(text, 0, start)
    return bool(before) and before.group(1).lower() in _vocab()["label_words"]  # type: ignore[union-attr]


_WORD_BEFORE = re.compile(r"([A-Za-z]+)\s+$")


def _join_ranges(text: str, dates: list[TypedSpan]) -> list[TypedSpan]:
    """ "22 February 2016 – 17 March 2016" is one period; so is "2 June to 20 June 2025"."""
    merged: list[TypedSpan] = []
    for span in dates:
        if merged and _RANGE_JOIN.match(text[merged[-1].end : span.start]):
            first = merged.pop()
            merged.append(
                TypedSpan(
                    first.start,
                    span.end,
                    text[first.start : span.end],
                    AnswerType.DATE,
                    f"{first.value}..{span.value}",
                )
            )
        else:
            merged.append(span)
    return merged


def _frequency_spans(text: str) -> list[TypedSpan]:
    words = "|".join(sorted((re.escape(w) for w in _vocab()["frequency"]), key=len, reverse=True))
    pattern = re.compile(
        rf"\b(?:{words})\b"
        r"|\b(?:every|each)\s+(?:\w+\s+)?(?:day|week|fortnight|month|quarter|year|term)s?\b"
        r"|\b(?:once|twice|\w+\s+times)\s+(?:a|per|each|every)\s+(?:\w+\s+)?(?:day|week|fortnight|month|quarter|year|term)s?\b"
        r"|\b\d+\s+or\s+\d+\s+times\b|\bat\s+\w+(?:\s+and\s+\w+)?[-\s]month(?:ly)?\s+intervals\b",
        re.I,
    )
    return [
        TypedSpan(m.start(), m.end(), m.group(), AnswerType.FREQUENCY, m.group().lower())
        for m in pattern.finditer(text)
    ]


_NUMBER_WORD = (
    r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty|thirty)"
)
_DURATION_RE = re.compile(
    rf"\b(?:(?:the\s+)?(?:next|first|last|past|within|approximately|around|about|up\s+to|over)\s+)*{_NUMBER_WORD}"
    rf"(?:\s*(?:-|–|to|or)\s*{_NUMBER_WORD})?\s+(?:working\s+|calendar\s+)?"
    r"(?:days?|weeks?|fortnights?|months?|years?|hours?)\b",
    re.I,
)


def _duration_spans(text: str) -> list[TypedSpan]:
    """ "18-24 months", "the next six months", "25 working days", "within three years": lengths of time."""
    return [
        TypedSpan(m.start(), m.end(), m.group(), AnswerType.DURATION, " ".join(m.group().lower().split()))
        for m in _DURATION_RE.finditer(text)
    ]


_NEXT_WORD = re.compile(r"[ \t]+([a-z][a-z'’-]*)")
# nouns a grade word stands before as a grade ("a good rating", "good overall")
_GRADE_NOUNS = frozenset({
    "rating", "ratings", "judgement", "judgements", "judgment", "grade", "grades", "overall", "outcome", "result",
})  # fmt: skip


def _describes_a_noun(text: str, end: int) -> bool:
    """Whether the word after a grade word is one it qualifies ("good practice"): a lower-case word that is
    neither a function word (spaCy's English stop words: "good in all areas", "good since 2018") nor a word
    for a grade ("a good rating")."""
    m = _NEXT_WORD.match(text, end)
    if m is None:
        return False
    following = m.group(1)
    return following not in STOP_WORDS and following not in _GRADE_NOUNS


def _grade_spans(text: str) -> list[TypedSpan]:
    out = []
    for m in _GRADE.finditer(text):
        word = m.group().lower()
        if _describes_a_noun(text, m.end()):
            continue  # "good practice", "good progress", "outstanding actions": an adjective, not a grade
        value = "requires improvement" if word.startswith("requir") else word
        out.append(TypedSpan(m.start(), m.end(), m.group(), AnswerType.JUDGEMENT, value))
    return out


_DURATION_UNITS = re.compile(r"\b(?:days?|weeks?|fortnights?|months?|years?|hours?|working\s+days?)\b", re.I)
_RELATIVE = re.compile(r"^(?:last|next|this|previous)\s+(?:day|week|fortnight|month|year|quarter)$", re.I)
_DATEISH = re.compile(
    r"\b(?:19|20)\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(?:spring|summer|autumn|winter)\b",
    re.I,
)


_CONNECTORS = frozenset({"and", "&", "of", "for", "the", "in", "on"})


def _joined_entities(doc: Doc) -> list[tuple[int, int, str]]:
    """spaCy's entities as (start, end, label), with an organisation's name the recogniser cut at a connector
    made whole ("Inspectorate of Constabulary and" + "Fire & Rescue Services" is one body) and a connector left
    dangling at a name's end dropped."""
    out: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        start, end, label = ent.start_char, ent.end_char, ent.label_
        if out and label == "ORG" and out[-1][2] == "ORG":
            prev_start, prev_end, _ = out[-1]
            if doc.text[prev_end:start].strip() == "" and _dangles(doc.text[prev_start:prev_end]):
                out[-1] = (prev_start, end, label)
                continue
        out.append((start, end, label))
    trimmed = []
    for start, end, label in out:
        text = doc.text[start:end]
        while label == "ORG" and _dangles(text) and " " in text:
            text = text.rsplit(" ", 1)[0].rstrip(" ,")
        trimmed.append((start, start + len(text), label))
    return trimmed


def _dangles(name: str) -> bool:
    return name.rsplit(" ", 1)[-1].lower() in _CONNECTORS


_BARE_SMALL_NUMBER = re.compile(r"\d{1,3}")


def _entity_spans(doc: Doc, existing: list[TypedSpan]) -> list[TypedSpan]:
    """`existing` with spaCy's entities added (a longer sum of money replaces the figure inside it)."""
    vocab = _vocab()
    out: list[TypedSpan] = list(existing)
    for start, end, label in _joined_entities(doc):
        text = doc.text[start:end]
        if label == "PERSON":
            words = [w.strip("'’").lower() for w in text.split()]
            if len(words) < 2 and not _TITLE.match(text):
                continue  # a lone capitalised word is too often a place or body ("Ofsted", "Wigan")
            if any(w in vocab["not_person"] for w in words):
                continue
            out.append(TypedSpan(start, end, text, AnswerType.PERSON, text.lower()))
        elif label in {"ORG", "NORP"}:
            kind = AnswerType.PERSON if _named_in_a_role(doc, start, end) else AnswerType.ORGANISATION
            out.append(TypedSpan(start, end, text, kind, text.lower()))
        elif label == "DATE":
            if _BARE_SMALL_NUMBER.fullmatch(text):
                continue  # "52 (16%) were upheld": a count the small model took for a date, not a year
            # "last month", "next year": a time said relative to the paper's, not a length of time
            if _DURATION_UNITS.search(text) and not _DATEISH.search(text) and not _RELATIVE.match(text):
                out.append(TypedSpan(start, end, text, AnswerType.DURATION, text.lower()))
            elif not any(s.start <= start and end <= s.end for s in existing if s.kind == AnswerType.DATE):
                out.append(TypedSpan(start, end, text, AnswerType.DATE, text.lower()))
        elif label == "MONEY" and _CURRENCY.search(text):  # the small model also tags "80 per cent" as money
            inside = [s for s in out if s.kind == AnswerType.MONEY and start <= s.start and s.end <= end]
            if inside or not any(
                s.kind == AnswerType.MONEY and s.overlaps(TypedSpan(start, end, text, AnswerType.MONEY))
                for s in out
            ):
                out = [s for s in out if s not in inside]
                value = inside[0].value if len(inside) == 1 else text.lower()
                out.append(TypedSpan(start, end, text, AnswerType.MONEY, value))
    return out


_CURRENCY = re.compile(r"[£$€]|\b(?:pounds?|pence|p|euros?|dollars?|GBP)\b", re.I)
_NAME_WORD = re.compile(r"[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*")


def _named_in_a_role(doc: Doc, start: int, end: int) -> bool:
    """Whether an entity the recogniser took for a body is a person's name standing next to an official role
    ("Director of children's social care *Lucie Heyes* attended ...", "*Diane Booth*, director of ..."): two or
    three capitalised words, none a body's word, with the role straight before it (not after "in" or "at":
    "Director of Children's Services in *Essex County*") or straight after a comma or bracket."""
    words = doc.text[start:end].split()
    if not 2 <= len(words) <= 3 or not all(_NAME_WORD.fullmatch(w) for w in words):
        return False
    if any(re.sub(r"['’]s?$", "", w.lower()) in _vocab()["not_person"] for w in words):
        return False
    before = [t for t in doc if t.idx + len(t.text) <= start]
    if before and before[-1].pos_ in {"ADP", "DET", "PROPN"}:
        return False
    return role_of(doc.text[start:end], doc.text, start) == "official"


def instance_spans(doc: Doc, head: str) -> list[TypedSpan]:
    """Named instances of the kind of thing `head` names (a lemma: "team", "board", "inspectorate"), as a
    "which team ...?" question asks for them: the noun phrases of the parse `doc` headed by that word and named
    by a proper noun or a capitalised word before it ("the dedicated *Sunrise team*", "the *Corporate Parenting
    Board*"), from that word to the head, or by a capitalised name in apposition to it ("the practice model,
    ‘Blackpool Families Rock’"). A phrase whose only capital is the sentence's first word names nothing."""
    out: list[TypedSpan] = []
    for chunk in doc.noun_chunks:
        root = chunk.root
        if head not in (root.lemma_.lower(), root.lower_):
            continue
        # a name in apposition ("the council's practice model, ‘Blackpool Families Rock’, ...")
        for appos in (c for c in root.children if c.dep_ == "appos"):
            words = [t for t in appos.subtree if not t.is_punct]
            if (
                words
                and all(t.text[:1].isupper() or t.is_stop for t in words)
                and words[0].text[:1].isupper()
            ):
                start, end = words[0].idx, words[-1].idx + len(words[-1].text)
                text = doc.text[start:end]
                out.append(TypedSpan(start, end, text, AnswerType.ORGANISATION, text.lower()))
        named = [
            t
            for t in chunk
            if t.i < root.i
            and t.pos_ != "DET"
            and (t.pos_ == "PROPN" or (t.text[:1].isupper() and not t.is_sent_start))
        ]
        if not named:
            continue
        first = named[0]
        text = doc.text[first.idx : root.idx + len(root.text)]
        out.append(
            TypedSpan(first.idx, root.idx + len(root.text), text, AnswerType.ORGANISATION, text.lower())
        )
    return out
