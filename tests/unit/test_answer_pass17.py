"""General causes found on the tuning sets on 2026-12-07 (seventeenth pass), each on wording no eval set uses:
an event's verb under a date question, the kind a glossary term is, a date in another year than the thing asked,
several parts judged by their own sentences, British spellings, a named fault as criticism, acronyms spelt out,
a paper's scope, a count of another set, and a date said only relative to an undated paper."""

from __future__ import annotations

import datetime as dt

from assistant import polarity
from assistant.answerability import features
from assistant.candidates import Candidate, collect
from assistant.question import analyse
from assistant.shortanswer import find
from assistant.spelling import readings
from tests.fakes import make_passage
from vectorstore.passage import Passage

PLACES = ["Wexbridge", "Harlow Vale"]


def _passage(text: str, date: dt.date | None = dt.date(2023, 9, 11), n: int = 0, doc: str = "") -> Passage:
    doc_id = doc or f"wexbridge-{len(text)}.md"
    return make_passage(
        text,
        chunk_id=f"{doc_id}#{n}",
        doc_id=doc_id,
        title="Wexbridge news",
        date=date,
        body="Wexbridge Council",
        doc_type="news",
        council="Wexbridge Council",
        path=doc_id,
        score=0.5,
    )


def _shorts(question: str, *texts: str, date: dt.date | None = dt.date(2023, 9, 11)) -> list[str | None]:
    a = analyse(question, PLACES)
    passages = [_passage(t, date) for t in texts]
    cands = collect(a, passages, None)
    ids = [p.doc_id for p in passages]
    found = [find(a, part, cands, ids, passage_dates=[p.date for p in passages]) for part in a.parts]
    return [f.text if f is not None else None for f in found]


def test_that_an_event_happened_is_no_topic_when_its_date_is_asked() -> None:
    a = analyse("When was Wexbridge's 2023 ILACS carried out?", PLACES)
    assert "carri" not in a.key_terms and "carry" not in a.key_terms and "carry" not in a.verbs
    b = analyse("How long did the inspection run?", PLACES)
    assert "run" not in b.key_terms
    # asked for anything else, the verb is the topic
    c = analyse("Who carried out the audit of Wexbridge's case files?", PLACES)
    assert "carri" in c.key_terms or "carry" in c.key_terms


def test_a_sentence_naming_the_kind_of_thing_a_glossary_term_is_holds_the_term() -> None:
    """ "the 2023 ILACS": "inspectors visited ... between 17 and 28 July" answers when it was carried out."""
    a = analyse("When was Wexbridge's 2023 ILACS carried out?", PLACES)
    visited = "Inspectors visited Wexbridge Borough Council between 17 and 28 July and graded it inadequate."
    cands = collect(a, [_passage(visited)], None)
    assert cands and cands[0].focus == 1.0
    assert _shorts("When was Wexbridge's 2023 ILACS carried out?", visited) == ["17 and 28 July"]


def test_a_date_in_another_year_is_not_the_date_of_the_thing_asked_for_a_year() -> None:
    sentence = "Ofsted noted a significant deterioration since the last inspection in 2019."
    assert _shorts("When was Wexbridge's 2023 ILACS carried out?", sentence) == [None]
    # a range of years asked names each of its years
    meetings = "The board meets on 10 September 2024 and 9 January 2025."
    shorts = _shorts("When are the Corporate Parenting Board meetings for 2024-25?", meetings)
    assert shorts[0] is not None and "9 January 2025" in shorts[0]


def test_a_date_said_only_relative_to_an_undated_paper_is_no_date() -> None:
    sentence = "A new report published today by Ofsted followed the focused visit."
    question = "On what date did Ofsted publish its report on the focused visit to Wexbridge?"
    assert _shorts(question, sentence, date=None) == [None]
    assert _shorts(question, sentence, date=dt.date(2024, 5, 16)) == ["today"]


def test_the_parts_of_a_question_are_judged_by_the_sentences_answering_them() -> None:
    """ "When was it carried out, and when was the report published?": each part's sentence holds its own part's
    words only, so the answer is judged by both sentences, not the first alone."""
    a = analyse("When was Wexbridge's 2023 ILACS carried out and when was the report published?", PLACES)
    assert len(a.parts) == 2
    visited = "Inspectors visited Wexbridge Borough Council between 17 and 28 July and graded it inadequate."
    published = "The report, which has been published today (11 Sep), judged the services inadequate."
    passages = [_passage(f"{visited} {published}")]
    cands = collect(a, passages, None)
    found = [find(a, part, cands, [passages[0].doc_id]) for part in a.parts]
    assert [f.text if f else None for f in found] == ["17 and 28 July", "11 Sep"]
    both = features(a, cands, found)
    first = features(a, cands, [found[0], None])
    by_sentence = {c.sentence: c.lexical for c in cands}
    assert both["lexical"] == (by_sentence[found[0].candidate.sentence] + by_sentence[published]) / 2
    assert both["lexical"] > first["lexical"]


def test_a_british_spelling_is_an_english_word_not_a_misspelling() -> None:
    def frequency(words: object) -> dict[str, int]:
        return {w: (9 if w in {"criticism", "organisations"} else 0) for w in words}  # type: ignore[attr-defined]

    assert readings("what did ofsted criticise about wexbridge?", frequency) == {}
    assert readings("which organisations were praised?", frequency) == {}
    assert readings("what did the inspectors critcism?", frequency) == {"critcism": "criticism"}


def test_a_sentence_naming_a_fault_is_criticism_whatever_the_words_about_what_is_at_fault() -> None:
    sentence = (
        "The inspector said there were weaknesses in providing clear and timely information, advice and "
        "support to families."
    )
    assert polarity.polarity(sentence) > -polarity.FITS  # the general lexicon alone does not read it so
    assert polarity.fits(sentence, polarity.CRITICISM)
    assert not polarity.fits("There were no significant weaknesses in the service.", polarity.CRITICISM)
    # the names of services and a complaints report's counts are neither
    assert not polarity.fits("Ten complaints were received in 2018/19.", polarity.CRITICISM)
    assert not polarity.fits(
        "Special educational needs support is provided across the area.", polarity.PRAISE
    )
    # a fault the question names as a phrase is no answer by itself; one word asked still is
    passing = "A Written Statement of Action was required because of significant areas of weakness."
    assert not polarity.fits(passing, polarity.CRITICISM, "What were the significant areas of weakness?")
    assert polarity.fits(
        "Councillors raised concerns about delays.",
        polarity.CRITICISM,
        "What concerns did councillors raise?",
    )


def test_an_acronym_asked_is_held_by_a_sentence_spelling_it_out() -> None:
    a = analyse("What did Ofsted and the CQC criticise about SEND in Wexbridge?", PLACES)
    sentence = "An inspection by Ofsted and the Care Quality Commission raised significant concerns."
    cands = collect(a, [_passage(sentence)], None)
    assert cands and "cqc" in cands[0].words


def test_a_papers_later_passage_keeps_the_papers_scope() -> None:
    """A passage of a paper on the question's topic that happens not to repeat its words is not ranked as a wider
    paper's: scope belongs to the paper."""
    a = analyse("What did inspectors criticise about SEND provision in Wexbridge?", PLACES)
    first = _passage("SEND provision in Wexbridge was inspected in 2017.", doc="send.md", n=0)
    later = _passage("Leaders did not evaluate safeguarding arrangements routinely.", doc="send.md", n=1)
    by_sentence = {c.sentence: c for c in collect(a, [first, later], None)}
    alone = {c.sentence: c for c in collect(a, [later], None)}
    sentence = "Leaders did not evaluate safeguarding arrangements routinely."
    assert by_sentence[sentence].period == alone[sentence].period


def test_a_long_form_of_an_acronym_asked_about_is_not_its_answer() -> None:
    sentence = (
        "The council received confirmation that the Written Statement of Action is fit for purpose, and the "
        "council and the clinical commissioning group (CCG) are jointly responsible for submitting it."
    )
    short = _shorts("Which body was responsible for submitting Wexbridge's WSoA?", sentence)[0]
    assert short is not None and "Written Statement" not in short


def test_what_is_to_be_put_right_asks_for_criticism() -> None:
    for question in (
        "What still needs to improve in Wexbridge after Ofsted's latest visit?",
        "what does wexbridge still need to sort out after getting outstanding",
        "What does Harlow Vale need to work on?",
        "what went wrong in wexbridge",
    ):
        assert analyse(question, PLACES).evaluation == polarity.CRITICISM, question
    for question in (
        "Has Wexbridge improved since 2019?",  # a change over time, not what is to be put right
        "How many social workers does Wexbridge need to recruit?",
        "What is the council doing to improve?",  # what it does, not what is wrong
    ):
        assert analyse(question, PLACES).evaluation == 0, question


def test_the_items_of_a_list_introduced_as_criticism_and_a_sentence_going_on_from_one_are_criticism() -> None:
    a = analyse("What does Wexbridge still need to improve?", PLACES)
    listed = _passage(
        "What needs to improve?¹\n- The quality of plans for children\n- The consistency of decisions by the LADO"
    )
    went_on = _passage(
        "The letter goes on to highlight one area for potential improvement. This is related to the timeliness "
        "of strategy meetings. Councillors welcomed the report.",
        doc="letter.md",
    )
    judged = {c.sentence: c.judged for c in collect(a, [listed, went_on], None)}
    assert judged["The quality of plans for children"] and judged["The consistency of decisions by the LADO"]
    assert judged["This is related to the timeliness of strategy meetings."]
    assert not judged["Councillors welcomed the report."]


def test_a_negation_footnote_marks_and_reporting_verbs_carry_no_judgement() -> None:
    assert (
        polarity.polarity("There are no additional financial implications arising from this report.") == 0.0
    )
    assert polarity.polarity("What needs to improve?¹") == polarity.polarity("What needs to improve?")
    assert polarity.fits(
        "The letter goes on to highlight one area for potential improvement.", polarity.CRITICISM
    )
    assert polarity.fits(
        "The report also highlighted areas for continued improvement in planning.", polarity.CRITICISM
    )


def test_a_sentence_giving_a_cause_ranks_first_for_a_question_asking_why() -> None:
    a = analyse("Why did Wexbridge say complaints about children's services fell in 2019?", PLACES)
    passage = _passage(
        "Wexbridge said complaints about children's services fell in 2019 after a busy year. Wexbridge said "
        "complaints about children's services fell in 2019 due to a stable workforce."
    )
    ranked = collect(a, [passage], None)
    assert ranked[0].sentence.endswith("due to a stable workforce.")
    b = analyse("What did Wexbridge say about complaints about children's services in 2019?", PLACES)
    scores = {c.sentence[-12:]: c.score for c in collect(b, [passage], None)}
    assert scores["a busy year."] >= scores["e workforce."]  # asked what, not why: no sentence is favoured


def test_a_quotation_going_on_reads_with_the_sentence_before() -> None:
    """ "… there's been a significant drop in complaints. “That's down to having stability among our staff": the
    quotation's pronoun subject stands for the sentence before's topic."""
    a = analyse("Why did complaints about Wexbridge children's services fall?", PLACES)
    passage = _passage(
        "“There's been a significant drop in complaints about Wexbridge children's services.\n\n“That's down to "
        "having stability among our staff and having permanent team managers."
    )
    went_on = [c for c in collect(a, [passage], None) if c.sentence.startswith("“That's")]
    assert went_on and "complaint" in went_on[0].words


def test_how_big_asks_for_a_measure_when_the_thing_is_one() -> None:
    from assistant.question import AnswerType

    kinds = {
        "How big was Wexbridge's overspend on children's services?": AnswerType.MONEY,
        "How high is the re-referral rate in Wexbridge?": AnswerType.PERCENTAGE,
        "How big was the average caseload?": AnswerType.NUMBER,
        "How bad was Wexbridge's last inspection?": AnswerType.DESCRIPTION,  # no measure: what was said
    }
    for question, kind in kinds.items():
        assert analyse(question, PLACES).answer_type == kind, question


def test_a_share_the_entity_recogniser_calls_money_is_no_sum() -> None:
    from assistant.question import AnswerType
    from assistant.spans import typed_spans

    kinds = {
        s.text: s.kind
        for s in typed_spans("Inspectors noted that 80 per cent of all cases were linked to it.")
    }
    assert AnswerType.MONEY not in kinds.values()
    assert [s.kind for s in typed_spans("The overspend was 2.4 million pounds.")] == [AnswerType.MONEY]


def test_a_question_opening_like_a_follow_up_that_names_its_topic_is_not_one() -> None:
    from assistant.followup import is_followup

    history = [{"question": "How big is the overspend on children's services in Wexbridge?", "answer": ""}]
    assert not is_followup("why did complaints about wexbridge childrens services go up?", history, 4, PLACES)
    assert not is_followup(
        "why did complaints about children's services rise so sharply in 2024?", history, 5
    )
    assert is_followup("why did it go up?", history, 1, PLACES)
    assert is_followup("and in Harlow Vale?", history, 0, PLACES)


def test_a_grade_is_no_fault_found_and_only_a_pronoun_goes_on_from_criticism() -> None:
    assert not polarity.names_a_fault("It moved from inadequate to requires improvement to be good.")
    assert polarity.names_a_fault("Inspectors raised concerns about drift in plans.")
    a = analyse("What still needs to improve in Wexbridge?", PLACES)
    passage = _passage(
        "The report highlighted areas for continued improvement in supervision. The report also graded the "
        "leadership of the service as good. These are being addressed in the improvement plan."
    )
    judged = {c.sentence: c.judged for c in collect(a, [passage], None)}
    assert not judged["The report also graded the leadership of the service as good."]


def test_an_inverted_auxiliary_after_and_opens_a_yes_no_part() -> None:
    from assistant.question import AnswerType

    parts = analyse("Who wrote the letter to Wexbridge, and did they praise anything?", PLACES).parts
    assert [p.answer_type for p in parts] == [AnswerType.PERSON, AnswerType.YES_NO]
    assert "prais" in parts[1].text.lower()
    # "and" joining the things counted is no new clause
    one = analyse("How many children and young people did inspectors meet in Wexbridge?", PLACES).parts
    assert len(one) == 1


def test_a_grade_word_qualifying_a_noun_is_an_adjective_not_a_grade() -> None:
    from assistant.question import AnswerType
    from assistant.spans import typed_spans

    def grades(text: str) -> list[str]:
        return [s.text for s in typed_spans(text) if s.kind == AnswerType.JUDGEMENT]

    assert grades("The report highlights several areas of good practice.") == []
    assert grades("They reported good progress since 2017.") == []
    assert grades("Wexbridge was rated good in all areas and received a good rating.") == ["good", "good"]
    assert grades("It was judged good overall and outstanding for care leavers.") == ["good", "outstanding"]


def test_a_time_said_relative_to_the_paper_is_no_length_of_time() -> None:
    from assistant.nlp import parse_many
    from assistant.question import AnswerType
    from assistant.spans import typed_spans

    def kinds(text: str) -> dict[str, AnswerType]:
        doc = parse_many([text], lemmas=True)[0]
        return {s.text: s.kind for s in typed_spans(text, doc)}

    assert (
        kinds("The report follows a focused visit last month, which examined the arrangements.").get(
            "last month"
        )
        == AnswerType.DATE
    )
    assert kinds("During a five day inspection the inspectors met staff.")["five day"] == AnswerType.DURATION


def test_a_question_about_speaking_is_matched_by_any_verb_of_speaking() -> None:
    from assistant.answerability import _verb_match
    from assistant.verify import content_words

    def match(question: str, sentence: str) -> float:
        cand = Candidate(sentence, 0, 0, words=frozenset(content_words(sentence)))
        return _verb_match(analyse(question, PLACES), cand)

    asked = "Which Wexbridge councillors spoke for the council after the inspection?"
    assert match(asked, "Councillor Beverley Egan, Cabinet Member for Children's Services, said:") == 1.0
    assert match(asked, "The council appointed a new director in 2023.") == 0.0
    assert (
        match("How many complaints did Wexbridge receive?", "Councillor Egan said the figures were good.")
        == 0.0
    )
