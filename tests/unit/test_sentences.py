from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from assistant.facts import FactKind, extract_facts, find_judgements, strip_html
from assistant.sentences import sentence_spans, split_sentences

SPLITS: list[tuple[str, list[str]]] = [
    ("", []),
    ("   \n\n  ", []),
    ("One sentence.", ["One sentence."]),
    ("First sentence. Second sentence.", ["First sentence.", "Second sentence."]),
    ("Is it due? Yes! It is due.", ["Is it due?", "Yes!", "It is due."]),
    # abbreviations
    (
        "Some complaints, e.g. about delays, were upheld. Others were not.",
        ["Some complaints, e.g. about delays, were upheld.", "Others were not."],
    ),
    (
        "The front door, i.e. the MASH, was busy. It coped.",
        ["The front door, i.e. the MASH, was busy.", "It coped."],
    ),
    ("See report No. 5 for details. It is short.", ["See report No. 5 for details.", "It is short."]),
    ("Cllr. Jones moved the motion. It carried.", ["Cllr. Jones moved the motion.", "It carried."]),
    (
        "Mr. Smith and Mrs. Patel attended. Dr. Khan sent apologies.",
        ["Mr. Smith and Mrs. Patel attended.", "Dr. Khan sent apologies."],
    ),
    ("Mr J. Smith chaired the panel.", ["Mr J. Smith chaired the panel."]),
    (
        "The ombudsman found fault with Mr X. The council agreed to apologise.",
        ["The ombudsman found fault with Mr X.", "The council agreed to apologise."],
    ),
    ("See Appendix A. The plan is attached.", ["See Appendix A.", "The plan is attached."]),
    ("Visits rose approx. two fold in the year.", ["Visits rose approx. two fold in the year."]),
    ("The letter is dated Nov. 2025 and is short.", ["The letter is dated Nov. 2025 and is short."]),
    # numbers, decimals, dates
    ("Timeliness was 83.3% in the year. It improved.", ["Timeliness was 83.3% in the year.", "It improved."]),
    (
        "The visit was on 5.11.2025 at the hub. Staff met inspectors.",
        ["The visit was on 5.11.2025 at the hub.", "Staff met inspectors."],
    ),
    ("The meeting is on the 5th. Papers follow.", ["The meeting is on the 5th.", "Papers follow."]),
    (
        "It met on the 29<sup>th</sup> May 2025. Members agreed.",
        ["It met on the 29<sup>th</sup> May 2025.", "Members agreed."],
    ),
    (
        "The council received 118 complaints in 2024. 40 were upheld.",
        ["The council received 118 complaints in 2024.", "40 were upheld."],
    ),
    # numbered paragraphs
    (
        "2.1 Cabinet should approve the plan. 2.2 The Director will report back.",
        ["Cabinet should approve the plan.", "The Director will report back."],
    ),
    (
        "3. Recommendations\n3.1 That Cabinet approves the plan.",
        ["Recommendations", "That Cabinet approves the plan."],
    ),
    (
        "4 Background\nThe service was inspected in June 2025.",
        ["Background", "The service was inspected in June 2025."],
    ),
    ("10 November 2025 was the date of the meeting.", ["10 November 2025 was the date of the meeting."]),
    ("(a) approve the strategy;\n(b) note the budget.", ["approve the strategy;", "note the budget."]),
    ("a) approve the strategy\nb) note the budget", ["approve the strategy", "note the budget"]),
    # bullets and lines without final punctuation
    (
        "Recommendations\nCabinet is asked to note the report.",
        ["Recommendations", "Cabinet is asked to note the report."],
    ),
    ("- Item one\n- Item two\n• Item three.", ["Item one", "Item two", "Item three."]),
    (
        "Strengths:\n* stable workforce\n* good partnerships",
        ["Strengths:", "stable workforce", "good partnerships"],
    ),
    ("o Children are seen\no Plans are reviewed", ["Children are seen", "Plans are reviewed"]),
    ("Key points • caseloads fell • visits rose", ["Key points", "caseloads fell", "visits rose"]),
    (
        "Summary of findings\n\nThe service requires improvement.",
        ["Summary of findings", "The service requires improvement."],
    ),
    (
        "Complaints received 2024/25 | 118\nComplaints upheld | 40",
        ["Complaints received 2024/25 | 118", "Complaints upheld | 40"],
    ),
    (
        "Overall effectiveness of services for children in Bury | Requires improvement to be good\n"
        "The experiences and progress of children in care | Good",
        [
            "Overall effectiveness of services for children in Bury | Requires improvement to be good",
            "The experiences and progress of children in care | Good",
        ],
    ),
    # wrapped lines run on
    (
        "The report was presented to\nCabinet on 5 November 2025.",
        ["The report was presented to\nCabinet on 5 November 2025."],
    ),
    (
        "Inspectors found that services for children in Bury\nrequire improvement to be good.",
        ["Inspectors found that services for children in Bury\nrequire improvement to be good."],
    ),
    (
        "The local authority has made steady progress since the last inspection in 2019 and the\n"
        "Director of Children's Services has stabilised the workforce.",
        [
            "The local authority has made steady progress since the last inspection in 2019 and the\n"
            "Director of Children's Services has stabilised the workforce."
        ],
    ),
    ("Caseloads fell,\nand visits rose.", ["Caseloads fell,\nand visits rose."]),
    # quotes and brackets after the full stop
    (
        'Ofsted said: "Leaders know their services well." Members agreed.',
        ['Ofsted said: "Leaders know their services well."', "Members agreed."],
    ),
    (
        "It was approved (see minute 12.) Members noted it.",
        ["It was approved (see minute 12.)", "Members noted it."],
    ),
    ("Lower case after a stop. continues here", ["Lower case after a stop. continues here"]),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n-•2%A(e.g)No")), max_size=80))
@example("• \nb")  # a bullet alone on its line (found by hypothesis)
def test_sentences_are_verbatim_ordered_slices(text: str) -> None:
    spans = sentence_spans(text)
    last_end = 0
    for start, end in spans:
        assert last_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        last_end = end
    assert split_sentences(text) == [text[s:e] for s, e in spans]


FACTS: list[tuple[str, list[tuple[FactKind, str]]]] = [
    ("5 November 2025", [(FactKind.DATE, "2025-11-05")]),
    ("November 5th 2025", [(FactKind.DATE, "2025-11-05")]),
    ("the 5th of November, 2025", [(FactKind.DATE, "2025-11-05")]),
    ("Nov 5, 2025", [(FactKind.DATE, "2025-11-05")]),
    ("5.11.2025", [(FactKind.DATE, "2025-11-05")]),
    ("05/11/25", [(FactKind.DATE, "2025-11-05")]),
    ("2025-11-05", [(FactKind.DATE, "2025-11-05")]),
    ("29<sup>th</sup> May 2025", [(FactKind.DATE, "2025-05-29")]),
    ("5th November", [(FactKind.DAY_MONTH, "11-05")]),
    ("June 2nd", [(FactKind.DAY_MONTH, "06-02")]),
    ("4 to 22 November 2019", [(FactKind.DATE, "2019-11-04"), (FactKind.DATE, "2019-11-22")]),
    ("June 2nd to June 20th 2025", [(FactKind.DATE, "2025-06-02"), (FactKind.DATE, "2025-06-20")]),
    ("30 June - 2 July 2025", [(FactKind.DATE, "2025-06-30"), (FactKind.DATE, "2025-07-02")]),
    ("June 2025", [(FactKind.MONTH_YEAR, "2025-06")]),
    ("in May 2024", [(FactKind.MONTH_YEAR, "2024-05")]),
    ("in July", [(FactKind.MONTH, "07")]),
    ("since May", [(FactKind.MONTH, "05")]),
    ("you may go", []),
    ("2024", [(FactKind.YEAR, "2024")]),
    ("2022/23", [(FactKind.FINANCIAL_YEAR, "2022")]),
    ("2022-23", [(FactKind.FINANCIAL_YEAR, "2022")]),
    ("2022/2023", [(FactKind.FINANCIAL_YEAR, "2022")]),
    ("2019 to 2022", [(FactKind.YEAR, "2019"), (FactKind.YEAR, "2022")]),
    ("118", [(FactKind.NUMBER, "118")]),
    ("1,200", [(FactKind.NUMBER, "1200")]),
    ("one hundred and eighteen", [(FactKind.NUMBER, "118")]),
    ("twenty-one", [(FactKind.NUMBER, "21")]),
    ("83.3%", [(FactKind.PERCENT, "83.3")]),
    ("83.30 per cent", [(FactKind.PERCENT, "83.3")]),
    ("fifty per cent", [(FactKind.PERCENT, "50")]),
    ("£1.2m", [(FactKind.NUMBER, "1200000")]),
    ("£1.2 million", [(FactKind.NUMBER, "1200000")]),
    ("the 5th highest", [(FactKind.NUMBER, "5")]),
    ("S47 enquiries", []),
    ("Mayor and Decision", []),
]


@pytest.mark.parametrize(("text", "expected"), FACTS)
def test_extract_facts(text: str, expected: list[tuple[FactKind, str]]) -> None:
    assert [(f.kind, f.value) for f in extract_facts(text)] == expected


@pytest.mark.parametrize(
    ("text", "weak"),
    [
        ("One of the areas", True),
        ("no one was harmed", True),
        ("one-to-one support", True),
        ("the one area", True),
        ("One area improved.", True),  # a sentence's first word is rarely a count
        ("Only one complaint was upheld", False),
        ("there was one referral", False),
    ],
)
def test_number_word_one(text: str, weak: bool) -> None:
    ones = [f for f in extract_facts(text) if f.value == "1"]
    assert ones and all(f.weak is weak for f in ones)


def test_scaled_number_keeps_written_value_as_alternative() -> None:
    (fact,) = extract_facts("£1.2m")
    assert fact.keys == ("number:1200000", "number:1.2")


JUDGEMENTS: list[tuple[str, list[str]]] = [
    ("Ofsted judged services to require improvement to be good.", ["requires improvement"]),
    ("Ofsted judged services as requires improvement to be good.", ["requires improvement"]),
    ("Overall effectiveness: Requires Improvement", ["requires improvement"]),
    ("The experiences of children are inadequate.", ["inadequate"]),
    ("Inspectors rated leadership good and help outstanding.", ["good", "outstanding"]),
    ("Bury is 'good' now.", ["good"]),
    ("Children made good progress.", []),
    ("Two outstanding actions remain.", []),
]


@pytest.mark.parametrize(("text", "expected"), JUDGEMENTS)
def test_find_judgements(text: str, expected: list[str]) -> None:
    assert find_judgements(text) == expected


def test_strip_html() -> None:
    assert strip_html("29<sup>th</sup> May") == "29th May"
