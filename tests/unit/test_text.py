"""The shared text utilities: the date as people write it, and the one stemmer (keyword index, verifier, answerer)."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.text import fmt_date, stem
from vectorstore.keyword import tokenize


def test_fmt_date() -> None:
    assert fmt_date(dt.date(2025, 9, 5)) == "5 September 2025"
    assert fmt_date(None) == "undated"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("inspections", "inspect"),
        ("inspection", "inspect"),
        ("inspected", "inspect"),
        ("decision", "decis"),
        ("action", "action"),  # too short to lose "-tion"
        ("organisation", "organiz"),
        ("organization", "organiz"),
        ("prioritised", "prioritiz"),
        ("children", "child"),
        ("childrens", "child"),  # as residents type "childrens services"
        ("Bury's", "bury"),
        ("authorities", "authority"),
        ("authority", "authority"),
        ("improving", "improv"),
        ("improved", "improv"),
        ("improve", "improv"),
        ("improvement", "improv"),
        ("improvements", "improv"),
        ("judgement", "judg"),
        ("judgements", "judg"),
        ("judged", "judg"),
        ("submitted", "submit"),
        ("submit", "submit"),
        ("planning", "plan"),
        ("processes", "process"),
        ("status", "status"),
        ("analysis", "analysis"),
        ("assess", "assess"),
        ("recommendations", "recommend"),
        ("care", "care"),  # four letters or fewer: left alone
        ("send", "send"),
        ("2023", "2023"),
        ("ilacs", "ilac"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("inspections", "inspected"),
        ("inspection", "inspected"),
        ("planning", "plan"),
        ("submitted", "submit"),
        ("services", "service"),
        ("organisation", "organization"),
        ("judgement", "judgments"),
        ("children", "child"),
        ("families", "family"),
        ("authorities", "authority"),
        ("improved", "improvement"),
        ("improving", "improve"),
        ("requires", "required"),
        ("Bury's", "bury"),
        ("ILACS", "ilac"),
        ("upheld", "uphold"),  # irregular past forms meet their verb
        ("spent", "spending"),
        ("withdrawn", "withdraw"),
        ("led", "lead"),
        ("originally", "original"),  # an adverb in -ally meets its adjective
        ("nationally", "national"),
    ],
)
def test_words_that_meet(a: str, b: str) -> None:
    assert stem(a) == stem(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("care", "car"),
        ("status", "state"),
        ("assess", "asset"),
        ("2023", "2022"),
        ("sent", "send"),  # SEND is no past tense
        ("left", "leave"),  # nor the left side
        ("said", "say"),  # a reporting verb frames a question: its past tense is no topic
        ("met", "meeting"),
        ("family", "fami"),
        ("really", "real"),  # too short to read as "real" + "ly" safely
    ],
)
def test_words_that_stay_apart(a: str, b: str) -> None:
    assert stem(a) != stem(b)


@pytest.mark.parametrize("word", ["care", "send", "2023", "status", "analysis", "assess", "process"])
def test_short_words_numbers_and_latin_plurals_are_kept(word: str) -> None:
    assert stem(word) == word


def test_the_keyword_index_and_the_verifier_share_it() -> None:
    from assistant.verify import content_words

    for word in ("inspections", "organisation", "children's", "judgements"):
        assert tokenize(word) == [stem(word)] and content_words(word) == {stem(word)}
