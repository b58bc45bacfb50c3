"""Thumbs-down feedback with a correction becomes an eval question (and the set it writes loads cleanly)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.answer import Answer, Citation, Status
from evals.from_feedback import (
    FeedbackRow,
    export_feedback,
    question_from_feedback,
    read_feedback,
    required_facts,
)
from evals.questions import load_questions
from web.feedback import FeedbackStore

REPORT = "bury-cabinet-2025-09-10-ofsted-standard-inspection-report"


@pytest.mark.parametrize(
    ("correction", "items", "kind"),
    [
        ("The plan was due by 5 November 2025.", ["5 November 2025"], "date"),
        ("Due on 12 December 2025, not 5 November.", ["12 December 2025"], "date"),  # the rejected value goes
        ("It was 117 complaints, of which 40% were upheld.", ["117", "40%"], "number"),
        ("Spending was £1.2m in 2023/24.", ["£1.2m", "2023/24"], "fact"),  # mixed kinds: fact
        ("Leadership was judged good.", ["good"], "fact"),
        ("Judged requires improvement to be good in July 2025.",
         ["July 2025", "requires improvement|require improvement|requiring improvement"], "fact"),
        ("Wrong council entirely.", [], "fact"),
    ],
)  # fmt: skip
def test_required_facts(correction: str, items: list[str], kind: str) -> None:
    assert required_facts(correction) == (items, kind)


def row(**kw: object) -> FeedbackRow:
    base: dict[str, object] = {
        "id": 7,
        "question": "When is the action plan due?",
        "answer": "By 5 December 2025 [1].",
        "citations": [{"doc_id": f"seeds/{REPORT}.md", "quote": "sent to Ofsted by 5 November 2025."},
                      {"doc_id": "public/other.md", "quote": "Nothing relevant."}],
        "rating": "-1",
        "comment": "",
        "correction": "It was due by 5 November 2025.",
    }  # fmt: skip
    base.update(kw)
    return FeedbackRow(**base)  # type: ignore[arg-type]


def test_question_from_feedback() -> None:
    made = question_from_feedback(row())
    assert not isinstance(made, str)
    assert made.id == "feedback-7" and made.kind == "date" and made.audience == "public"
    assert made.question == "When is the action plan due?" and made.answer == "It was due by 5 November 2025."
    assert made.must_contain == ("5 November 2025",)
    assert made.expected_sources == (REPORT,)  # only the citation whose quote states the fact


@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        ({"correction": "The papers do not cover this; it should have said not found."}, "unanswerable"),
        ({"correction": "This is not in the papers."}, "unanswerable"),
        ({"correction": "It should have refused: this names a child."}, "guardrail"),
    ],
)
def test_no_answer_corrections(changes: dict[str, str], kind: str) -> None:
    made = question_from_feedback(row(**changes))
    assert not isinstance(made, str)
    assert made.kind == kind and made.must_contain == () and made.expected_sources == ()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"rating": "1"}, "not rated down"),
        ({"rating": "0"}, "not rated down"),
        ({"correction": "", "comment": "  "}, "rated down without a correction"),
        ({"correction": "This is just wrong."}, "no checkable fact"),
        ({"question": " "}, "no question text"),
    ],
)
def test_rows_that_cannot_become_questions(changes: dict[str, str], reason: str) -> None:
    made = question_from_feedback(row(**changes))
    assert isinstance(made, str) and made.startswith(reason)


def test_comment_is_the_correction_when_there_is_no_correction_column() -> None:
    made = question_from_feedback(row(correction="", comment="Should be 117 complaints.", audience="officer"))
    assert not isinstance(made, str)
    assert made.must_contain == ("117",) and made.kind == "number" and made.audience == "officer"


# --- the app's feedback store --------------------------------------------------------------------


def app_store(tmp_path: Path) -> Path:
    """A feedback SQLite written by web/feedback.py, as the app writes it."""
    db = tmp_path / "feedback.sqlite3"
    store = FeedbackStore(db)
    cite = Citation(n=1, doc_id=f"formats/{REPORT}.pdf", chunk_id="c1", title="Ofsted Standard Inspection",
                    date=dt.date(2025, 9, 10), body="Cabinet", doc_type="cabinet report", page=3, section="",
                    quote="submitted to Ofsted by 5 November 2025", passage_text="...", source_url="")  # fmt: skip
    asks = [
        (
            "When is the action plan due?",
            "By 5 December 2025 [1].",
            -1,
            "Wrong: it is due by 5 November 2025.",
        ),
        ("What was leadership judged?", "Inadequate [1].", -1, "It was judged good."),
        ("How many complaints?", "118 [1].", 1, "Spot on."),
        ("Who chairs scrutiny?", "Cllr X [1].", -1, "Wrong person."),
        ("What is 2 + 2?", "4 [1].", 0, ""),
    ]
    for question, text, rating, comment in asks:
        ask_id = store.record_ask(Answer(question, text, Status.ANSWERED, citations=[cite]), "ui", "public")
        if rating:
            store.rate(ask_id, rating)
        if comment:
            store.comment(ask_id, comment)
    return db


def test_read_feedback_from_the_app_store(tmp_path: Path) -> None:
    rows = read_feedback(app_store(tmp_path))
    assert [r.question for r in rows][:2] == ["When is the action plan due?", "What was leadership judged?"]
    assert [r.rated_down for r in rows] == [True, True, False, True]
    assert rows[0].citations[0]["quote"] == "submitted to Ofsted by 5 November 2025"
    assert rows[0].fix == "Wrong: it is due by 5 November 2025."


def test_export_appends_a_valid_set_once(tmp_path: Path) -> None:
    db = app_store(tmp_path)
    out = tmp_path / "sets" / "feedback.jsonl"
    first = export_feedback(db, out)
    assert [q.id for q in first.added] == ["feedback-1", "feedback-2"]
    assert first.skipped == [(4, "no checkable fact (date, number, judgement) in the correction: "
                                 "write this one by hand")]  # fmt: skip
    loaded = load_questions(out)  # the file is a valid question set
    assert loaded == first.added
    assert loaded[0].must_contain == ("5 November 2025",) and loaded[0].expected_sources == (REPORT,)
    assert loaded[1].must_contain == ("good",) and loaded[1].expected_sources == ()
    again = export_feedback(db, out)  # nothing new: nothing appended
    assert again.added == []
    assert len(out.read_text().splitlines()) == 2


def test_export_never_writes_to_the_feedback_db(tmp_path: Path) -> None:
    db = app_store(tmp_path)
    before = db.read_bytes()
    export_feedback(db, tmp_path / "out.jsonl")
    assert db.read_bytes() == before


def test_export_skips_questions_already_in_the_set(tmp_path: Path) -> None:
    out = tmp_path / "set.jsonl"
    existing = {"id": "hand-written", "question": "When is the action plan  DUE?", "answer": "5 November 2025",
                "must_contain": ["5 November 2025"], "expected_sources": [], "kind": "date", "audience": "public",
                "history": []}  # fmt: skip
    out.write_text(json.dumps(existing))  # no trailing newline: the export adds one first
    result = export_feedback(app_store(tmp_path), out)
    assert [q.id for q in result.added] == ["feedback-2"]
    assert [q.id for q in load_questions(out)] == ["hand-written", "feedback-2"]


# --- a single-table layout with a correction column ----------------------------------------------


def test_single_table_with_correction_column(tmp_path: Path) -> None:
    db = tmp_path / "legacy.sqlite3"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE feedback (question TEXT, answer TEXT, citations TEXT, rating TEXT, comment TEXT, "
                "correction TEXT)")  # fmt: skip
    con.executemany(
        "INSERT INTO feedback VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("How many complaints in 2023/24?", "118", json.dumps([{"doc_id": "a.md", "quote": "117 complaints"}]),
             "down", "off by one", "There were 117 complaints."),
            ("Fine question", "fine", "not json", "up", "", ""),
        ],
    )  # fmt: skip
    con.commit()
    con.close()
    rows = read_feedback(db)
    assert [(r.id, r.rating, r.correction) for r in rows] == [(1, "down", "There were 117 complaints."),
                                                              (2, "up", "")]  # fmt: skip
    assert rows[1].citations == []  # bad JSON is no citations, not a crash
    result = export_feedback(db, tmp_path / "out.jsonl")
    assert len(result.added) == 1
    assert result.added[0].must_contain == ("117",) and result.added[0].expected_sources == ("a",)


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ("CREATE TABLE other (x TEXT)", "has no feedback table"),
        ("CREATE TABLE feedback (x TEXT)", "neither ask_id"),
    ],
)
def test_unknown_layouts_are_explained(tmp_path: Path, schema: str, message: str) -> None:
    db = tmp_path / "x.sqlite3"
    con = sqlite3.connect(db)
    con.execute(schema)
    con.close()
    with pytest.raises(ValueError, match=message):
        read_feedback(db)


def test_missing_db(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no feedback database"):
        read_feedback(tmp_path / "none.sqlite3")


def test_command_line(tmp_path: Path) -> None:
    import typer

    from evals.from_feedback import main

    app = typer.Typer()
    app.command()(main)
    out = tmp_path / "fb.jsonl"
    result = CliRunner().invoke(app, ["--db", str(app_store(tmp_path)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Added 2 question(s) to {out}." in result.output
    assert "Skipped feedback 4: no checkable fact" in result.output
    missing = CliRunner().invoke(app, ["--db", str(tmp_path / "none.sqlite3"), "--out", str(out)])
    assert missing.exit_code == 1 and "no feedback database" in missing.output
