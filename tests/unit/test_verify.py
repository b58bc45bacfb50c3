from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.answer import Status
from assistant.verify import (
    DEFAULT_MIN_OVERLAP,
    content_words,
    fact_keys,
    find_quote,
    is_connective,
    overlap,
    status_for,
    stem,
    verify,
    verify_sentence,
)
from tests.fakes import make_passage
from vectorstore.passage import Passage


def _passage(text: str, title: str = "Paper", date: dt.date | None = dt.date(2025, 11, 5)) -> Passage:
    return make_passage(text, title=title, date=date, source_url="https://example.org", path="p.pdf")


COMPLAINTS = _passage(
    "In 2024/25 the council received 118 complaints about children's social care. Of these, 40 were upheld, "
    "which is 33.9%. The annual report was presented to Cabinet on 5 November 2025.",
    title="Annual Complaints Report 2024/25",
)
OFSTED = _passage(
    "Ofsted inspected Bury's children's services from 2 to 20 June 2025. Inspectors judged overall "
    "effectiveness to require improvement to be good. Care leavers receive good support from their personal "
    "advisers.",
    title="Ofsted ILACS letter",
    date=dt.date(2025, 8, 1),
)
BUDGET = _passage(
    "The children's services overspend for 2024/25 was £1.2m, mainly on external residential placements.",
    title="Budget monitoring",
)
PASSAGES = [COMPLAINTS, OFSTED, BUDGET]

# (sentence, markers, supported, reason fragment)
SENTENCES: list[tuple[str, list[int], bool, str]] = [
    # supported
    ("The council received 118 complaints in 2024/25.", [1], True, "supported by passage [1]"),
    ("The council received one hundred and eighteen complaints in 2024-25.", [1], True, "supported"),
    ("Forty complaints were upheld.", [1], True, "supported"),
    ("Of the complaints, 33.9% were upheld.", [1], True, "supported"),
    ("The report went to Cabinet on November 5th 2025.", [1], True, "supported"),
    ("The report went to Cabinet on 5.11.2025.", [1], True, "supported"),
    ("The report went to Cabinet in November 2025.", [1], True, "supported"),
    (
        "The complaints report of 5 November 2025 covers 2024/25.",
        [1],
        True,
        "supported",
    ),  # date from metadata
    ("Ofsted inspected Bury's children's services in June 2025.", [2], True, "supported by passage [2]"),
    ("The inspection started on 2 June 2025.", [2], True, "supported"),
    ("The inspection ended on June 20th 2025.", [2], True, "supported"),
    ("Overall effectiveness requires improvement to be good.", [2], True, "supported"),
    ("Inspectors judged services to require improvement.", [2], True, "supported"),
    ("Care leavers get good support from personal advisers.", [2], True, "supported"),
    ("The overspend in 2024/25 was £1,200,000.", [3], True, "supported by passage [3]"),
    ("The overspend was £1.2 million, mostly on residential placements.", [3], True, "supported"),
    ("The overspend was mainly on external residential placements.", [3], True, "supported"),
    # wrong number
    ("The council received 119 complaints.", [1], False, "number 119 not in passage [1]"),
    ("Forty-one complaints were upheld.", [1], False, "number Forty-one not in passage [1]"),
    ("Of the complaints, 34% were upheld.", [1], False, "percentage 34% not in passage [1]"),
    ("The overspend was £2.1m.", [3], False, "number £2.1m not in passage [3]"),
    ("Only one complaint was upheld.", [1], False, "number one not in passage [1]"),
    # wrong date or year
    ("The report went to Cabinet on 6 November 2025.", [1], False, "date 6 November 2025 not in passage [1]"),
    ("The report went to Cabinet in December 2025.", [1], False, "date December 2025 not in passage [1]"),
    ("The council received 118 complaints in 2022/23.", [1], False, "year 2022/23 not in passage [1]"),
    ("Ofsted inspected Bury in June 2024.", [2], False, "date June 2024 not in passage [2]"),
    ("Ofsted inspected Bury in 2019.", [2], False, "year 2019 not in passage [2]"),
    ("The inspection started on 3 June 2025.", [2], False, "date 3 June 2025 not in passage [2]"),
    ("Ofsted inspected Bury's services in July.", [2], False, "month July not in passage [2]"),
    ("Ofsted said care leavers get good support from their advisers.", [2], True, "supported"),
    # wrong judgement
    ("Ofsted judged Bury's services inadequate.", [2], False, "judgement 'inadequate' not in passage [2]"),
    ("Ofsted judged overall effectiveness to be good.", [2], False, "judgement 'good' not in passage [2]"),
    # out of range, no marker
    ("Care leavers get good support from personal advisers.", [9], False, "citation [9] out of range"),
    ("Care leavers get good support from personal advisers.", [0], False, "citation [0] out of range"),
    ("Care leavers get good support from personal advisers.", [2, 9], False, "citation [9] out of range"),
    ("Care leavers get good support from personal advisers.", [], False, "no citation marker"),
    # cited passage says something else
    (
        "Care leavers get good support from personal advisers.",
        [1],
        False,
        "too little in common with passage [1]",
    ),
    ("The council plans to recruit more foster carers.", [1], False, "too little in common"),
    # several markers, one supports
    ("The council received 118 complaints.", [2, 1], True, "supported by passage [1]"),
    (
        "Ofsted inspected Bury's children's services in June 2025.",
        [1, 3, 2],
        True,
        "supported by passage [2]",
    ),
    # several markers, none supports: every reason given
    (
        "The council received 119 complaints.",
        [1, 2],
        False,
        "number 119 not in passage [1]; number 119 not in",
    ),
    # connective and not-covered sentences need no marker
    ("Here is what the papers say:", [], True, "connective"),
    ("In summary:", [], True, "connective"),
    ("The papers do not say when the next inspection is due.", [], True, "connective"),
    ("The papers do not say, but about 120 complaints are likely.", [], False, "no citation marker"),
]


@pytest.mark.parametrize(("sentence", "markers", "supported", "reason"), SENTENCES)
def test_verify_sentence(sentence: str, markers: list[int], supported: bool, reason: str) -> None:
    verdict = verify_sentence(sentence, markers, PASSAGES)
    assert verdict.supported is supported, verdict.reason
    assert reason in verdict.reason


def test_supported_verdict_names_best_passage_and_quote() -> None:
    verdict = verify_sentence("The council received 118 complaints.", [2, 1], PASSAGES)
    assert verdict.best_passage == 1
    assert verdict.supporting == (1,)
    assert verdict.quote == "In 2024/25 the council received 118 complaints about children's social care."
    assert verdict.quote in COMPLAINTS.text


def test_unsupported_verdict_points_at_closest_passage() -> None:
    verdict = verify_sentence("The council received 119 complaints.", [2, 1], PASSAGES)
    assert verdict.best_passage == 1
    assert verdict.quote == ""


def test_verify_parses_text_and_rebuilds_supported_answer() -> None:
    text = (
        "Here is what the papers say: The council received 118 complaints [1]. "
        "Ofsted judged services inadequate [2]. The overspend was £1.2m [1][3]."
    )
    result = verify(text, PASSAGES)
    assert [v.supported for v in result.verdicts] == [True, False, True]
    assert result.status == Status.PARTIAL
    assert result.supported_text() == (
        "Here is what the papers say: The council received 118 complaints [1]. The overspend was £1.2m [3]."
    )
    assert result.cited == [1, 3]
    assert result.notes() == [
        "Removed an unsupported sentence (judgement 'inadequate' not in passage [2]): "
        '"Ofsted judged services inadequate."'
    ]


STATUSES: list[tuple[str, Status]] = [
    ("The council received 118 complaints [1]. Forty were upheld [1].", Status.ANSWERED),
    ("The council received 118 complaints [1]. Forty-one were upheld [1].", Status.PARTIAL),
    ("The council received 119 complaints [1].", Status.NOT_FOUND),
    ("Here is what the papers say:", Status.NOT_FOUND),
    ("The papers do not say how many complaints there were.", Status.NOT_FOUND),
    ("", Status.NOT_FOUND),
    ("In summary: The council received 118 complaints [1].", Status.ANSWERED),
    ("Yes. The council received 118 complaints [1].", Status.ANSWERED),
    ("No. The council received 119 complaints [1].", Status.NOT_FOUND),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yes. The council received 118 complaints [1].", "Yes. The council received 118 complaints [1]."),
        ("No. The council received 119 complaints [1].", ""),
        ("No. The council received 119 complaints [1]. Forty were upheld [1].", "Forty were upheld [1]."),
    ],
)
def test_bare_yes_no_follows_the_next_claim(text: str, expected: str) -> None:
    assert verify(text, PASSAGES).supported_text() == expected


@pytest.mark.parametrize(("text", "expected"), STATUSES)
def test_status(text: str, expected: Status) -> None:
    result = verify(text, PASSAGES)
    assert result.status == expected
    assert status_for(result.verdicts) == expected


def test_nothing_supported_gives_empty_text() -> None:
    result = verify("Here is what the papers say: The council received 119 complaints [1].", PASSAGES)
    assert result.supported_text() == ""
    assert result.cited == []


def test_no_passages_makes_every_marker_out_of_range() -> None:
    verdict = verify_sentence("The council received 118 complaints.", [1], [])
    assert not verdict.supported
    assert "out of range (there are 0 passages)" in verdict.reason


def test_markers_in_sentence_are_not_facts() -> None:
    # "[3]" must not be read as the number 3
    assert verify("The council received 118 complaints [1][3].", PASSAGES).verdicts[0].supported


def test_similarity_rescues_a_paraphrase() -> None:
    sentence = "Young people leaving care are well helped by their advisers."
    assert overlap(sentence, OFSTED.text) < DEFAULT_MIN_OVERLAP
    assert not verify_sentence(sentence, [2], PASSAGES).supported
    calls: list[tuple[str, str]] = []

    def similar(a: str, b: str) -> float:
        calls.append((a, b))
        return 0.8

    verdict = verify_sentence(sentence, [2], PASSAGES, similarity=similar)
    assert verdict.supported and verdict.similarity == 0.8
    assert calls


def test_similarity_never_overrides_a_wrong_number() -> None:
    verdict = verify_sentence(
        "The council received 119 complaints.", [1], PASSAGES, similarity=lambda a, b: 1.0
    )
    assert not verdict.supported


def test_low_similarity_is_reported() -> None:
    verdict = verify_sentence(
        "Young people leaving care are well helped.", [2], PASSAGES, similarity=lambda a, b: 0.2
    )
    assert not verdict.supported
    assert "similarity 0.20 < 0.60" in verdict.reason


def test_min_overlap_is_a_parameter() -> None:
    sentence = "Care leavers get support from advisers and mentors and tutors."
    assert not verify(f"{sentence} [2]", PASSAGES, min_overlap=0.9).verdicts[0].supported
    assert verify(f"{sentence} [2]", PASSAGES, min_overlap=0.3).verdicts[0].supported


QUOTES: list[tuple[str, str, str]] = [
    # the number is in the second sentence, what was counted in the first: both are quoted
    (
        "Forty complaints were upheld.",
        COMPLAINTS.text,
        "In 2024/25 the council received 118 complaints about children's social care. "
        "Of these, 40 were upheld, which is 33.9%.",
    ),
    ("Forty were upheld.", COMPLAINTS.text, "Of these, 40 were upheld, which is 33.9%."),
    (
        "The report went to Cabinet on 5 November 2025.",
        COMPLAINTS.text,
        "The annual report was presented to Cabinet on 5 November 2025.",
    ),
    (
        "Overall effectiveness requires improvement.",
        OFSTED.text,
        "Inspectors judged overall effectiveness to require improvement to be good.",
    ),
    ("Something unrelated entirely.", OFSTED.text, ""),
    ("Anything.", "", ""),
    (
        "It reached 83.3% in March.",
        "- Timeliness of assessments improved\n- It reached 83.3% in March",
        "It reached 83.3% in March",
    ),
    (
        "Timeliness improved to 83.3%.",
        "- Timeliness of assessments improved\n- It reached 83.3% in March",
        "Timeliness of assessments improved\n- It reached 83.3% in March",
    ),
]


@pytest.mark.parametrize(("sentence", "passage_text", "expected"), QUOTES)
def test_find_quote(sentence: str, passage_text: str, expected: str) -> None:
    quote = find_quote(sentence, passage_text)
    assert quote == expected
    assert quote in passage_text


def test_find_quote_joins_two_sentences_when_both_are_needed() -> None:
    text = "The MASH received 2,300 contacts. Most were from the police. The figure was for 2024/25."
    quote = find_quote("The MASH received 2,300 contacts in 2024/25.", text)
    assert quote in text
    assert "2,300" in quote


@given(
    st.text(alphabet=st.sampled_from(list("ab 12.%\n-•AB")), max_size=60),
    st.text(alphabet=st.sampled_from(list("ab 12.%AB")), max_size=30),
)
def test_find_quote_is_always_verbatim(passage_text: str, sentence: str) -> None:
    assert find_quote(sentence, passage_text) in passage_text


STEMS: list[tuple[str, str]] = [
    ("inspection", "inspected"),
    ("services", "service"),
    ("organisation", "organization"),
    ("judgement", "judgments"),
    ("children", "child"),
    ("families", "family"),
    ("improved", "improvement"),
    ("requires", "required"),
]


@pytest.mark.parametrize(("a", "b"), STEMS)
def test_stem_meets(a: str, b: str) -> None:
    assert stem(a) == stem(b)


def test_content_words_drop_stopwords_markers_and_number_words() -> None:
    assert content_words("According to the papers, forty of the complaints were upheld [2].") == {
        stem("complaints"),
        stem("upheld"),
    }


def test_indefinite_pronouns_and_hedges_are_not_what_a_question_is_about() -> None:
    """ "Was there anything they were actually doing well?": "anything" and "actually" are rare in the papers, so
    as key terms they weighed most and no sentence held them."""
    assert content_words("Was there anything Swindon was actually doing well?") == {
        stem("swindon"),
        stem("well"),
    }


FACT_KEYS: list[tuple[str, str]] = [
    ("on 5 November 2025", "month_year:2025-11"),
    ("on 5 November 2025", "year:2025"),
    ("on 5 November 2025", "day_month:11-05"),
    ("met on 5th November; the 2025 report", "date:2025-11-05"),
    ("in 2022/23", "year:2023"),
    ("83.3%", "number:83.3"),
    ("in 2025", "number:2025"),
]


@pytest.mark.parametrize(("text", "key"), FACT_KEYS)
def test_fact_keys(text: str, key: str) -> None:
    assert key in fact_keys(text)


CONNECTIVES: list[tuple[str, bool]] = [
    ("Here is what the papers say:", True),
    ("In summary:", True),
    ("The key points are below.", True),
    ("The papers do not say when the next inspection is due.", True),
    ("However, the documents don't mention the budget.", True),
    ("I could not find the 2023 figures.", True),
    ("No.", False),
    ("Nobody knows.", False),
    ("The papers do not say, but 40 were upheld.", False),
    ("Services were judged good.", False),
    ("The council received complaints.", False),
]


@pytest.mark.parametrize(("sentence", "expected"), CONNECTIVES)
def test_is_connective(sentence: str, expected: bool) -> None:
    assert is_connective(sentence) is expected
