"""Misspelt words of a question read as the papers' words, with a fake keyword index (word -> chunks using it,
by the index's own stems)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from assistant.spelling import NOTE_PREFIX, corrected, note, readings
from vectorstore.keyword import tokenize

PAPERS = {"complaint": 40, "ofst": 30, "inspect": 25, "servic": 50, "child": 60, "wexbridg": 9, "ehcp": 7}


def frequency(words: Sequence[str]) -> dict[str, int]:
    return {w: min((PAPERS.get(t, 0) for t in tokenize(w) or [w]), default=0) for w in words}


@pytest.mark.parametrize(
    ("question", "read"),
    [
        ("how many complants did children's services get?", {"complants": "complaints"}),
        # a word of the papers that is no English word ("Ofsted") is a reading too; the shorter of two words the
        # index cannot tell apart ("ofsted", "ofsteed") is taken
        ("what did the ofstead inspecton say?", {"ofstead": "ofsted", "inspecton": "inspection"}),
        ("whats the latest rating for childrens servces", {"servces": "services"}),
    ],
)
def test_a_misspelt_word_is_read_as_the_papers_word_one_edit_away(
    question: str, read: dict[str, str]
) -> None:
    assert readings(question, frequency) == read


@pytest.mark.parametrize(
    "question",
    [
        "How many complaints did the EHCP team get?",  # words the papers use
        "What did Ofsted say about Zorbington?",  # a name (capitalised) is left as written
        "what did the panel recommend?",  # English words the papers do not use: nothing to correct
        "how many complaints did wexbridgs services get?",  # a place without its apostrophe, kept
        "what is the qzxv?",  # nothing near it in the papers
    ],
)
def test_words_the_papers_use_names_english_words_and_places_are_left_alone(question: str) -> None:
    assert readings(question, frequency, keep={"wexbridgs"}) == {}


def test_the_question_is_rewritten_and_the_reading_said() -> None:
    found = {"complants": "complaints"}
    assert corrected("how many complants were upheld?", found) == "how many complaints were upheld?"
    assert note(found) == "Read “complants” as “complaints”." and note(found).startswith(NOTE_PREFIX)
    assert note({}) == ""


def test_a_plain_word_the_papers_never_use_is_read_as_theirs() -> None:
    # the glossary's plain words: "kids" are the papers' "children" (used 60 times; "kids" never)
    assert readings("did ofsted find anything going right in wexbridge kids services?", frequency) == {
        "kids": "children"
    }
    # when the papers use the plain word too, it is left as written
    assert readings("how many kids?", lambda ws: {w: 5 for w in ws}) == {}
