"""Small text utilities every layer shares: how a date is written for people, and the one stemmer."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


def fmt_date(d: dt.date | None) -> str:
    """`10 September 2025`; "undated" for no date."""
    return f"{d.day} {d:%B %Y}" if d else "undated"


# ---------------------------------------------------------------- stems

_IRREGULAR = {  # spelling variants and irregular plurals, mapped before stemming
    "children": "child",
    "people": "person",
    "judgement": "judgment",
    "judgements": "judgments",
    "practise": "practice",
    "practised": "practice",
    "analyse": "analyze",
    "analysed": "analyzed",
}
_SUFFIXES = (
    ("isations", "iz"), ("izations", "iz"), ("isation", "iz"), ("ization", "iz"), ("ational", "ate"),
    ("ments", ""), ("ment", ""), ("nesses", ""), ("ness", ""), ("ings", ""), ("ing", ""), ("ised", "iz"),
    ("ized", "iz"), ("ises", "iz"), ("izes", "iz"), ("ise", "iz"), ("ize", "iz"), ("ions", ""), ("ion", ""),
    ("ies", "y"), ("ied", "y"), ("ers", ""), ("er", ""), ("ed", ""), ("es", ""), ("s", ""),
)  # fmt: skip


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The one stemmer: the keyword index, the verifier and the answerer all compare words through it, so they agree
    on which words are the same. Light: enough that "inspected"/"inspection", "services"/"service",
    "organisation"/"organization" and "judgement"/"judgments" meet; a possessive "'s" is dropped.

    Chosen by measurement on the dev set against the keyword index's old stemmer and Snowball English (PyStemmer):
    it gave the best answer accuracy and citation precision of the three (see CHANGELOG, issue 13)."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'")
    word = _IRREGULAR.get(word, word)
    if len(word) <= 3:
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix in {"ion", "ions"} and word[-len(suffix) - 1] not in "ts":
                continue
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            word = word[: -len(suffix)] + replacement
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word
