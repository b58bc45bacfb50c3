"""General causes found on the tuning sets on 2026-12-07 (twenty-second pass): a paper's own question heading a
list of what is asked for, and bracketed notes standing as sentences, each on wording no eval set uses."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.candidates import collect, is_debris
from assistant.followup import resolve as resolve_followup
from assistant.people import names_a_party_member, private_people
from assistant.question import analyse
from assistant.relative_dates import note, resolve, unresolved
from assistant.shortanswer import find
from tests.unit.test_answer_pass17 import PLACES, _passage


@pytest.mark.parametrize(
    ("question", "evaluation"),
    [
        ("What improvements are still needed?", -1),  # the remedy verb's noun, needed
        ("What changes are required at Wexbridge?", -1),
        ("What needs improving?", -1),  # the gerund after "needs"
        ("Where does Wexbridge need to improve?", -1),  # where it falls short
        ("What improvements have been made?", 0),  # done, not needed
        ("What has changed since the inspection?", 0),
        ("Where is the council's office?", 0),
    ],
)
def test_what_is_needed_to_put_right_asks_for_criticism(question: str, evaluation: int) -> None:
    assert analyse(question, PLACES).evaluation == evaluation


def test_a_papers_own_question_asking_the_same_brings_its_list() -> None:
    """ "What improvements are still needed?" over the inspectors' list: every item answers "what still needs to
    improve?", though the first says nothing critical in its own words."""
    text = (
        "Inspectors found that leaders have kept a strong focus on child safety.\n\n"
        "What improvements are still needed?\n\n"
        "The consistency and quality of safety planning for children, including wider family networks.\n\n"
        "The quality of supervision and management oversight, so that drift and delay are prevented."
    )
    a = analyse("What still needs to improve in Wexbridge after Ofsted's visit?", PLACES)
    judged = {c.sentence for c in collect(a, [_passage(text)], None) if c.judged}
    assert (
        "The consistency and quality of safety planning for children, including wider family networks."
        in judged
    )
    assert not any(s.startswith("Inspectors found") for s in judged)


def test_a_bracketed_note_alone_is_no_sentence() -> None:
    assert is_debris("(Outcome 3, national framework)")
    assert is_debris("(see Appendix A).")
    assert not is_debris("The quality of supervision (outcome 3, national framework) requires improvement.")


def test_a_month_relative_to_the_paper_is_worked_out_from_its_date() -> None:
    """ "last month" in a paper of 5 February 2019 is January 2019, shown as working; never without a date."""
    written = dt.date(2019, 2, 5)
    assert resolve("last month", written) == "January 2019"
    assert resolve("earlier this month", written) == "earlier in February 2019"
    assert resolve("next month", dt.date(2019, 12, 5)) == "January 2020"
    assert resolve("last month", None) is None
    assert resolve("last month", dt.date(2023, 1, 1)) is None  # a paper dated by its year alone says no month
    shown = note("last month", written)
    assert shown is not None and "does not give the month" in shown and shown.endswith("is January 2019.")


def test_a_pronoun_follow_up_names_the_person_the_previous_answer_led_with() -> None:
    """ "Who did she replace?" after "Director of children's services: Jane Okafor (...)" asks about Jane Okafor,
    with the previous question's council and topic carried."""
    asked = "Who was Wexbridge's director of children's services at the 2019 inspection?"
    history = [
        {"question": asked, "answer": "Director of children's services: Jane Okafor (Wexbridge Council) [1]."}
    ]
    resolved = resolve_followup("Who did she replace?", history, own_terms=1, places=PLACES)
    assert resolved.question == "Who did Jane Okafor replace?"
    assert resolved.carried == asked and resolved.note == "Answered as: Who did Jane Okafor replace?"
    assert resolve_followup("What was his role?", history, own_terms=1, places=PLACES).question == (
        "What was Jane Okafor's role?"
    )
    # an answer naming no one leaves the pronoun to the carried question, as before
    figures = [{"question": asked, "answer": "Number of complaints: 135 (Wexbridge Council) [1]."}]
    resolved = resolve_followup("Who did she replace?", figures, own_terms=1, places=PLACES)
    assert resolved.question == "Who did she replace?" and resolved.carried == asked


def test_a_party_in_brackets_after_a_name_is_an_elected_members() -> None:
    """ "Maria Joannou (Lab) said": an elected member named in role (a councillor), not a private individual; a
    bracket giving an age or a private role keeps the name private."""
    assert private_people("Maria Joannou (Lab) said the report made grim reading.") == []
    assert private_people("Sam Reid (Liberal Democrat, Northfield) asked about caseloads.") == []
    assert private_people("Tom Green (12) was placed out of the area.") == ["Tom Green"]
    assert private_people("Maria Joannou (parent) said the report was grim.") == ["Maria Joannou"]
    assert (
        private_people("Coun Helen Rivron said she had more related complaints.") == []
    )  # "Coun": councillor
    assert names_a_party_member("Vice-chair of the committee Maria Joannou (Lab) said: “Why?")
    assert not names_a_party_member("The children (aged 5) said they felt safe.")


def test_which_councillor_said_it_is_answered_by_a_party_member_speaking() -> None:
    """ "Which councillor said ...?": the speaker introducing the quotation is named with a party, not as
    "Councillor"."""
    text = (
        "Vice-chair of the committee Maria Joannou (Lab) said: “Why has it taken another inspection to get here?\n\n"
        "“Some of this does make grim reading, unfortunately.\n\n"
        "“One of the weaknesses is managers not being able to support workers.”"
    )
    a = analyse("Which councillor said the Ofsted report on Wexbridge made grim reading?", PLACES)
    passages = [_passage(text)]
    short = find(a, a.parts[0], collect(a, passages, None), [p.doc_id for p in passages])
    assert short is not None and short.text == "Maria Joannou"


def test_a_refusal_names_no_one_for_a_pronoun() -> None:
    """A refusal listing the papers' publishers ("... Willis Palmer (news) ...") is no answer naming a person."""
    asked = "Who was Wexbridge's director of children's services in 2019?"
    refusal = (
        "I looked for a person's name about “director of children's services” in the papers of Wexbridge and "
        "national bodies. The papers held do not answer this. The papers held for Wexbridge Council are from "
        "Children & Young People Now (news), Wexbridge Council (news, republished by North Wexbridge Radio), "
        "Willis Palmer (news) of 20 September 2019. The closest passages are below."
    )
    history = [{"question": asked, "answer": refusal}]
    assert resolve_followup("Who did she replace?", history, own_terms=1, places=PLACES).question == (
        "Who did she replace?"
    )


def test_the_inspection_records_lead_names_the_person_for_a_pronoun() -> None:
    """The inspection record's lead ("Lead inspector — Wexbridge Council, ILACS standard inspection (published 29
    July 2025): Jo Bell [1].") names the person; a summary's point with a colon does not."""
    asked = "Who was the lead inspector for Wexbridge's 2025 inspection?"
    lead = (
        "Lead inspector — Wexbridge Council, ILACS standard inspection (published 29 July 2025): Jo Bell [1]."
    )
    history = [{"question": asked, "answer": lead}]
    resolved = resolve_followup("Which other inspections did she lead?", history, own_terms=1, places=PLACES)
    assert resolved.question == "Which other inspections did Jo Bell lead?"
    point = [{"question": asked, "answer": "- Inspectors noted: Jo Bell led the visit [1]."}]
    resolved = resolve_followup("Which other inspections did she lead?", point, own_terms=1, places=PLACES)
    assert resolved.question == "Which other inspections did she lead?"


def test_a_time_relative_to_a_paper_dated_by_its_year_alone_is_no_date() -> None:
    """ "The report follows a focused visit last month" in a paper known only as of 2023 says no month: "when was
    the focused visit?" is not answered "last month"; from a paper of 12 March 2024 it is (February 2024)."""
    text = "The report follows a focused visit last month, which examined help and protection in Wexbridge."
    a = analyse("When did Ofsted carry out its focused visit to Wexbridge?", PLACES)
    for written, expected in ((dt.date(2023, 1, 1), None), (dt.date(2024, 3, 12), "last month")):
        passages = [_passage(text, written)]
        short = find(
            a, a.parts[0], collect(a, passages, None), [p.doc_id for p in passages], passage_dates=[written]
        )
        assert (short.text if short is not None else None) == expected
    assert unresolved("July this year", None) and not unresolved("July 2021", None)
    # "published today" in the same paper says no day either
    today = (
        "Positive progress is being made in Wexbridge, according to a new report published today by Ofsted."
    )
    a = analyse("On what date did Ofsted publish its report on Wexbridge?", PLACES)
    passages = [_passage(today, dt.date(2023, 1, 1))]
    cands = collect(a, passages, None)
    assert (
        find(a, a.parts[0], cands, [p.doc_id for p in passages], passage_dates=[dt.date(2023, 1, 1)]) is None
    )
