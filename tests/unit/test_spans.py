"""Typed spans: what kind of fact each part of a sentence states, as verbatim slices."""

from __future__ import annotations

import pytest

from assistant.nlp import parse
from assistant.question import AnswerType
from assistant.spans import typed_spans


def kinds(sentence: str) -> dict[str, AnswerType]:
    return {s.text: s.kind for s in typed_spans(sentence, parse(sentence))}


@pytest.mark.parametrize(
    ("sentence", "text", "kind"),
    [
        ("Lead inspector: Rebekah Tucker, His Majesty’s Inspector", "Rebekah Tucker", AnswerType.PERSON),
        ("Cllr Smith was appointed Corporate Parenting Champion.", "Cllr Smith", AnswerType.PERSON),
        (
            "Inspection dates: 22 February 2016 – 17 March 2016",
            "22 February 2016 – 17 March 2016",
            AnswerType.DATE,
        ),
        ("The next visit is likely in the first half of 2026.", "the first half of 2026", AnswerType.DATE),
        ("The plan covers 18-24 months.", "18-24 months", AnswerType.DURATION),
        ("Progress is reviewed every six weeks by the board.", "every six weeks", AnswerType.FREQUENCY),
        ("The case officer meets the director fortnightly.", "fortnightly", AnswerType.FREQUENCY),
        ("Children's Services received 135 complaints in 2024/25.", "135", AnswerType.NUMBER),
        ("Most complaints (83.3%) came from parents.", "83.3%", AnswerType.PERCENTAGE),
        ("Cabinet approved £195,000 from reserves.", "£195,000", AnswerType.MONEY),
        (
            "Overall effectiveness requires improvement to be good.",
            "requires improvement to be good",
            AnswerType.JUDGEMENT,
        ),
    ],
)
def test_span_kinds(sentence: str, text: str, kind: AnswerType) -> None:
    assert kinds(sentence).get(text) == kind


def test_spans_are_verbatim_slices() -> None:
    sentence = "Inspectors spoke with Yvette Stanley and Linda Clegg on 2 June 2025 about 240 case records."
    for span in typed_spans(sentence, parse(sentence)):
        assert sentence[span.start : span.end] == span.text


def test_a_lone_capitalised_word_is_not_a_person() -> None:
    assert AnswerType.PERSON not in kinds("Wigan was praised by Ofsted.").values()


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        # minutes give an undotted initial and run the name into the role with no comma
        (
            "Councillor L Smith Cabinet member for Children and Young people provided an overview.",
            "Councillor L Smith",
        ),
        ("Cllr A. B. Jones said the plan was on track.", "Cllr A. B. Jones"),
        ("Dr Amy Hall welcomed the report.", "Dr Amy Hall"),
    ],
)
def test_a_titled_name_with_initials_stops_before_the_role(sentence: str, name: str) -> None:
    people = [s.text for s in typed_spans(sentence) if s.kind == AnswerType.PERSON]
    assert people == [name]


def test_the_financial_year_of_a_figure_is_a_date_not_a_number() -> None:
    found = kinds("The council received 118 complaints in 2022/23.")
    assert found["2022/23"] == AnswerType.DATE
    assert found["118"] == AnswerType.NUMBER


def test_a_number_after_a_label_word_names_something_and_a_sum_in_words_is_money() -> None:
    sentence = (
        "Of the 111 stage 1 complaints, 15 were upheld; the overspend is 2.4 million pounds (paragraph 12)."
    )
    spans = {(s.text, s.kind) for s in typed_spans(sentence, parse(sentence))}
    assert ("111", AnswerType.NUMBER) in spans and ("15", AnswerType.NUMBER) in spans
    assert not any(text in {"1", "12"} for text, _ in spans)
    assert ("2.4 million pounds", AnswerType.MONEY) in spans


def test_a_body_s_name_cut_at_a_connector_is_made_whole() -> None:
    """The recogniser cuts "Inspectorate of Constabulary and Fire & Rescue Services" at "and" into two names,
    the first ending in the connector: they are one body. Two bodies joined by "and" stay two."""
    found = kinds(
        "Inspections are carried out by Ofsted, the Care Quality Commission and His Majesty's Inspectorate of "
        "Constabulary and Fire & Rescue Services."
    )
    orgs = {t for t, k in found.items() if k == AnswerType.ORGANISATION}
    assert "Inspectorate of Constabulary and Fire & Rescue Services" in orgs
    assert not any(t.endswith(" and") for t in orgs)
    two = kinds("The Department for Education and the Local Government Association met.")
    assert {t for t, k in two.items() if k == AnswerType.ORGANISATION} == {
        "The Department for Education",
        "the Local Government Association",
    }


def test_a_name_the_recogniser_takes_for_a_body_is_a_person_beside_an_official_role() -> None:
    # the small model labels this name ORG; the role straight before it says it is a person
    sentence = "Director of children’s social care Lucie Heyes attended a children and young people select committee."
    assert kinds(sentence).get("Lucie Heyes") == AnswerType.PERSON


@pytest.mark.parametrize(
    ("sentence", "body"),
    [
        # a body's word in it, or its possessive
        (
            "Cllr Jim Hobson, Blackpool Council's Cabinet Member for Children's Services, said it.",
            "Blackpool Council's",
        ),
        # after "of" or "in" the role's words run on into a place or body, not a name
        ("The report was presented by the chair of Brook Lane Partnership.", "Brook Lane Partnership"),
    ],
)
def test_a_body_beside_a_role_stays_a_body(sentence: str, body: str) -> None:
    assert kinds(sentence).get(body) != AnswerType.PERSON


def test_a_range_whose_second_date_opens_with_a_weekday_is_one_period() -> None:
    sentence = "The inspection took place between Monday, January 23 and Friday, January 27, 2023."
    dates = [s for s in typed_spans(sentence) if s.kind == AnswerType.DATE]
    assert [d.text for d in dates] == ["January 23 and Friday, January 27, 2023"]
    assert dates[0].value == "day_month:01-23..date:2023-01-27"
