"""UK children's-services acronyms and terms, used to expand search queries both ways.

``GLOSSARY`` maps a *term* (an acronym such as ``"CLA"`` or a phrase such as ``"care leavers"``) to its
long forms and close variants.  Expansion runs in both directions:

* if the query contains a term, all of its long forms are appended;
* if the query contains one of a term's long forms, the term itself is appended.

Matching rules (see ``_matcher``):

* Acronym-like strings (one token with at least one upper-case letter after the first character, e.g.
  ``SEND``, ``CiC``, ``DfE``, or a capitalised proper name such as ``Ofsted``) are matched
  case-sensitively, as written or in all capitals, on word boundaries, with an optional plural ``s``.
  So ``CP`` does not match inside ``CPD`` and the verb "send" does not match ``SEND``.  Acronyms that
  are not ordinary English words (``_SAFE_ANY_CASE``) also match in lower case ("ehcp", "ofsted").
* Phrases are matched case-insensitively on word boundaries, treating spaces, hyphens and commas
  alike, the apostrophe as optional and ``and`` as ``&``; the last word may take a plural ``s``.
* A query typed mostly in capitals ("PLEASE SEND ME ...") is "shouting": only the safe acronyms are
  expanded from it, since a capitalised ``SEND`` there is as likely to be the verb.

Expansions are returned without duplicates and without anything the query already contains.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

__all__ = [
    "BODIES",
    "GLOSSARY",
    "KINDS",
    "PLAIN_WORDS",
    "capitals_only",
    "expand_query",
    "expansions",
    "plain_word_expansions",
]

# The terms below that name a body: its long form is a name, and the words of a name say nothing of what a
# sentence is about ("the Local Government and Social Care Ombudsman received 88 complaints" is not about social
# care; "the Care Quality Commission" not about care).
# Each with the word people call it by ("the Ombudsman", "the Commission", "the Department").
BODIES: dict[str, str] = {
    "Ofsted": "Office",
    "CQC": "Commission",
    "HMICFRS": "Inspectorate",
    "DfE": "Department",
    "NHSE": "NHS",
    "LGSCO": "Ombudsman",
    "LGO": "Ombudsman",
}

GLOSSARY: dict[str, tuple[str, ...]] = {
    # Inspection frameworks and regulators.
    "ILACS": (
        "inspection of local authority children's services",
        "inspecting local authority children's services",
    ),
    "JTAI": ("joint targeted area inspection",),
    "SIF": ("single inspection framework",),
    "Ofsted": ("Office for Standards in Education, Children's Services and Skills",),
    "CQC": ("Care Quality Commission",),
    "HMICFRS": (
        "His Majesty's Inspectorate of Constabulary and Fire and Rescue Services",
        "Her Majesty's Inspectorate of Constabulary and Fire and Rescue Services",
    ),
    "DfE": ("Department for Education",),
    "NHSE": ("NHS England",),
    "LGSCO": ("Local Government and Social Care Ombudsman",),
    "LGO": ("Local Government Ombudsman", "Local Government and Social Care Ombudsman"),
    # SEND.
    "SEND": ("special educational needs and disabilities",),
    "EHCP": ("education, health and care plan", "EHC plan"),
    "EHCNA": ("education, health and care needs assessment", "EHC needs assessment"),
    "WSOA": ("written statement of action",),
    # In Bury's SEND papers PIP is the priority impact plan, not the welfare benefit.
    "PIP": ("priority impact plan",),
    # Children's social care.
    "CIN": ("child in need", "children in need"),
    "CP": ("child protection",),
    "CLA": ("children looked after", "looked-after children", "looked after child"),
    "LAC": ("looked-after children", "children looked after", "looked after child"),
    "CiC": ("children in care", "child in care"),
    "MASH": ("multi-agency safeguarding hub",),
    "IRO": ("independent reviewing officer",),
    "PLO": ("public law outline",),
    "UASC": ("unaccompanied asylum-seeking children", "unaccompanied asylum-seeking child"),
    "LSCB": ("local safeguarding children board",),
    "SCP": ("safeguarding children partnership",),
    "LSCP": ("local safeguarding children partnership", "safeguarding children partnership"),
    "DCS": ("director of children's services",),
    # Government ministers are named by their posts ("the Parliamentary Under-Secretary of State for Children").
    "minister": ("secretary of state", "under-secretary of state", "minister of state"),
    # How papers and news name councillors ("Cllr Fiona Thomson", "Coun Ashley Evans").
    "Cllr": ("councillor",),
    "Coun": ("councillor",),
    # Improvement and intervention.
    "ISF": ("intervention support fund",),
    "SLIP": ("sector-led improvement partner",),
    "RI": ("requires improvement", "requires improvement to be good"),
    "requires improvement to be good": ("requires improvement", "RI"),
    "focused visit": ("focussed visit",),
    # ILACS monitoring visits (after an inadequate judgement) and area-SEND monitoring inspections.
    "monitoring visit": ("monitoring inspection",),
    "corporate parenting": ("corporate parent",),
    "care leavers": ("care leaver", "care experienced", "leaving care"),
    # The statutory children's social care complaints procedure.
    "Stage 1 complaint": ("stage one complaint", "local resolution"),
    "Stage 2 complaint": ("stage two complaint", "investigating officer"),
    "Stage 3 complaint": ("stage three complaint", "complaints review panel"),
    # Papers not for publication.
    "Part B": (
        "exempt information",
        "exempt report",
        "exempt appendix",
        "not for publication",
        "Schedule 12A",
    ),
}

# Everyday words in questions -> the words council papers use for the same thing.  One way only (a paper saying
# "judgement" is not a reason to look for "grade"), and only for the search keywords.
PLAIN_WORDS: dict[str, tuple[str, ...]] = {
    "deadline": ("due", "submitted by", "timescale"),
    "grade": ("judgement", "judged"),
    "graded": ("judged",),
    "rating": ("judgement", "judged"),
    "rated": ("judged",),
    "complain": ("complaint",),
    "phone": ("telephone",),
    "ring": ("telephone",),
    "kids": ("children",),
    "foster parents": ("foster carers",),
}

# What a term is a kind of, for a question naming the term and a paper naming only the kind: "when was the ILACS
# carried out?" is answered by "the inspection took place ..." or "inspectors visited ...".
KINDS: dict[str, str] = {
    "ILACS": "inspection",
    "SIF": "inspection",
    "JTAI": "inspection",
}

# Acronyms that are not ordinary English words, so also matched in lower or mixed case.
_SAFE_ANY_CASE = frozenset(
    {"ILACS", "JTAI", "Ofsted", "HMICFRS", "LGSCO", "EHCP", "EHCNA", "WSOA", "UASC", "LSCB", "LSCP", "NHSE"}
)

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_SEP = r"[\s,\-‐–/]+"
_LEFT = r"(?<![A-Za-z0-9])"
_RIGHT = r"(?![A-Za-z0-9])"

Matcher = Callable[[str], re.Match[str] | None]


def _is_acronym(term: str) -> bool:
    return " " not in term and any(c.isupper() for c in term)


def _word_pattern(word: str) -> str:
    if word.lower() == "and":
        return "(?:and|&)"
    parts = re.split(r"['’]", word)
    return "['’]?".join(re.escape(p) for p in parts)


def _last_word_pattern(word: str) -> str:
    """The phrase's last word, singular or plural ("disabilities" ~ "disability", "plan" ~ "plans")."""
    lower = word.lower()
    if lower.endswith("ies"):
        return f"{re.escape(word[:-3])}(?:y|ies)"
    if lower.endswith("y") and lower[-2:-1] not in {"a", "e", "o", "u"}:
        return f"{re.escape(word[:-1])}(?:y|ies)"
    if lower.endswith("s"):
        return _word_pattern(word)
    return f"{_word_pattern(word)}(?:s|es)?"


@cache
def _matcher(term: str) -> Matcher:
    """A search function for ``term`` under the module's matching rules."""
    if _is_acronym(term):
        variants = {term, term.upper()}
        alternation = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
        flags = re.IGNORECASE if term in _SAFE_ANY_CASE else 0
        return re.compile(rf"{_LEFT}(?:{alternation})(?:s|['’]s)?{_RIGHT}", flags).search
    words = _WORD.findall(term)
    body = _SEP.join([*(_word_pattern(w) for w in words[:-1]), _last_word_pattern(words[-1])])
    return re.compile(rf"{_LEFT}{body}{_RIGHT}", re.IGNORECASE).search


@cache
def _known_acronyms() -> frozenset[str]:
    terms = [*GLOSSARY, *(form for forms in GLOSSARY.values() for form in forms)]
    return frozenset(t.upper() for t in terms if _is_acronym(t))


def capitals_only(word: str) -> bool:
    """Whether `word` is a glossary acronym only when written in capitals, being an ordinary word otherwise:
    "send" (the verb) is not SEND."""
    return word.upper() in _known_acronyms() and word.upper() not in {t.upper() for t in _SAFE_ANY_CASE}


def _is_shouting(query: str) -> bool:
    """True when most words are capitals that are not glossary acronyms ("PLEASE SEND ME ...")."""
    words = [w for w in re.findall(r"[A-Za-z]+", query) if len(w) > 1]
    capitals = [w for w in words if w.isupper() and w not in _known_acronyms()]
    return len(capitals) >= 2 and len(capitals) * 2 >= len(words)


def _find(term: str, query: str, shouting: bool) -> re.Match[str] | None:
    if shouting and _is_acronym(term) and term not in _SAFE_ANY_CASE:
        return None
    return _matcher(term)(query)


def expansions(query: str) -> list[str]:
    """Glossary terms and long forms to add to ``query``, in order of where their trigger appears.

    Nothing the query already contains is returned, and nothing is returned twice.
    """
    shouting = _is_shouting(query)
    found: list[tuple[int, int, str]] = []  # (position in query, glossary order, expansion)
    for order, (term, long_forms) in enumerate(GLOSSARY.items()):
        hit = _find(term, query, shouting)
        if hit is not None:
            found.extend((hit.start(), order, form) for form in long_forms)
            continue
        for form in long_forms:
            hit = _find(form, query, shouting)
            if hit is not None:
                found.append((hit.start(), order, term))
                break
    result: list[str] = []
    seen: set[str] = set()
    for _, _, form in sorted(found, key=lambda item: (item[0], item[1])):
        key = form.casefold()
        if key in seen or _find(form, query, shouting=False) is not None:
            continue
        seen.add(key)
        result.append(form)
    return result


def plain_word_expansions(query: str) -> list[str]:
    """The papers' words for everyday words in ``query`` (``PLAIN_WORDS``), without duplicates or words it has."""
    result: list[str] = []
    for word, forms in PLAIN_WORDS.items():
        if _matcher(word)(query) is None:
            continue
        for form in forms:
            if form.casefold() not in {r.casefold() for r in result} and _matcher(form)(query) is None:
                result.append(form)
    return result


def expand_query(query: str) -> str:
    """``query`` with its glossary expansions appended (unchanged if there are none)."""
    extra = expansions(query)
    if not extra:
        return query
    return f"{query.rstrip()} {' '.join(extra)}"
