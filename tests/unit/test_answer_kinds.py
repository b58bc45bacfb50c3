"""Questions that can only be answered with a particular kind of fact (a sum, a percentage, a date, a number) or
about a particular year are declined when no passage gives one, instead of quoting a near miss."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assistant.extractive import extract, has_kind, strict_kind
from assistant.sentences import has_person_name
from tests.fakes import make_passage
from vectorstore.passage import Passage


def _p(
    text: str, n: int = 0, title: str = "Cabinet report", date: dt.date | None = None, **kw: Any
) -> Passage:
    return make_passage(
        text, chunk_id=f"c{n}", doc_id=f"d{n}", title=title, date=date, body="", doc_type="", **kw
    )


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How much did the 2025 Ofsted inspection cost Bury Council?", "a sum of money"),
        ("How much does Bury pay its foster carers each week?", "a sum of money"),
        ("How much Intervention Support Fund money did Bury receive for SEND?", "a sum of money"),
        ("What is Bury's children's services budget for 2025/26?", "a sum of money"),
        ("What is the salary of the Director of Children's Services?", "a sum of money"),
        ("What percentage of complaints were answered on time?", "a percentage"),
        ("What proportion of children were seen within 10 days?", "a percentage"),
        ("On what exact date will Ofsted's next visit take place?", "a date"),
        ("How many foster carers does Bury have?", "a number"),
        ("Who is the Director of Children's Services?", "a person's name"),
        ("Who was Ofsted's lead inspector for the 2025 inspection of Bury?", "a person's name"),
        ("What is the name of the Director of Social Work Practice who started in 2022?", "a person's name"),
        ("Who wrote the September 2025 Cabinet report?", "a person's name"),
    ],
)
def test_questions_that_need_a_kind_of_fact(question: str, kind: str) -> None:
    found = strict_kind(question)
    assert found is not None and found[1] == kind


@pytest.mark.parametrize(
    "question",
    [
        "How much progress has Bury made since 2021?",
        "What was the outcome of the budget consultation?",
        "When is the next inspection window?",
        "What did Ofsted find about the front door?",
        "Who inspected Bury?",
        "Who is the responsible commissioner for SEND in health?",
        "What is the name of the school that closed?",
    ],
)
def test_other_questions_need_no_particular_kind(question: str) -> None:
    assert strict_kind(question) is None


def test_money_is_recognised_in_words_and_symbols() -> None:
    money = frozenset({"money"})
    assert has_kind("The fund awarded £1.2m to the partnership.", money)
    assert has_kind("Carers receive 250 pounds a week.", money)
    assert not has_kind("The inspection cost the council a great deal of effort in 2025.", money)


def test_a_sum_is_needed_for_a_cost_question() -> None:
    passages = [
        _p("The 2025 Ofsted inspection of Bury took place over three weeks with seven inspectors on site.")
    ]
    out = extract("How much did the 2025 Ofsted inspection cost Bury?", passages)
    assert not out.confident and "sum of money" in out.reason
    passages.append(_p("The 2025 Ofsted inspection cost Bury £45,000 in staff time.", 1))
    out = extract("How much did the 2025 Ofsted inspection cost Bury?", passages)
    assert out.confident and "£45,000" in out.text


def test_a_percentage_question_is_not_answered_with_a_count() -> None:
    passages = [
        _p("Of the 111 stage 1 complaints received in 2024/25, 15 were upheld and 42 partially upheld.")
    ]
    out = extract("What percentage of stage 1 complaints were upheld in 2024/25?", passages)
    assert not out.confident
    passages = [_p("In 2024/25, 13.5% of stage 1 complaints were upheld and 37.8% partially upheld.")]
    assert extract("What percentage of stage 1 complaints were upheld in 2024/25?", passages).confident


def test_a_paper_that_never_mentions_the_year_asked_is_not_about_it() -> None:
    question = "What did Ofsted find at its October 2022 monitoring visit to Bury?"
    old = _p(
        "Ofsted's monitoring visit in October found that Bury had made progress with its front door.",
        title="Monitoring visit letter",
        date=dt.date(2017, 10, 31),
    )
    out = extract(question, [old])
    assert not out.confident and "2022" in out.reason
    dated = _p(old.text, 1, title="Monitoring visit letter", date=dt.date(2022, 11, 1))
    assert extract(question, [dated]).confident


def test_a_span_of_years_does_not_need_the_year_written() -> None:
    passages = [
        _p("Bury's children's services have improved substantially, with leadership now judged good.")
    ]
    assert extract("How have Bury's children's services improved since 2021?", passages).confident


def test_another_financial_year_is_not_an_answer() -> None:
    passages = [
        _p(
            "Social Care Teams received a total of 118 complaints during the 2022/23 financial year.",
            title="Complaints annual report 2022/23",
        )
    ]
    out = extract("How many children's social care complaints did Bury receive in 2021/22?", passages)
    assert not out.confident and "2021/22" in out.reason
    assert extract(
        "How many children's social care complaints did Bury receive in 2022/23?", passages
    ).confident


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("Linda Clegg, the independent chair, thanked staff.", True),
        ("Caroline O'Neill congratulated the service.", True),
        ("Cllr Smith was appointed Corporate Parenting Champion.", True),
        ("Steve Lowe and Louise Hocking, His Majesty's Inspectors, visited.", True),
        ("The new Director of Social Work Practice started this week.", False),
        ("The Children's Improvement Board met in Bury Town Hall.", False),
        ("Integrated care boards are the responsible commissioners.", False),
    ],
)
def test_person_names_are_told_from_roles_and_bodies(sentence: str, named: bool) -> None:
    assert has_person_name(sentence, frozenset({"bury"})) is named


def test_a_name_question_is_not_answered_with_a_role() -> None:
    question = "Who was Ofsted's lead inspector for the 2025 inspection of Bury?"
    passages = [
        _p("The 2025 inspection of Bury was led by a team of seven Ofsted inspectors over three weeks.")
    ]
    assert not extract(question, passages).confident
    passages.append(_p("The 2025 inspection of Bury was led by Jansy Kelly, His Majesty's Inspector.", 1))
    out = extract(question, passages)
    assert out.confident and "Jansy Kelly" in out.text
