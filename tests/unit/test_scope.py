"""Scope: a question's council (or the home council) and the national bodies, never another council."""

from __future__ import annotations

import pytest

from assistant.question import analyse
from assistant.scope import Places, place_of, scope
from vectorstore.filters import SearchFilters

COUNCILS = [
    "Bury Council",
    "Bury Metropolitan Borough Council",
    "Rochdale Borough Council",
    "Stockton-on-Tees Borough Council",
    "London Borough of Bexley",
    "Surrey Safeguarding Children Partnership",
    "Ofsted",
    "Department for Education",
]


@pytest.mark.parametrize(
    ("council", "place"),
    [
        ("Bury Council", "Bury"),
        ("Bury Metropolitan Borough Council", "Bury"),
        ("London Borough of Barking and Dagenham", "Barking and Dagenham"),
        ("Stockton-on-Tees Borough Council", "Stockton-on-Tees"),
        ("NHS Bury Clinical Commissioning Group", "Bury"),
        ("Surrey Safeguarding Children Partnership", "Surrey"),
        ("Ofsted", ""),
        ("Department for Education", ""),
        ("Ofsted, CQC and HMICFRS", ""),
    ],
)
def test_place_of(council: str, place: str) -> None:
    assert place_of(council) == place


def test_a_named_council_and_the_national_bodies() -> None:
    places = Places.from_councils(COUNCILS)
    filters, about = scope(
        analyse("How many complaints did Rochdale get?", places.names()), places, "Bury Council"
    )
    assert about == ("Rochdale",)
    assert filters is not None
    assert set(filters.councils) == {"Rochdale Borough Council", "Ofsted", "Department for Education"}


def test_no_council_named_means_the_home_councils_papers() -> None:
    places = Places.from_councils(COUNCILS)
    filters, about = scope(
        analyse("How many complaints were upheld?", places.names()), places, "Bury Council"
    )
    assert about == ("Bury",)
    assert filters is not None
    assert "Bury Metropolitan Borough Council" in filters.councils
    assert "London Borough of Bexley" not in filters.councils


def test_an_alias_names_its_council() -> None:
    places = Places.from_councils(COUNCILS)
    _, about = scope(analyse("When was Stockton last inspected?", places.names()), places, "Bury Council")
    assert about == ("Stockton-on-Tees",)


@pytest.mark.parametrize(
    ("council", "question"),
    [
        ("Brighton and Hove City Council", "What did Brighton & Hove plan after the 2015 inspection?"),
        ("Brighton & Hove City Council", "What did Brighton and Hove plan after the 2015 inspection?"),
    ],
)
def test_a_place_with_and_is_named_with_an_ampersand_too(council: str, question: str) -> None:
    places = Places.from_councils([*COUNCILS, council])
    _, about = scope(analyse(question, places.names()), places, "Bury Council")
    assert about == (place_of(council),)


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("herts v suffolk - whose got the better ILACS grade?", "Hertfordshire"),
        ("what did the improvement notice say in south glos?", "South Gloucestershire"),
        ("How much is B&NES spending on SEND?", "Bath and North East Somerset"),
    ],
)
def test_an_everyday_short_form_names_its_council(question: str, place: str) -> None:
    """The data file's short forms ("Herts", "South Glos") name a council whose papers are held."""
    places = Places.from_councils(
        [*COUNCILS, "Hertfordshire County Council", "South Gloucestershire Council", "Gloucestershire County Council",
         "Bath and North East Somerset Council"]
    )  # fmt: skip
    _, about = scope(analyse(question, places.names()), places, "Bury Council")
    assert place in about and "Bury" not in about and "Gloucestershire" not in about


def test_a_short_form_that_is_an_everyday_word_counts_only_capitalised() -> None:
    places = Places.from_councils([*COUNCILS, "Buckinghamshire Council"])
    assert analyse("How many complaints did Bucks get?", places.names()).councils == ("Bucks",)
    assert analyse("how many bucks did the council spend?", places.names()).councils == ()


def test_no_home_council_narrows_nothing_and_a_chosen_filter_stays() -> None:
    places = Places.from_councils(COUNCILS)
    a = analyse("How many complaints were upheld?", places.names())
    assert scope(a, places, "") == (None, ())
    chosen = SearchFilters(councils=("London Borough of Bexley",))
    assert scope(a, places, "Bury Council", chosen)[0] == chosen


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        (
            "When was Bournemouth, Christchurch and Poole children's services judged inadequate?",
            ("Bournemouth", "Christchurch", "Poole"),
        ),
        ("What did Ofsted find in Cumbria children's services?", ("Cumbria",)),
        ("How many complaints did Lambeth children's social care receive?", ("Lambeth",)),
        ("Did the Local Offer care leavers page change?", ()),
        ("How did Rochdale children's services do?", ()),
    ],
)
def test_a_place_before_a_service_is_never_the_home_council(question: str, unknown: tuple[str, ...]) -> None:
    """Whatever entity the small model guesses for an unfamiliar name ("Lambeth" is a PERSON to it), a name
    standing before "children's services" is a place: the question is not about the home council."""
    places = Places.from_councils(COUNCILS)
    a = analyse(question, places.names())
    assert a.unknown_places == unknown
    _, about = scope(a, places, "Bury Council")
    assert "Bury" not in about or not unknown


@pytest.mark.parametrize(
    "question",
    [
        "what does brighton still need to sort out after getting outstanding",
        "How is Hove's fostering service?",
    ],
)
def test_each_town_of_a_joined_place_name_names_it(question: str) -> None:
    places = Places.from_councils([*COUNCILS, "Brighton and Hove City Council"])
    _, about = scope(analyse(question, places.names()), places, "Bury Council")
    assert about == ("Brighton and Hove",)


def test_a_town_two_joined_names_share_names_neither() -> None:
    places = Places.from_councils([*COUNCILS, "Wexford and Hove Council", "Brighton and Hove City Council"])
    assert "Hove" not in places.alias_of and places.canonical("Brighton") == "Brighton and Hove"
