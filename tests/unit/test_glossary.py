"""Glossary-based query expansion: acronym → long form, long form → acronym, and what must not expand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vectorstore.glossary import GLOSSARY, expand_query, expansions

REQUIRED_TERMS = [
    "ILACS",
    "JTAI",
    "SEND",
    "EHCP",
    "CIN",
    "CP",
    "CLA",
    "LAC",
    "CiC",
    "MASH",
    "LGSCO",
    "LGO",
    "PIP",
    "SIF",
    "WSOA",
    "DfE",
    "NHSE",
    "CQC",
    "HMICFRS",
    "Ofsted",
    "LSCB",
    "SCP",
    "LSCP",
    "DCS",
    "IRO",
    "PLO",
    "UASC",
    "ISF",
    "SLIP",
    "RI",
    "requires improvement to be good",
    "focused visit",
    "monitoring visit",
    "corporate parenting",
    "care leavers",
    "Stage 1 complaint",
    "Stage 2 complaint",
    "Stage 3 complaint",
    "Part B",
]


@pytest.mark.parametrize("term", REQUIRED_TERMS)
def test_required_terms_present(term: str) -> None:
    assert term in GLOSSARY
    assert GLOSSARY[term], f"{term} has no long forms"


@pytest.mark.parametrize(("term", "forms"), sorted(GLOSSARY.items()))
def test_entries_are_clean(term: str, forms: tuple[str, ...]) -> None:
    assert isinstance(forms, tuple)
    assert all(isinstance(f, str) and f.strip() == f and f for f in forms)
    assert len({f.casefold() for f in forms}) == len(forms), "duplicate long forms"
    assert term.casefold() not in {f.casefold() for f in forms}


@pytest.mark.parametrize(
    ("term", "long_form"),
    [
        ("ILACS", "inspection of local authority children's services"),
        ("JTAI", "joint targeted area inspection"),
        ("SEND", "special educational needs and disabilities"),
        ("EHCP", "education, health and care plan"),
        ("EHCP", "EHC plan"),
        ("CIN", "child in need"),
        ("CP", "child protection"),
        ("CLA", "children looked after"),
        ("LAC", "looked-after children"),
        ("CiC", "children in care"),
        ("MASH", "multi-agency safeguarding hub"),
        ("LGSCO", "Local Government and Social Care Ombudsman"),
        ("PIP", "priority impact plan"),
        ("SIF", "single inspection framework"),
        ("WSOA", "written statement of action"),
        ("LSCB", "local safeguarding children board"),
        ("DCS", "director of children's services"),
        ("IRO", "independent reviewing officer"),
        ("PLO", "public law outline"),
        ("UASC", "unaccompanied asylum-seeking children"),
        ("ISF", "intervention support fund"),
        ("SLIP", "sector-led improvement partner"),
        ("RI", "requires improvement"),
    ],
)
def test_long_forms(term: str, long_form: str) -> None:
    assert long_form in GLOSSARY[term]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("What did the ILACS say?", ["inspection of local authority children's services"]),
        ("JTAI findings", ["joint targeted area inspection"]),
        ("How is SEND funded?", ["special educational needs and disabilities"]),
        ("How many EHCPs were issued?", ["education, health and care plan", "EHC plan"]),
        ("CIN numbers", ["child in need", "children in need"]),
        ("CP plans ending", ["child protection"]),
        ("CLA placements", ["children looked after", "looked-after children"]),
        ("CiC council", ["children in care"]),
        ("the MASH", ["multi-agency safeguarding hub"]),
        ("the DCS's report", ["director of children's services"]),
        ("Bury PIP progress", ["priority impact plan"]),
        ("the WSOA", ["written statement of action"]),
        ("ofsted letter", ["Office for Standards in Education, Children's Services and Skills"]),
        ("ehcp timeliness", ["education, health and care plan"]),
        ("RI judgement", ["requires improvement", "requires improvement to be good"]),
        ("focussed visit letter", ["focused visit"]),
        ("Part B report", ["exempt information", "not for publication"]),
        ("stage 2 complaints", ["stage two complaint"]),
    ],
)
def test_acronym_to_long_form(query: str, expected: list[str]) -> None:
    found = expansions(query)
    for form in expected:
        assert form in found


@pytest.mark.parametrize(
    ("query", "acronyms"),
    [
        ("multi-agency safeguarding hub referrals", ["MASH"]),
        ("Multi agency safeguarding hub", ["MASH"]),
        ("looked after children", ["CLA", "LAC"]),
        ("children looked-after", ["CLA", "LAC"]),
        ("children who are looked after", []),  # only the listed phrasings match
        ("education health and care plans", ["EHCP"]),
        ("EHC plan", ["EHCP"]),
        ("special educational needs and disability", ["SEND"]),
        ("Local Government and Social Care Ombudsman", ["LGSCO", "LGO"]),
        ("the local government ombudsman", ["LGO"]),
        ("Department for Education", ["DfE"]),
        ("director of childrens services", ["DCS"]),
        ("director of children’s services", ["DCS"]),
        ("the written statement of action", ["WSOA"]),
        ("written statements of action", []),  # plurals only on the last word
        ("a joint targeted area inspection", ["JTAI"]),
        ("requires improvement to be good", ["RI"]),
        ("care-experienced young people", ["care leavers"]),
        ("complaints review panel", ["Stage 3 complaint"]),
        ("exempt information", ["Part B"]),
        ("HM Inspectorate", []),
        ("His Majesty's Inspectorate of Constabulary and Fire & Rescue Services", ["HMICFRS"]),
    ],
)
def test_long_form_to_acronym(query: str, acronyms: list[str]) -> None:
    found = expansions(query)
    for acronym in acronyms:
        assert acronym in found
    if not acronyms:
        assert not [f for f in found if f.isupper()]


@pytest.mark.parametrize(
    "query",
    [
        "send me the report",
        "please send the minutes",
        "CPD for social workers",
        "cp",
        "mash potato",
        "slip on the stairs",
        "the lac of progress",
        "dcs",
        "SENDING the papers",
        "PLEASE SEND ME THE REPORT",
        "PRIORITY: SEND THE MINUTES NOW",
        "Surrey's approach",  # 'Ri' inside words never matches
        "ISFs and SCPDs",  # plural s is allowed, other suffixes are not
        "",
        "   ",
    ],
)
def test_no_false_expansions(query: str) -> None:
    found = expansions(query)
    assert "special educational needs and disabilities" not in found
    assert "child protection" not in found
    assert "multi-agency safeguarding hub" not in found
    assert "sector-led improvement partner" not in found
    assert "director of children's services" not in found
    assert "looked-after children" not in found
    assert "safeguarding children partnership" not in found


def test_isf_plural_expands() -> None:
    assert expansions("ISFs and SCPDs") == ["intervention support fund"]


def test_shouting_still_expands_unambiguous_acronyms() -> None:
    assert "education, health and care plan" in expansions("PLEASE SEND ME THE EHCP REPORT")
    assert "special educational needs and disabilities" not in expansions("PLEASE SEND ME THE EHCP REPORT")


def test_all_acronym_query_is_not_shouting() -> None:
    found = expansions("ILACS JTAI SEND")
    assert "special educational needs and disabilities" in found
    assert "joint targeted area inspection" in found


@pytest.mark.parametrize(
    ("query", "absent"),
    [
        ("SEND special educational needs and disabilities", "special educational needs and disabilities"),
        ("MASH multi-agency safeguarding hub", "MASH"),
        ("CLA children looked after", "children looked after"),
        ("DfE Department for Education", "DfE"),
    ],
)
def test_does_not_repeat_what_query_has(query: str, absent: str) -> None:
    assert absent not in expansions(query)


def test_ordered_by_position_in_query() -> None:
    assert expansions("JTAI then ILACS") == [
        "joint targeted area inspection",
        "inspection of local authority children's services",
        "inspecting local authority children's services",
    ]


def test_no_duplicates_across_entries() -> None:
    # CLA and LAC share long forms; each appears once.
    found = expansions("CLA and LAC")
    assert len(found) == len({f.casefold() for f in found})
    assert found.count("looked-after children") == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nothing to expand here", "nothing to expand here"),
        ("", ""),
        ("MASH", "MASH multi-agency safeguarding hub"),
        ("the MASH  ", "the MASH multi-agency safeguarding hub"),
        ("looked after children", "looked after children CLA LAC"),
    ],
)
def test_expand_query(query: str, expected: str) -> None:
    assert expand_query(query) == expected


_ALPHABET = st.sampled_from(
    [
        *("SEND", "send", "CP", "CPD", "cp", "MASH", "the", "looked", "after", "children", "in", "care"),
        *("RI", "-", " ", ",", "EHCP", "EHC", "plan", "requires", "improvement", "to", "be", "good"),
        *("Part", "B"),
    ]
)


@settings(max_examples=300, database=None, deadline=None)
@given(st.lists(_ALPHABET, max_size=12).map(" ".join))
def test_expansion_properties(query: str) -> None:
    found = expansions(query)
    assert len(found) == len({f.casefold() for f in found})
    assert all(form in {*GLOSSARY, *(f for fs in GLOSSARY.values() for f in fs)} for form in found)
    expanded = expand_query(query)
    assert expanded.startswith(query.rstrip())
    for form in found:
        assert form in expanded


def test_a_councillors_title_is_expanded_both_ways() -> None:
    assert "Cllr" in expansions("Which councillor chairs the committee?")
    assert "councillor" in expansions("What did Cllr Rowe say?")
