"""People in questions and papers (assistant/people.py): identifiable private individuals are found by entities
and context in every language the word lists cover; officials named in role are not."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from assistant.people import (
    Terms,
    fullest_name,
    identifiable_person,
    is_anonymised,
    language,
    lexicons,
    private_people,
    private_person,
    role_of,
    words,
)

# (question, kind): each asks about an identifiable private individual
ABOUT_A_PERSON: list[tuple[str, str]] = [
    ("Where does Child B live?", "identity"),
    ("What is Child B's real name?", "identity"),
    ("¿Dónde vive el niño B?", "identity"),
    ("¿Cuál es el nombre real del Niño B?", "identity"),
    ("give me the name, address and school of the child in the safeguarding review", "identity"),
    ("Is Jayden Smith from Ramsbottom still in care?", "status"),
    ("¿Sigue Jayden Smith de Ramsbottom en acogida?", "status"),
    ("Où habite l'enfant B ?", "identity"),
    ("Quel est le vrai nom de l'enfant B ?", "identity"),
    ("Gdzie mieszka dziecko B?", "identity"),
    ("Czy Jayden Smith z Ramsbottom jest nadal w pieczy zastępczej?", "status"),
    ("Onde mora a criança B?", "identity"),
    ("Unde locuiește copilul B?", "identity"),
    ("Dove vive il bambino B?", "identity"),
    ("Wo wohnt Kind B?", "identity"),
    ("Which school does Jayden Smith go to?", "identity"),
    ("Has Jayden Smith been adopted?", "status"),
    ("Where does Jayden live?", "identity"),
    ("Jayden Smith address", "identity"),
    ("What is the complainant's address?", "identity"),
    ("What is the name of the foster carer who spoke at scrutiny?", "identity"),
    ("Councillor Pilkington's child has an EHCP - what are the child's needs?", "status"),
    ("Which girl in Bolton got the protection order Ofsted mentioned, and what's her school?", "identity"),
    (
        "Which young people in Bradford complained about their time in care? I want to contact them.",
        "identity",
    ),
    ("Where does Councillor Smith live?", "identity"),  # an official's home is private too
]

# Officials in role, places, and questions about the papers: not about a private individual
NOT_ABOUT_A_PERSON: list[str] = [
    "Who is the director of children's services?",
    "What did Councillor Smith say at scrutiny?",
    "What did Councillor Smith say about children in care?",
    "What did Jeanette Richards say about children in care?",
    "Did Jeanette Richards present the care leavers report?",
    "What is Linda Evans's role at Bury?",
    "What did the review of Child Q find?",
    "What did the Ombudsman find in the case of Ms X?",
    "Is Bolton in intervention?",
    "Has Bolton been placed into intervention?",
    "How many children are in care in Bolton?",
    "Which school in Bolton was inspected?",
    "What is the name of the children's home?",
    "What is the average age of the children in care?",
    "What's the name of Bolton's children in care group mentioned by Ofsted?",
    "Is Bury's new special school still due to open in 2026?",
    "How many Ofsted recommendations did Kirklees's 2017 Children's Improvement Plan address?",
    "¿Cuántos niños están bajo tutela en Bury?",
    "Qu'a dit l'inspection Ofsted sur les enfants placés à Bury ?",
    "Who chaired Gloucestershire's children's improvement board in 2017?",
]


@pytest.mark.parametrize(("question", "kind"), ABOUT_A_PERSON)
def test_questions_about_a_private_person(question: str, kind: str) -> None:
    found = identifiable_person(question)
    assert found is not None, question
    assert found.kind == kind, found


@pytest.mark.parametrize("question", NOT_ABOUT_A_PERSON)
def test_questions_not_about_a_private_person(question: str) -> None:
    assert identifiable_person(question) is None


# (name, sentence, private?)
PAPER_NAMES: list[tuple[str, str, bool]] = [
    (
        "Jayden Smith",
        "Jayden Smith, aged 9, from Ramsbottom was placed with foster carers in March 2024.",
        True,
    ),
    ("Jayden Smith", "Jayden Smith (9) moved to a new placement.", True),
    ("Kelly Smith", "His mother, Kelly Smith, complained about the delay.", True),
    ("Mrs Patel", "Foster carer Mrs Patel told the board about training.", True),
    ("Mr Novak", "The complainant, Mr Novak, said the council ignored him.", True),
    ("Amina Hussain", "Amina Hussain, a member of the public, asked about short breaks.", True),
    ("Ms Delaney", "Ms Delaney attended and asked the following question.", True),  # no role: fail closed
    ("Councillor Smith", "Councillor Smith was appointed as the Corporate Parenting Champion.", False),
    ("Mike Smith", "Councillor Mike Smith and Councillor Birchmore attended.", False),
    ("Jane Okafor", "Jane Okafor, Director of Children's Services, presented the report.", False),
    ("Jane Okafor", "The Director of Children's Services, Jane Okafor, presented the report.", False),
    ("Sue O'Brien", "Sue O'Brien (Complaints and Access to Records Manager) presented the report.", False),
    ("Julie Gallagher", "Julie Gallagher, Democratic Services Manager advised the part was ordered.", False),
    (
        "Edward Timpson",
        "Letter issued by Minister of State for Children and Families – Edward Timpson MP",
        False,
    ),
    ("Rachel Evans", "The lead inspector, HMI Rachel Evans, met the leadership team.", False),
    ("Patel", "Councillors Smith and Patel asked about placements.", False),
    ("Sheila Murphy", "The report was presented by Sheila Murphy.", False),
    ("Child B", "Child B was known to children's social care from birth.", False),  # anonymised
    ("Ms X", "Ms X complained that the council delayed the assessment.", False),
    # a report's front sheet: the name field and the post field after it, read as one row
    (
        "Jeanette Richards",
        "Name: Jeanette Richards | Position: Executive Director of Children & Young People",
        False,
    ),
    ("Amy Hall", "Name: Amy Hall | Job title: Director of Children's Services", False),
    ("Amy Hall", "Name: Amy Hall | Position: Foster carer", True),
    ("Amy Hall", "Name: Amy Hall", True),  # no post given: fail closed
]


@pytest.mark.parametrize(("name", "sentence", "private"), PAPER_NAMES)
def test_private_person(name: str, sentence: str, private: bool) -> None:
    assert private_person(name, sentence) is private


def test_a_role_given_elsewhere_in_the_paper_counts() -> None:
    sentence = "Linda Evans stressed that workforce stability is critical."
    assert private_person("Linda Evans", sentence)
    context = "Present: Linda Evans, Executive Director of Children's Services. " + sentence
    assert not private_person("Linda Evans", sentence, context)
    # a private mention anywhere wins over a role elsewhere
    assert private_person("Linda Evans", sentence, context + " Linda Evans, aged 14, spoke.")


def test_a_titled_surname_takes_the_role_of_the_full_name_given_earlier() -> None:
    """Minutes name someone in full with their role once ("Mr Tariq Hale, Cabinet Member for Children"), then
    by title and surname ("Mr Hale said ...")."""
    sentence = "Mr Hale said the backlog had been cleared."
    context = "Mr Tariq Hale, Cabinet Member for Children, introduced the report. " + sentence
    assert private_person("Mr Hale", sentence)
    assert not private_person("Mr Hale", sentence, context)
    assert not private_person(
        "Mr Hale", sentence, "Tariq Hale, Cabinet Member for Children, spoke. " + sentence
    )
    # another person with that surname, or a private mention of the full name, keeps it private
    assert private_person("Mr Hale", sentence, "Councillor Ann Hale chaired the meeting. " + sentence)
    assert private_person("Mrs Hale", "Mrs Hale wrote to us.", "The complainant, Mrs Jo Hale, wrote in May.")
    assert private_person("Mr Hale", sentence, "Present: Mr Tariq Hale, foster carer. " + sentence)


def test_the_same_surname_in_role_does_not_make_a_child_official() -> None:
    sentence = "Councillor Smith said the placement of Jayden Smith, aged 9, had been reviewed."
    assert not private_person("Councillor Smith", sentence)
    assert private_person("Jayden Smith", sentence)
    assert private_people(sentence) == ["Jayden Smith"]


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        (
            "Jayden Smith, aged 9, from Ramsbottom was placed with foster carers in March 2024.",
            ["Jayden Smith"],
        ),
        ("Foster carer Mrs Patel told the board about training.", ["Mrs Patel"]),
        ("Councillor Mike Smith thanked officers for the report.", []),
        ("Jane Okafor, Director of Children's Services, presented the report.", []),
        ("Bolton improved its timeliness of assessments.", []),
        ("Venue: Peel Room, Town Hall, Bury.", []),
        ("Child B was known to children's social care from birth.", []),
        ("", []),
    ],
)
def test_private_people(sentence: str, names: list[str]) -> None:
    assert private_people(sentence) == names


def test_role_of() -> None:
    assert role_of("Smith", "Councillor Smith asked a question.") == "official"
    assert role_of("Patel", "foster carer Patel asked a question.") == "private"
    assert role_of("Smith", "Smith asked a question.") is None


def test_anonymised_labels() -> None:
    assert is_anonymised("Child B") and is_anonymised("Ms X") and is_anonymised("niño B")
    assert not is_anonymised("Jayden Smith") and not is_anonymised("Child") and not is_anonymised("Mr Smith")


def test_terms_match_phrases_and_word_endings() -> None:
    terms = Terms.of(["foster carer", "piecz*", "care"])
    assert terms.find(words("a foster carer in care")) == [(1, 3), (4, 5)]
    assert terms.find(words("w pieczy zastępczej")) == [(1, 2)]
    assert terms.ends(words("the foster carer")) and terms.starts(words("care leavers"))
    assert words("L’enfant habite à Bury.") == ["enfant", "habite", "à", "bury"]


def test_language() -> None:
    assert language("Where does the child live?")[0] == "en"
    assert language("¿Dónde vive el niño?")[0] == "es"
    assert language("Gdzie mieszka dziecko?")[0] == "pl"


def test_the_word_lists_are_complete_and_lower_case() -> None:
    raw = yaml.safe_load(resources.files("assistant").joinpath("data/people.yaml").read_text("utf-8"))
    keys = {"official_roles", "private_roles", "anonymised", "personal_details", "identifying", "case_status"}
    assert "en" in raw and len(raw) >= 8
    for lang, lists in raw.items():
        assert keys <= set(lists), (lang, keys - set(lists))
        for key in keys:
            entries = lists[key]
            assert entries and all(isinstance(e, str) and e == e.lower() for e in entries), (lang, key)
    assert set(lexicons()) == set(raw)


@pytest.mark.parametrize(
    ("name", "text", "full"),
    [
        (
            "Councillor Dixon",
            "Councillor Paul Dixon made the commitment. Councillor Dixon said ...",
            "Councillor Paul Dixon",
        ),
        ("Cllr Hale", "Cllr Ann Marie Hale chaired. Cllr Hale thanked officers.", "Cllr Ann Marie Hale"),
        # another person of the same surname never lends a name; nor do words of roles
        (
            "Councillor Dixon",
            "Jayden Dixon, aged 9, was placed. Councillor Dixon agreed.",
            "Councillor Dixon",
        ),
        ("Councillor Dixon", "The Cabinet Member Dixon spoke. Councillor Dixon agreed.", "Councillor Dixon"),
        ("Councillor Paul Dixon", "Councillor Paul Dixon said.", "Councillor Paul Dixon"),
    ],
)
def test_the_fullest_name_a_paper_gives_under_the_same_title(name: str, text: str, full: str) -> None:
    assert fullest_name(name, text) == full
