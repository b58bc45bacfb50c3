"""Feedback and audit storage: rows, ratings, comments, CSV export, threads (a killed writer: tests/system)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
import threading
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation, Status
from web.feedback import CSV_COLUMNS, MAX_COMMENT_CHARS, FeedbackStore


def make_answer(question: str = "When is the next inspection?") -> Answer:
    c = Citation(
        n=1,
        doc_id="seeds/bury.md",
        chunk_id="c1",
        title="Ofsted Standard Inspection",
        date=dt.date(2025, 9, 10),
        body="Cabinet",
        doc_type="cabinet report",
        page=3,
        section="Background",
        quote="The last standard inspection was in June 2025.",
        passage_text="Long passage text. The last standard inspection was in June 2025.",
        source_url="",
    )
    return Answer(
        question=question,
        text="The last standard inspection was in June 2025 [1].",
        status=Status.ANSWERED,
        citations=[c],
        as_at="As at 10 September 2025.",
    )


@pytest.fixture()
def store(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(tmp_path / "fb" / "feedback.sqlite3")


def test_records_a_question_with_its_answer_and_citations(store: FeedbackStore) -> None:
    ask_id = store.record_ask(make_answer(), "chat", "public", {"bodies": ["Cabinet"]}, 12.34, "")
    [rec] = store.asks()
    assert rec.id == ask_id
    assert (rec.surface, rec.audience, rec.status) == ("chat", "public", "answered")
    assert rec.question == "When is the next inspection?"
    assert rec.citations[0]["quote"] == "The last standard inspection was in June 2025."
    assert "passage_text" not in rec.citations[0]
    assert rec.filters == {"bodies": ["Cabinet"]}
    assert rec.rating is None


def test_rating_and_comment_are_one_row_per_answer(store: FeedbackStore) -> None:
    ask_id = store.record_ask(make_answer(), "chat", "public")
    store.rate(ask_id, 1)
    store.rate(ask_id, -1)  # changed their mind
    stored = store.comment(ask_id, "  Wrong   date\n please check ")
    assert stored == "Wrong date please check"
    [rec] = store.asks(with_feedback_only=True)
    assert (rec.rating, rec.comment) == (-1, "Wrong date please check")
    assert store.counts() == {"asks": 1, "up": 0, "down": 1, "comments": 1}


def test_comment_is_capped_and_unknown_answers_or_ratings_are_rejected(store: FeedbackStore) -> None:
    ask_id = store.record_ask(make_answer(), "widget", "public")
    assert len(store.comment(ask_id, "x" * (MAX_COMMENT_CHARS + 50))) == MAX_COMMENT_CHARS
    with pytest.raises(KeyError):
        store.rate(999, 1)
    with pytest.raises(ValueError):
        store.rate(ask_id, 5)


def test_feedback_only_listing_skips_unrated_answers(store: FeedbackStore) -> None:
    a = store.record_ask(make_answer("one"), "chat", "public")
    store.record_ask(make_answer("two"), "chat", "public")
    store.rate(a, 1)
    assert [r.question for r in store.asks(with_feedback_only=True)] == ["one"]
    assert [r.question for r in store.asks()] == ["two", "one"]


def test_csv_export_has_the_question_answer_citations_and_neutralises_formulas(store: FeedbackStore) -> None:
    ask_id = store.record_ask(make_answer('=HYPERLINK("http://evil")'), "chat", "officer", user="jo")
    store.rate(ask_id, 1)
    store.comment(ask_id, "+1 helpful")
    rows = list(csv.reader(io.StringIO(store.export_csv())))
    assert rows[0] == CSV_COLUMNS
    row = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert row["question"] == '\'=HYPERLINK("http://evil")'
    assert row["comment"] == "'+1 helpful"
    assert row["rating"] == "up" and row["user"] == "jo"
    assert row["citations"] == (
        "[1] Ofsted Standard Inspection (10 September 2025, Cabinet, page 3, Background) — "
        "“The last standard inspection was in June 2025.”"
    )


def test_csv_file_opens_in_excel_as_utf8(store: FeedbackStore, tmp_path: Path) -> None:
    store.rate(store.record_ask(make_answer("Café?"), "chat", "public"), 1)
    out = store.write_csv(tmp_path / "fb.csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "Café?" in out.read_text(encoding="utf-8-sig")


def test_wal_mode_and_concurrent_writers(store: FeedbackStore) -> None:
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            for j in range(10):
                ask_id = store.record_ask(make_answer(f"q{i}-{j}"), "chat", "public")
                store.rate(ask_id, 1 if j % 2 else -1)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.counts()["asks"] == 60
    assert len(store.asks(limit=1000, with_feedback_only=True)) == 60


def test_a_second_store_on_the_same_file_sees_the_rows(store: FeedbackStore) -> None:
    store.rate(store.record_ask(make_answer(), "api", "public"), -1)
    again = FeedbackStore(store.path)
    assert again.counts()["down"] == 1


def _age(store: FeedbackStore, ask_id: int, days: int) -> None:
    when = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="seconds")
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE asks SET created_at = ? WHERE id = ?", (when, ask_id))


def test_purge_deletes_questions_and_feedback_older_than_the_retention(store: FeedbackStore) -> None:
    old = store.record_ask(make_answer("old question"), "widget", "public")
    store.rate(old, 1)
    store.comment(old, "an old comment")
    recent = store.record_ask(make_answer("recent question"), "widget", "public")
    _age(store, old, 91)
    _age(store, recent, 89)
    assert store.purge(90) == 1
    assert [r.question for r in store.asks()] == ["recent question"]
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT COUNT(*) FROM feedback").fetchone() == (0,)
    assert store.purge(90) == 0
    with pytest.raises(ValueError):
        store.purge(0)


def test_council_purge_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from cli import app

    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    _age(store, store.record_ask(make_answer("old"), "chat", "public"), 10)
    store.record_ask(make_answer("new"), "chat", "public")
    monkeypatch.setenv("COUNCIL_FEEDBACK_DB", str(store.path))
    result = CliRunner().invoke(app, ["purge-log", "--older-than-days", "7"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 question(s) logged more than 7 day(s) ago" in result.output
    assert [r.question for r in store.asks()] == ["new"]
    assert CliRunner().invoke(app, ["purge-log", "--older-than-days", "0"]).exit_code != 0
