"""People in questions and in papers: who is a private individual, and which questions are about one.

Two uses, one vocabulary (`assistant/data/people.yaml`, per language):

- `identifiable_person(question)`: does the question ask about an identifiable private individual — where a named
  or anonymised person lives, their real name, school or date of birth, or whether a named person is in care,
  adopted or known to social services? It finds the people with spaCy's English pipeline (PERSON entities,
  "Mrs Patel"-style titles, anonymised labels such as "Child B" or "niño B", and role nouns such as "the child in
  the review") and the context with the word lists; in English the parse decides whether the context is about the
  person ("Is Jayden Smith in care?") or the topic of something they said ("What did Councillor Smith say about
  children in care?"). Other languages are recognised by py3langid (restricted to the languages the word lists
  cover); for them the parse is not reliable, so a private person and a context word in the same question are
  enough.
- `private_person(span, sentence)`: is a person named in a paper a private individual (a child, parent, carer,
  complainant, member of the public), or an official named in role ("Councillor Smith", "Jane Okafor, Director
  of Children's Services")? A name with no role next to it counts as private: the answer step must not show it.
  `private_people(sentence)` finds the names in a sentence and keeps the private ones.

Officials in their role are never the subject of a refusal ("What did Councillor Smith say at scrutiny?"), except
for their home details (where they live, their date of birth), which no paper needs to answer.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

import yaml

from assistant import nlp

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

Role = Literal["official", "private"]
Kind = Literal["identity", "status"]

ENGLISH = "en"
# below this probability that a question is English, the other languages' word lists apply too
_ENGLISH_CONFIDENCE = 0.9
_HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "master",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "rev",
    ]
)
_TITLES = _HONORIFICS | {"cllr", "councillor", "coun"}  # "Coun Sue Little": as many papers write it
_ELISION = re.compile(r"^(?:l|d|qu|j|n|s|c|m|t)['’]", re.I)
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*\.?|[^\w\s]")
_SENTENCE_END = re.compile(r"[.;!?]\s")
_AGE_AFTER = re.compile(r"^\s*(?:[,(–—-]\s*)?(?:aged\s+|age\s+)?\d{1,2}\s*(?:\)|,|years?\s+old\b)", re.I)
_TITLED_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Master)\.?\s+[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+)?|"
    r"\b(?:Councillor|Cllr|Coun)\.?\s+[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+)?"
)


# ----------------------------------------------------------------------------------------------------
# The word lists
# ----------------------------------------------------------------------------------------------------


def _norm(word: str) -> str:
    word = unicodedata.normalize("NFKC", word).lower().replace("’", "'")
    word = word.rstrip(".") or word
    return _ELISION.sub("", word) if len(word) > 3 else word


def words(text: str) -> list[str]:
    """`text` as normalised word tokens (lower case, straight apostrophes, French elisions dropped)."""
    return [_norm(w) for w in _WORD.findall(text)]


@dataclass(frozen=True)
class Terms:
    """Phrases to find in a list of normalised words; a word ending in "*" matches any ending."""

    phrases: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, entries: Iterable[str]) -> Terms:
        phrases = {tuple(words(e.replace("*", "ZSTARZ"))) for e in entries}
        fixed = (tuple(w.replace("zstarz", "*") for w in p) for p in phrases if p)
        return cls(tuple(sorted(fixed, key=len, reverse=True)))

    def find(self, tokens: Sequence[str]) -> list[tuple[int, int]]:
        """(start, end) of every match, longest first at each position, not overlapping."""
        out: list[tuple[int, int]] = []
        i = 0
        while i < len(tokens):
            for phrase in self.phrases:
                n = len(phrase)
                if i + n <= len(tokens) and _phrase_is(phrase, tokens[i : i + n]):
                    out.append((i, i + n))
                    i += n
                    break
            else:
                i += 1
        return out

    def ends(self, tokens: Sequence[str]) -> bool:
        """Do `tokens` end with one of the phrases?"""
        return any(len(p) <= len(tokens) and _phrase_is(p, tokens[-len(p) :]) for p in self.phrases)

    def starts(self, tokens: Sequence[str]) -> bool:
        return any(len(p) <= len(tokens) and _phrase_is(p, tokens[: len(p)]) for p in self.phrases)


def _phrase_is(phrase: Sequence[str], tokens: Sequence[str]) -> bool:
    return all(_matches(p, t) for p, t in zip(phrase, tokens, strict=True))


def _matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1]) and len(word) >= len(pattern) - 1
    return pattern == word


@dataclass(frozen=True)
class Lexicon:
    lang: str
    official_roles: Terms
    private_roles: Terms
    anonymised: frozenset[str]
    personal_details: Terms
    identifying: Terms
    case_status: Terms
    not_people: frozenset[str]
    topic_words: frozenset[str]
    contact: Terms
    role_links: Terms = Terms(())
    parties: Terms = Terms(())

    @property
    def details(self) -> Terms:
        """What identifies or locates a private individual: personal details and identifying facts."""
        return Terms(self.personal_details.phrases + self.identifying.phrases)


@cache
def lexicons() -> dict[str, Lexicon]:
    """The word lists, by ISO 639-1 language code."""
    raw = yaml.safe_load(resources.files("assistant").joinpath("data/people.yaml").read_text("utf-8"))
    out = {}
    for lang, lists in raw.items():
        out[lang] = Lexicon(
            lang=lang,
            official_roles=Terms.of(lists["official_roles"]),
            private_roles=Terms.of(lists["private_roles"]),
            anonymised=frozenset(_norm(w) for w in lists["anonymised"]),
            personal_details=Terms.of(lists["personal_details"]),
            identifying=Terms.of(lists["identifying"]),
            case_status=Terms.of(lists["case_status"]),
            not_people=frozenset(_norm(w) for w in lists.get("not_people") or ()),
            topic_words=frozenset(_norm(w) for w in lists.get("topic_words") or ()),
            contact=Terms.of(lists.get("contact") or ()),
            role_links=Terms.of(lists.get("role_links") or ()),
            parties=Terms.of(lists.get("parties") or ()),
        )
    return out


@cache
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for `lang` (shipped with spaCy; no model needed), loaded when first needed."""
    import spacy

    return frozenset(_norm(w) for w in spacy.util.get_lang_class(lang).Defaults.stop_words)


# ----------------------------------------------------------------------------------------------------
# Language
# ----------------------------------------------------------------------------------------------------

_detector_lock = threading.Lock()


@cache
def _detector() -> object:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    with _detector_lock:
        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        identifier.set_languages(sorted(lexicons()))
    return identifier


def language(text: str) -> tuple[str, float]:
    """The most likely of the languages the word lists cover, and its probability (py3langid)."""
    lang, probability = _detector().classify(text)  # type: ignore[attr-defined]
    return str(lang), float(probability)


def lexicons_for(lang: str, probability: float) -> list[Lexicon]:
    """English always; the detected language too; every language when the detector is not sure (a question that
    is mostly names, such as "¿Sigue Jayden Smith en acogida?", can look English, and the reverse)."""
    lex = lexicons()
    if probability >= _ENGLISH_CONFIDENCE:
        return [lex[ENGLISH]] if lang == ENGLISH else [lex[ENGLISH], lex[lang]]
    return [lex[ENGLISH], *(v for k, v in lex.items() if k != ENGLISH)]


# ----------------------------------------------------------------------------------------------------
# Officials and private individuals named in a text
# ----------------------------------------------------------------------------------------------------


def is_anonymised(span: str, lexs: Iterable[Lexicon] | None = None) -> bool:
    """A label papers use instead of a name: "Child B", "Ms X", "Family C", "niño B"."""
    parts = span.split()
    if len(parts) < 2 or not re.fullmatch(r"[A-Z]['’]?s?", parts[-1]):
        return False
    label = _norm(" ".join(parts[:-1]))
    return any(label in lex.anonymised for lex in (lexs or lexicons().values()))


def role_of(
    span: str, text: str, start: int | None = None, lexs: Sequence[Lexicon] | None = None
) -> Role | None:
    """The role the words around one mention of `span` in `text` give it (`start`: its offset; by default every
    mention counts): "private" when a private role is next to it ("foster carer Mrs Patel", "the complainant,
    Mr Novak", "Jayden Smith, aged 9"), "official" when an official role is ("Councillor Smith", "Cllr Smith",
    "the Director of Children's Services, Jane Okafor", "Jane Okafor (Chair)"); None when neither is."""
    lexs = lexs or [lexicons()[ENGLISH]]
    starts = [start] if start is not None else [m.start() for m in re.finditer(re.escape(span), text)]
    roles = {_role_at(text, s, s + len(span), lexs) for s in starts or [-1] if s >= 0}
    if "private" in roles:
        return "private"
    if "official" in roles:
        return "official"
    return None


def _role_at(text: str, start: int, end: int, lexs: Sequence[Lexicon]) -> Role | None:
    inside = words(text[start:end])
    if any(lex.official_roles.starts(inside) or lex.official_roles.ends(inside) for lex in lexs):
        return "official"  # "Councillor Smith", "Deborah Glassbrook SEND Improvement Advisor"
    before = words(_SENTENCE_END.split(text[max(0, start - 120) : start])[-1])
    after = _WORD.findall(text[end : end + 120])
    roles = [r for lex in lexs for r in (_role_before(before, lex), _role_after(after, lex))]
    if "private" in roles or _AGE_AFTER.match(text[end : end + 40]):
        return "private"
    return "official" if "official" in roles else None


def _role_before(tokens: list[str], lex: Lexicon) -> Role | None:
    """ "... foster carer", "the Director of Children's Services,", "Councillors Smith and" just before a name.
    A role with "of" or "for" is official even when it ends in private words ("Minister of State for Children
    and Families")."""
    tokens = list(tokens)
    while tokens and (
        tokens[-1] in _HONORIFICS or (not tokens[-1].isalnum() and tokens[-1] not in ("and", "&"))
    ):
        tokens.pop()
    if not tokens:
        return None
    tail = tokens[-8:]
    for i in range(len(tail) - 1, 0, -1):
        if tail[i] in ("of", "for") and _official_before(tokens[: len(tokens) - len(tail) + i], lex):
            return "official"
    if tokens[-1] in ("is", "was") and lex.details.ends(tokens[:-1]):
        return "private"  # "Child B, whose real name is Leo Hart": a name given as a person's identity
    for role, terms in (("private", lex.private_roles), ("official", lex.official_roles)):
        if terms.ends(tokens) or (
            tokens[-1] in ("and", "&") and len(tokens) >= 3 and terms.ends(tokens[:-2])
        ):
            return role  # type: ignore[return-value]  # the second: "Councillors Smith and Patel"
    return None


def _official_before(tokens: list[str], lex: Lexicon) -> bool:
    """Whether `tokens` end with an official role, or with one and a link to what it is for ("Director",
    "councillor in charge", "cabinet member responsible")."""
    if lex.official_roles.ends(tokens):
        return True
    for link in lex.role_links.phrases:
        if len(tokens) > len(link) and tuple(tokens[-len(link) :]) == tuple(link):
            return lex.official_roles.ends(tokens[: -len(link)])
    return False


_SEPARATORS = frozenset({",", "(", "-", "–", "—", "as", ":"})
# words that may stand between a name and its role: ", the Council's interim Director", ", our Chair"
_BETWEEN = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "their",
        "his",
        "her",
        "its",
        "interim",
        "acting",
        "former",
        "new",
        "senior",
        "joint",
    ]
)


_PARTY_BRACKET = 5  # words in a bracket giving a party and a ward ("(Liberal Democrat, Northfield)")


def _role_after(raw: list[str], lex: Lexicon) -> Role | None:
    """ ", Director of Children's Services", " (Chair)", " (Complaints Manager)", ", Democratic Services
    Manager", ", the complainant," or a title straight after the name ("Edward Timpson MP")."""
    if not raw:
        return None
    tokens = [_norm(w) for w in raw]
    if tokens[0] == "(":  # a parenthesis: the role is its first or last words
        inner = tokens[1 : tokens.index(")")] if ")" in tokens else tokens[1:6]
        if _gives_a_party(inner, lex):
            return "official"  # "Maria Joannou (Lab)": a party's elected member
        for role, terms in (("private", lex.private_roles), ("official", lex.official_roles)):
            if terms.starts(inner) or terms.ends(inner):
                return role  # type: ignore[return-value]
        return None
    label = _field_label(tokens)  # "Name: Jeanette Richards | Position: Executive Director ..."
    first = label or (1 if tokens[0] in _SEPARATORS else 0)
    # straight after the name only an official title counts: "Sutton parents" is a place's parents
    kinds = (
        (("private", lex.private_roles), ("official", lex.official_roles))
        if first
        else (("official", lex.official_roles),)
    )
    for skip in range(first, first + 5):
        for role, terms in kinds:
            if terms.starts(tokens[skip:]):
                return role  # type: ignore[return-value]
        # words of a title ("Democratic Services Manager"), articles and possessives may come first
        if skip >= len(tokens) or not (
            tokens[skip] in _BETWEEN or tokens[skip].endswith("'s") or raw[skip][:1].isupper()
        ):
            return None
    return None


# the labels of a post given as a field of its own after a name field (a report's front sheet), and of the name
POST_FIELD_LABELS: tuple[str, ...] = ("position", "job title", "title", "role", "post", "designation")
NAME_FIELD_LABELS: tuple[str, ...] = ("name", "report author", "author", "contact officer", "lead officer")
_POST_LABELS = frozenset(w for label in POST_FIELD_LABELS for w in label.split())


def _field_label(tokens: list[str]) -> int:
    """The length of a post field's label opening `tokens` ("| Position :", "| Job title :"), or 0."""
    if tokens[0] != "|" or ":" not in tokens[1:4]:
        return 0
    colon = tokens.index(":", 1)
    return colon + 1 if colon > 1 and all(t in _POST_LABELS for t in tokens[1:colon]) else 0


def names_a_party_member(sentence: str) -> bool:
    """Whether the sentence gives someone's party in brackets after their name ("Maria Joannou (Lab) said"): an
    elected member, named in role."""
    lex = lexicons()["en"]
    tokens = words(sentence)
    for i, tok in enumerate(tokens):
        if tok != "(" or i == 0 or ")" not in tokens[i:]:
            continue
        if _gives_a_party(tokens[i + 1 : tokens.index(")", i)], lex):
            return True
    return False


def _gives_a_party(inner: list[str], lex: Lexicon) -> bool:
    """Whether a bracket's words (`inner`) give a party, and a ward at most ("(Liberal Democrat, Northfield)")."""
    return 0 < len(inner) <= _PARTY_BRACKET and lex.parties.starts(inner)


def private_person(span_text: str, sentence: str, context: str = "") -> bool:
    """Is the person named `span_text` in `sentence` a private individual whose name must not be shown?

    True for a child, parent, carer, foster carer, complainant or member of the public; true also for a name with
    no role next to it (fail closed). False for an official in role: a councillor, director, chair, inspector or
    officer named with the role next to the name ("Councillor Smith", "Jane Okafor, Director of Children's
    Services", "Sue O'Brien (Complaints Manager)"). False for anonymised labels ("Child B", "Ms X"): they are how
    papers keep people private.

    Every mention of the name in `sentence` counts, and one naming them as a private individual wins. Papers
    often give an official's role once ("Present: ... Linda Evans, Executive Director") and then the bare name:
    pass the rest of the passage or paper as `context`, and when the sentence gives no role, the roles the
    context gives the same name decide (a private mention there still wins)."""
    span = " ".join(span_text.split())
    if not span or is_anonymised(span):
        return False
    lexs = list(lexicons().values())
    role = role_of(span, " ".join(sentence.split()), lexs=lexs)
    if role is None and context:
        whole = " ".join(context.split())
        role = role_of(span, whole, lexs=lexs)
        if role is None:
            # "Mr Rory Love, Cabinet Member for Education ... Mr Love commented": minutes give the full name and
            # role once, then the title and surname; the role of the full name is the short one's
            roles = {role_of(full, whole, lexs=lexs) for full in _fuller_names(span, whole)}
            role = "private" if "private" in roles else "official" if "official" in roles else None
    return role != "official"


def fullest_name(name: str, text: str) -> str:
    """The fullest form `text` gives of a person named by title and surname alone ("Councillor Dixon" ->
    "Councillor Paul Dixon": papers and news give the full name once, then the surname); `name` itself when
    it has a given name already or the text gives no fuller form under the same title (so another person of
    the same surname, "Jayden Dixon", never lends a name). Words of roles and bodies are no given names."""
    parts = name.split()
    if len(parts) != 2 or _norm(parts[0]) not in _TITLES:
        return name
    for full in _fuller_names(name, text, _TITLES):
        found = full.split()
        if _norm(found[0]) == _norm(parts[0]) and not any(_norm(w) in _not_given() for w in found[1:-1]):
            return " ".join([parts[0], *found[1:]])
    return name


@cache
def _not_given() -> frozenset[str]:
    """Words that are no given name: roles, bodies' words, titles and English stop words."""
    lex = lexicons()[ENGLISH]
    roles = {w for t in (lex.private_roles, lex.official_roles) for p in t.phrases for w in p}
    return frozenset(lex.not_people | roles | _TITLES | stop_words(ENGLISH))


def _fuller_names(span: str, text: str, titles: frozenset[str] = _HONORIFICS) -> list[str]:
    """The fuller forms of a titled surname ("Mr Love") in `text`: "Mr Rory Love", "Rory Love"; `titles`, the
    titles such a surname may carry."""
    parts = span.split()
    if len(parts) != 2 or _norm(parts[0]) not in titles:
        return []
    title, surname = re.escape(parts[0].rstrip(".")), re.escape(parts[1])
    pattern = re.compile(rf"\b(?:{title}\.?\s+)?(?:[A-Z][\w'’-]+\s+){{1,2}}{surname}\b")
    out = []
    for m in pattern.finditer(text):
        found = m.group().split()
        if found == parts or any(_norm(w) in _TITLES for w in found[1:-1]):
            continue  # the short form itself, or "Mr Councillor ..."
        if _norm(found[0]) not in _TITLES:
            before = text[max(0, m.start() - 20) : m.start()].split()
            if before and _norm(before[-1]) in _TITLES:
                continue  # "Councillor Ann Hale" is not "Mr Hale"
        elif _norm(found[0]) != _norm(parts[0]):
            continue
        out.append(m.group())
    return out


def private_people(sentence: str, context: str = "") -> list[str]:
    """The names of private individuals in `sentence` (see `private_person`; `context` as there), as written:
    PERSON entities of two or more capitalised words, titled names ("Mrs Patel"), and single names next to a
    private role ("foster carer Amina", "Jayden, aged 9"). A single word the recogniser calls a person with
    nothing around it (often a place: "Bolton") is not counted."""
    text = " ".join(sentence.split())
    if not text:
        return []
    found = [name for name, _ in _names(nlp.parse(text), text, [lexicons()[ENGLISH]], strict=True)]
    return list(dict.fromkeys(n for n in found if private_person(n, text, context)))


_CAPITALISED_RUN = re.compile(r"(?<![\w'’-])[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)+")
_NAME_CHARS = re.compile(r"[^\W\d_](?:[\w'’. -]*\w)?")
_POSSESSIVE = re.compile(r"(?:['’]s?)?[?!.,;:]*$")
# labels the recogniser gives names it does not know ("Leo Hart" comes out as an organisation)
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})


def _names(
    doc: Doc, text: str, lexs: Sequence[Lexicon], runs: bool = False, strict: bool = False
) -> list[tuple[str, int]]:
    """Personal names in `doc` with their offsets: PERSON entities that look like names; two or more capitalised
    words the recogniser labelled otherwise (it often calls an unfamiliar name an organisation or a place), when
    none of them is a word the lists say is not a name; titled names ("Mrs Patel"). With `runs` (text in another
    language, which the English recogniser reads poorly), also any run of two or more capitalised words that are
    not that language's common words ("Czy Kelly Smith z" gives "Kelly Smith"). With `strict` (sentences of
    papers, where the recogniser's other labels are mostly committees and places: "Focused Visit", "West
    Berkshire"), a name it did not call a person counts only with a private role next to it."""
    stop = frozenset().union(*(stop_words(lex.lang) | lex.anonymised for lex in lexs if lex.lang != ENGLISH))
    role_words = {
        w for lex in lexs for t in (lex.private_roles, lex.official_roles) for p in t.phrases for w in p
    }
    not_people = frozenset().union(*(lex.not_people for lex in lexs)) | (role_words - _TITLES)
    out: list[tuple[str, int]] = []

    def add(name: str, start: int, person: bool) -> None:
        if any(_overlaps((start, start + len(name)), (s, s + len(n))) for n, s in out):
            return
        if is_anonymised(name, lexs) or not _NAME_CHARS.fullmatch(name):
            return
        words_ = name.split()
        capitals = [
            w
            for w in words_
            if w[:1].isupper() and w.replace("'", "").replace("’", "").isalpha() and _norm(w) not in _TITLES
        ]
        titled = any(_norm(w) in _TITLES for w in words_)
        private = bool(capitals) and role_of(name, text, start, lexs) == "private"
        named = len(capitals) >= 2 and all(_norm(w) not in not_people for w in capitals)
        if (person and (titled or private or len(capitals) >= 2)) or (named and (private or not strict)):
            out.append((name, start))

    for ent in doc.ents:
        if ent.label_ in _NAME_LABELS:
            span = _trim_entity(ent, stop, not_people)
            if span is not None:
                add(text[span[0] : span[1]], span[0], ent.label_ == "PERSON")
    for m in _TITLED_NAME.finditer(text):
        add(_POSSESSIVE.sub("", m.group()), m.start(), True)
    if runs:
        for m in _CAPITALISED_RUN.finditer(text):
            found = [
                (m.start() + w.start(), _POSSESSIVE.sub("", w.group()))
                for w in re.finditer(r"\S+", m.group())
            ]
            kept = [(i, w) for i, w in found if _norm(w) not in stop | not_people]
            for i in range(len(kept) - 1):  # two neighbouring name words
                (a, first), (b, second) = kept[i], kept[i + 1]
                if text[a + len(first) : b].strip() == "":
                    add(f"{first} {second}", a, False)
    return out


def _trim_entity(ent: Span, stop: frozenset[str], not_people: frozenset[str]) -> tuple[int, int] | None:
    """The entity's characters without leading or trailing words that are not names (a question word of another
    language, "¿Dónde", a possessive "'s"); None when nothing name-like is left."""
    tokens = [t for t in ent if t.text[:1].isupper() and _norm(t.text) not in stop | not_people]
    if not tokens:
        return None
    end_token = tokens[-1]
    return tokens[0].idx, end_token.idx + len(end_token.text.rstrip("'’"))


# ----------------------------------------------------------------------------------------------------
# Questions about an identifiable private individual
# ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonQuestion:
    kind: Kind  # "identity": who someone is or where they are; "status": what their case is
    matched: str  # the person and the context, for logs and tests


def identifiable_person(question: str) -> PersonQuestion | None:
    """Does `question` ask about an identifiable private individual? See the module docstring."""
    text = " ".join(unicodedata.normalize("NFKC", question).split())
    if not text:
        return None
    lang, probability = language(text)
    lexs = lexicons_for(lang, probability)
    parsed = lang == ENGLISH  # the English parse says what the context is about only in English
    doc = nlp.parse(text)
    tokens = [_norm(t.text) for t in doc]
    contexts = {
        "identity": _spans(tokens, [lex.details for lex in lexs]),
        "status": _spans(tokens, [lex.case_status for lex in lexs]),
        "home": _spans(tokens, [lex.personal_details for lex in lexs]),
    }
    for mention in _mentions(doc, text, lexs, parsed):
        person = doc[mention.start : mention.end]
        # anonymised people and first names alone: only what would identify or locate them ("Is Jayden in
        # care?" names nobody in particular, and "Bury" is parsed the same way); officials: only home details
        kinds: tuple[str, ...] = (
            ("home",)
            if mention.role == "official"
            else ("identity",)
            if mention.anonymised or (mention.single and not mention.person)
            else ("identity", "status")
        )
        for kind in kinds:
            for c_start, c_end in contexts[kind]:
                context = doc[c_start:c_end]
                if _overlaps((mention.start, mention.end), (c_start, c_end)):
                    continue
                if not parsed or (
                    _about_single(person, context)
                    if mention.single
                    else _about(doc, person, context, lexs[0])
                ):
                    label: Kind = "status" if kind == "status" else "identity"
                    return PersonQuestion(label, f"{person.text} … {context.text}")
    role_noun = _details_of_role_noun(doc, tokens, lexs, parsed)
    if role_noun:
        return PersonQuestion("identity", role_noun)
    return None


def _spans(tokens: Sequence[str], terms: Iterable[Terms]) -> list[tuple[int, int]]:
    return sorted({m for t in terms for m in t.find(tokens)})


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass(frozen=True)
class _Mention:
    start: int  # first token
    end: int  # after the last token
    role: Role
    anonymised: bool = False  # "Child B", "Ms X"
    single: bool = False  # one word the recogniser may have taken for a name ("Jayden", or a place)
    person: bool = False  # a single word the recogniser calls a person


def _mentions(doc: Doc, text: str, lexs: Sequence[Lexicon], parsed: bool) -> list[_Mention]:
    """People in a question. Named people with no role next to them count as private."""
    out: list[_Mention] = []

    def taken(start: int, end: int) -> bool:
        return any(_overlaps((start, end), (m.start, m.end)) for m in out)

    labels = sorted({w for lex in lexs for w in lex.anonymised}, key=len, reverse=True)
    anonymised = re.compile(rf"(?<![\w])(?i:{'|'.join(re.escape(w) for w in labels)})\.?\s+[A-Z](?![\w])")
    for found in anonymised.finditer(text):
        span = doc.char_span(found.start(), found.end(), alignment_mode="expand")
        if span is not None:
            out.append(_Mention(span.start, span.end, "private", anonymised=True))
    for name, start in _names(doc, text, lexs, runs=not parsed):
        span = doc.char_span(start, start + len(name), alignment_mode="expand")
        if span is not None and parsed and span.start == 0 and _commands(doc[0]):
            # "Trace Cumbria's intervention ...": a command's verb is capitalised only as the first word
            span = doc[1 : span.end] if span.end - 1 >= 2 else None
        if span is not None and _in_a_council_name(span):
            continue  # "Trace Cumbria County Council's ...": a council, not a person
        if span is not None and not taken(span.start, span.end):
            out.append(_Mention(span.start, span.end, role_of(name, text, start, lexs) or "private"))
    if parsed:  # "Councillor Pilkington's child", "Jayden Smith's mother": a named person's relative
        relatives = frozenset().union(*(lex.private_roles.phrases for lex in lexs))
        for mention in list(out):
            root = doc[mention.start : mention.end].root
            head = root.head
            if root.dep_ == "poss" and (_norm(head.text),) in relatives and not taken(head.i, head.i + 1):
                out.append(_Mention(head.i, head.i + 1, "private"))
    if parsed:  # one proper noun as the subject: "Where does Jayden live?", "Is Jayden in care?"
        not_people = frozenset().union(*(lex.not_people for lex in lexs))
        for t in doc:
            if (
                t.pos_ == "PROPN"
                and t.dep_ in ("nsubj", "nsubjpass")
                and _norm(t.text) not in not_people
                and not taken(t.i, t.i + 1)
                and not any(c.dep_ == "compound" for c in t.children)
            ):
                role = role_of(t.text, text, t.idx, lexs) or "private"
                out.append(_Mention(t.i, t.i + 1, role, single=True, person=t.ent_type_ == "PERSON"))
    return out


def _commands(token: Token) -> bool:
    """The first word of a question put as a command ("Trace ...", "List ...", "Compare ...")."""
    # the answer step's word lists, imported late: question imports this module
    from assistant.question import lexicon

    return token.pos_ == "VERB" or token.lower_ in lexicon().classes["command_words"]


def _in_a_council_name(span: Span) -> bool:
    """A span inside an organisation's name that ends in a council word ("Cumbria County Council")."""
    from assistant.question import lexicon  # imported late: question imports this module

    council_words = lexicon().classes["council_name_words"]
    for ent in span.doc.ents:
        if ent.label_ in ("ORG", "GPE") and ent.start <= span.start and span.end <= ent.end:
            return ent[-1].lower_ in council_words or (
                ent[-1].lower_ in {"'s", "’s"} and len(ent) > 1 and ent[-2].lower_ in council_words
            )
    return False


def _about_single(person: Span, context: Span) -> bool:
    """For a single proper noun (which may be a place: "Bolton"), only the plainest personal facts: it is the
    subject of the context verb ("Where does Jayden live?", "Was Jayden adopted?") or the subject of "be" with
    the context as what it is ("Is Jayden in care?")."""
    p, c = person.root, context.root
    verb = p.head
    if verb.i == c.i:
        return True
    if verb.lemma_ == "be" and c.head.i == verb.i and c.dep_ in ("prep", "attr", "acomp"):
        return True
    return verb.lemma_ in ("go", "attend") and c.head.head.i == verb.i and c.head.dep_ == "prep"


_CLAUSE_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "dative", "attr", "pobj", "poss", "compound", "appos", "agent"}
)
_LINK_DEPS = frozenset(
    {"prep", "pobj", "poss", "compound", "conj", "appos", "case", "agent", "prt", "acomp", "attr"}
)


def _about(doc: Doc, person: Span, context: Span, lex: Lexicon) -> bool:
    """In an English question, is the context word a fact about the person (their address, their being in care),
    rather than the topic of something they said or a modifier of another noun ("the care leavers report")?"""
    if not any(t.pos_ in ("VERB", "AUX") for t in doc):
        return True  # a keyword query: "Jayden Smith address"
    p, c = person.root, context.root
    heads = _conj_heads(c)
    if (
        c.dep_ in ("poss", "compound", "amod", "nmod")
        and c.head.pos_ in ("NOUN", "PROPN")
        and c.head not in context
    ):
        return False  # a modifier of another noun: "Gloucestershire's children's services", "a care leavers offer"
    # the person hangs off the context word: "Jayden's school", "the address of Jayden", "Where does Jayden live?"
    for anc, path in _ancestors(p):
        if anc in heads:
            return all(t.dep_ in _CLAUSE_DEPS | _LINK_DEPS for t in path)
    # the context word hangs off the person: "Jayden Smith in care", "Jayden Smith, a child in care"
    for anc, path in _ancestors(c):
        if anc == p:
            return _plain_path(path[1:], person, context, lex)
    # both hang off one verb: "Is Jayden Smith still in care?", "Which school does Jayden go to?"
    p_chain = {a: path for a, path in _ancestors(p)}
    for anc, path in _ancestors(c):
        if anc in p_chain and anc.pos_ in ("VERB", "AUX"):
            subject = p_chain[anc]
            topic = any(_norm(t.text) in lex.topic_words and t.i < c.i for t in anc.children)
            return (
                subject[0].dep_ in _CLAUSE_DEPS and not topic and _plain_path(path[1:], person, context, lex)
            )
    return False


def _conj_heads(token: Token) -> set[Token]:
    """The token and the words it is coordinated with: "the name, address and school of the child"."""
    out = {token}
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
        out.add(token)
    out.update(t for t in list(out) for t in t.conjuncts)
    return out


def _ancestors(token: Token) -> list[tuple[Token, list[Token]]]:
    """Each ancestor with the path of tokens from `token` up to (not including) it."""
    out: list[tuple[Token, list[Token]]] = []
    path = [token]
    while token.head.i != token.i and len(path) < 8:
        token = token.head
        out.append((token, list(path)))
        path.append(token)
    return out


def _plain_path(path: Sequence[Token], person: Span, context: Span, lex: Lexicon) -> bool:
    """No other noun and no topic preposition ("about", "on") between the context word and the clause."""
    for t in path:
        if t in person or t in context:
            continue
        if t.pos_ in ("NOUN", "PROPN", "PRON") or _norm(t.text) in lex.topic_words:
            return False
    return True


def _details_of_role_noun(doc: Doc, tokens: Sequence[str], lexs: Sequence[Lexicon], parsed: bool) -> str:
    """ "the name, address and school of the child in the review", "the complainant's address", "her children's
    names": a detail of a particular private individual named by role. Other languages: a private role noun and
    a detail in the same question."""
    roles = [
        r for r in _spans(tokens, [lex.private_roles for lex in lexs]) if not parsed or doc[r[0]].is_lower
    ]
    details = _spans(tokens, [lex.details for lex in lexs])
    if parsed and roles and _contact_intent(doc, tokens, lexs):
        particular = [doc[rs:r_end] for rs, r_end in roles if _particular(doc[rs:r_end])]
        if particular:
            return f"{particular[0].text} … contact"
    if not roles or not details:
        return ""
    if not parsed:
        (rs, re_), (ds, de) = roles[0], details[0]
        return f"{doc[rs:re_].text} … {doc[ds:de].text}"
    particular = [doc[rs:r_end] for rs, r_end in roles if _particular(doc[rs:r_end])]
    for ds, d_end in details:
        d = doc[ds:d_end]
        if d.root.pos_ not in ("NOUN", "PROPN") or any(
            _overlaps((r.start, r.end), (ds, d_end)) for r in particular
        ):
            continue
        for rs, r_end in roles:
            if _detail_of(doc[rs:r_end].root, d.root):
                return f"{d.text} … {doc[rs:r_end].text}"
        # "Which girl got the order, and what's her school?", "the child in case 24 000 950 ... their name"
        owner = next((c for c in d.root.children if c.dep_ == "poss" and c.lower_ in _PRONOUNS), None)
        if owner is not None and particular:
            return f"{particular[0].text} … {owner.text} {d.text}"
    return ""


_PRONOUNS = frozenset({"his", "her", "their"})


def _contact_intent(doc: Doc, tokens: Sequence[str], lexs: Sequence[Lexicon]) -> bool:
    """ "I want to contact them", "how can I find her": wanting to reach the people the question is about."""
    for lex in lexs:
        for start, end in lex.contact.find(tokens):
            verb = doc[start:end].root
            objects = [
                c for c in verb.subtree if c.dep_ in ("dobj", "pobj") and c.lower_ in ("him", "her", "them")
            ]
            if objects:
                return True
    return False


def _particular(phrase: Span) -> bool:
    """A particular person rather than people in general: "the child", "this family", "which girl", "his son"."""
    root = phrase.root
    before = [phrase.doc[i] for i in range(max(0, phrase.start - 2), phrase.start)]
    return any(
        t.lower_ in _PARTICULAR and (t.dep_ in ("det", "poss") or t in before)
        for t in [*root.children, *before]
    )


_PARTICULAR = frozenset({"the", "this", "that", "which", "his", "her", "their"})


def _detail_of(role: Token, detail: Token) -> bool:
    """ "the school of the child", "the child's school", "the names of the children": the role noun is the
    possessor or the object of "of" attached to the detail (or to a word it is listed with)."""
    heads = _conj_heads(detail)
    if role.tag_ == "NNS" and any(c.dep_ == "poss" and c.pos_ == "PROPN" for c in role.children):
        return False  # "Bolton's children": a place's children in general
    if role.dep_ == "poss" and role.head in heads:
        return True
    return role.dep_ == "pobj" and role.head.lower_ == "of" and role.head.head in heads
