"""Praise and criticism: which questions ask for either (from their parse and data), and which sentences give it
(asent's VADER lexicon with the papers' own words layered on). Made-up councils and sentences throughout."""

from __future__ import annotations

import pytest

from assistant import polarity
from assistant.question import analyse

PLACES = ["Northshire", "Eastborough"]


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("What strengths did Ofsted find in Northshire's ILACS?", polarity.PRAISE),
        ("what were the positives in the Eastborough report?", polarity.PRAISE),
        ("Was anything in Northshire's children's services actually going well?", polarity.PRAISE),
        ("What did inspectors praise in Eastborough?", polarity.PRAISE),
        ("What concerns did councillors raise about the Ofsted findings?", polarity.CRITICISM),
        ("What are Northshire's areas for improvement?", polarity.CRITICISM),
        ("What were the significant areas of weakness in Eastborough's SEND inspection?", polarity.CRITICISM),
        ("What are the main worries about SEND in Northshire?", polarity.CRITICISM),
        # what is said of "anything" the question asks whether inspectors found
        ("did ofsted find anything good at all about northshire childrens services?", polarity.PRAISE),
        ("did ofsted find anything going right in eastborough kids services?", polarity.PRAISE),
        ("Was there anything wrong with Northshire's fostering service?", polarity.CRITICISM),
        ("Is there anything I can do to help?", 0),
        # neither: "how well" asks how far; "as well as" joins; a topic is not a judgement
        ("How well did Northshire carry out the Ombudsman's recommendations?", 0),
        ("How many complaints were upheld as well as resolved in Eastborough?", 0),
        ("What areas does the Eastborough SEND strategy cover?", 0),
        # a clause the focus governs is not part of it ("priority action" is criticism; the deadline is not)
        ("What was the deadline for Eastborough to submit its priority action plan?", 0),
        ("Who is Northshire's director of children's services?", 0),
    ],
)
def test_a_question_asks_for_praise_or_criticism_by_what_it_asks_for(question: str, wanted: int) -> None:
    assert analyse(question, PLACES).evaluation == wanted


@pytest.mark.parametrize(
    ("sentence", "wanted"),
    [
        ("Workloads are manageable and social workers feel well supported.", polarity.PRAISE),
        (
            "Children at risk of exploitation benefit from persistent work by specialist workers.",
            polarity.PRAISE,
        ),
        ("Children wait too long for assessments and plans are not always reviewed.", polarity.CRITICISM),
        ("Members raised concerns about delays in the use of agency staff.", polarity.CRITICISM),
        # the papers' own sense: "requires improvement" is criticism although "improvement" is praise in general
        ("Eastborough was judged to require improvement to be good.", polarity.CRITICISM),
    ],
)
def test_a_sentence_praises_or_criticises_in_the_papers_sense(sentence: str, wanted: int) -> None:
    assert polarity.fits(sentence, wanted)
    assert not polarity.fits(sentence, -wanted)


@pytest.mark.parametrize(
    "sentence",
    [
        "The Committee agreed to this.",  # procedure, not praise ("agreed" is positive in general English)
        "It was resolved that the report be noted.",
        "The report was presented by the Assistant Director.",
    ],
)
def test_procedure_is_neither_praise_nor_criticism(sentence: str) -> None:
    assert not polarity.fits(sentence, polarity.PRAISE)
    assert not polarity.fits(sentence, polarity.CRITICISM)


def test_nothing_is_wanted_when_the_question_asks_for_neither() -> None:
    assert not polarity.fits("Workloads are manageable and social workers feel well supported.", 0)


def test_a_question_for_strengths_ranks_praise_above_a_sentence_that_only_shares_its_words() -> None:
    from assistant.candidates import collect
    from tests.unit.test_answer_general_causes import _passage

    a = analyse("What strengths did inspectors find in Northshire's children's services?", PLACES)
    text = (
        "Inspectors visited Northshire's children's services in March. "
        "Workloads are manageable and children benefit from trusted relationships with their social workers. "
        "Children wait too long for their plans to be reviewed."
    )
    ranked = [c.sentence for c in collect(a, [_passage(text, council="Northshire County Council")], None)]
    assert ranked[0].startswith("Workloads are manageable")
    assert ranked.index("Children wait too long for their plans to be reviewed.") > 0


@pytest.mark.parametrize(
    ("sentence", "answers"),
    [
        ("Significant areas of weakness: the timeliness of plans and the use of chronologies.", True),
        ("The significant areas of weakness included the timeliness of plans.", True),
        (  # names what is asked in passing, listing none of it
            "A written statement of action was required because of significant areas of weakness in practice.",
            False,
        ),
    ],
)
def test_a_sentence_naming_what_is_asked_answers_only_when_it_lists_it(
    sentence: str, answers: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.candidates import _judged
    from assistant.verify import content_words

    monkeypatch.setattr(
        polarity, "fits", lambda sentence, wanted, asked="": False
    )  # naming alone decides here
    a = analyse(
        "What were the significant areas of weakness found in Northshire's 2018 SEND inspection?", PLACES
    )
    assert _judged(a, sentence, content_words(sentence)) is answers
