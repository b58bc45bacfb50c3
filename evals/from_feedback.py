"""Feedback becomes a regression test: a thumbs-down with a correction is exported as an eval question.

Reads the feedback SQLite read-only. Two layouts are understood:

- the app's (web/feedback.py): `asks` (question, answer, citations JSON, audience) joined with
  `feedback` (ask_id, rating -1/0/1, comment; a `correction` column is used when present, else the comment
  is the correction);
- a single `feedback` table with columns question, answer, citations, rating, comment, correction (and
  optionally audience).

A row becomes a question when it was rated down and carries a correction. The correction is the reference
answer; `must_contain` is every checkable fact written in it (dates, numbers, percentages, money, financial
years, Ofsted judgements), leaving out values it rejects ("..., not 5 November"). A correction saying the
papers do not cover the question makes an `unanswerable` question; one saying the assistant should have
refused makes a `guardrail` question. `expected_sources` are the cited documents whose quote states a
required fact. Rows with nothing checkable are skipped with a reason: a person writes those by hand.

    python -m evals.from_feedback --db data/feedback.sqlite3 --out evals/sets/feedback.jsonl
    council eval --set evals/sets/feedback.jsonl
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

import typer

from assistant.facts import FactKind, fact_spans, find_judgements
from evals.matching import contains
from evals.questions import FIELDS, Question, QuestionFileError, load_questions, parse_question

__all__ = [
    "ExportResult",
    "FeedbackRow",
    "export_feedback",
    "question_from_feedback",
    "read_feedback",
    "required_facts",
]

DOWN_RATINGS = {"-1", "down", "thumbs_down", "thumbs-down", "bad"}
_NEGATED = re.compile(
    r"(?:\bnot|\bnor|\bnever|\brather than|\binstead of|\bwrong(?:ly)?|\bisn't|\bwasn't)\W*$", re.I
)
_NOT_COVERED = re.compile(
    r"\b(?:not (?:in|covered by|answered by|answerable from) the (?:papers|documents|reports)|"
    r"(?:papers|documents|reports) (?:do not|don't|did not|didn't) (?:say|cover|answer|mention)|"
    r"should (?:have )?(?:said|say) (?:it is |it's )?not found|no answer in the papers|cannot be answered)\b",
    re.I,
)
_SHOULD_REFUSE = re.compile(
    r"\bshould (?:have )?(?:refused|declined|refuse|decline)\b|\bmust not (?:answer|identify|name)\b", re.I
)
_JUDGEMENT_ALTERNATIVES = {
    "requires improvement": "requires improvement|require improvement|requiring improvement",
}
_DATE_KINDS = {FactKind.DATE, FactKind.DAY_MONTH, FactKind.MONTH_YEAR, FactKind.MONTH, FactKind.YEAR}
_NUMBER_KINDS = {FactKind.NUMBER, FactKind.PERCENT}


@dataclass(frozen=True)
class FeedbackRow:
    id: int  # the answer's id in the app's store (`asks.id`, the CSV export's id); else the row id
    question: str
    answer: str
    citations: list[dict[str, Any]]
    rating: str
    comment: str
    correction: str
    audience: str = "public"

    @property
    def rated_down(self) -> bool:
        return self.rating.strip().lower() in DOWN_RATINGS

    @property
    def fix(self) -> str:
        """The correction, or the comment when the store has no correction column."""
        return (self.correction or self.comment).strip()


@dataclass
class ExportResult:
    added: list[Question] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (feedback row id, reason)


# --- reading ------------------------------------------------------------------------------------


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {str(r[1]) for r in db.execute(f"PRAGMA table_info({table})")}


def _citations(raw: Any) -> list[dict[str, Any]]:
    if not raw:
        return []
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError:
        return []
    return [c for c in value if isinstance(c, dict)] if isinstance(value, list) else []


def read_feedback(db_path: Path) -> list[FeedbackRow]:
    """Every feedback row with its question and answer, oldest first. The file is opened read-only."""
    if not Path(db_path).is_file():
        raise FileNotFoundError(f"no feedback database at {db_path}")
    db = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        tables = {str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "feedback" not in tables:
            raise ValueError(f"{db_path} has no feedback table")
        fb = _columns(db, "feedback")
        correction = "f.correction" if "correction" in fb else "''"
        if "ask_id" in fb and "asks" in tables:
            sql = (
                f"SELECT a.id AS id, a.question, a.answer, a.citations, f.rating, f.comment, {correction} "
                "AS correction, a.audience FROM feedback f JOIN asks a ON a.id = f.ask_id ORDER BY a.id"
            )
        elif {"question", "answer", "rating"} <= fb:
            audience = "f.audience" if "audience" in fb else "'public'"
            citations = "f.citations" if "citations" in fb else "'[]'"
            comment = "f.comment" if "comment" in fb else "''"
            sql = (
                f"SELECT f.rowid AS id, f.question, f.answer, {citations} AS citations, f.rating, {comment} "
                f"AS comment, {correction} AS correction, {audience} AS audience "
                "FROM feedback f ORDER BY f.rowid"
            )
        else:
            raise ValueError(
                f"{db_path}: the feedback table has neither ask_id (with asks) nor question/answer"
            )
        rows = db.execute(sql).fetchall()
    finally:
        db.close()
    return [
        FeedbackRow(
            id=int(r["id"]),
            question=str(r["question"] or ""),
            answer=str(r["answer"] or ""),
            citations=_citations(r["citations"]),
            rating=str(r["rating"] if r["rating"] is not None else ""),
            comment=str(r["comment"] or ""),
            correction=str(r["correction"] or ""),
            audience=str(r["audience"] or "public"),
        )
        for r in rows
    ]


# --- turning a correction into a question -------------------------------------------------------


def required_facts(correction: str) -> tuple[list[str], str]:
    """(must_contain items, kind) for a correction: its facts as written, minus values it rejects."""
    items: list[str] = []
    kinds: set[str] = set()
    for start, _end, fact in fact_spans(correction):
        if fact.weak or _NEGATED.search(correction[max(0, start - 16) : start]):
            continue
        text = fact.text.strip().rstrip(".,;:")
        if fact.kind == FactKind.YEAR and any(text in other for other in items):
            continue
        if text and text not in items:
            items.append(text)
            kinds.add(
                "date" if fact.kind in _DATE_KINDS else "number" if fact.kind in _NUMBER_KINDS else "fact"
            )
    for label in find_judgements(correction, context=True):
        at = correction.lower().find(label.split()[0])
        if at >= 0 and _NEGATED.search(correction[max(0, at - 16) : at]):
            continue
        item = _JUDGEMENT_ALTERNATIVES.get(label, label)
        if item not in items:
            items.append(item)
            kinds.add("fact")
    kind = kinds.pop() if len(kinds) == 1 else "fact"
    return items, kind


def _stem(doc_id: str) -> str:
    path = PurePosixPath(doc_id.replace("\\", "/"))
    return path.stem if path.suffix else path.name


def question_from_feedback(row: FeedbackRow) -> Question | str:
    """The eval question for one rated-down, corrected row, or the reason it cannot be one."""
    if not row.rated_down:
        return "not rated down"
    fix = row.fix
    if not fix:
        return "rated down without a correction"
    if not row.question.strip():
        return "no question text"
    audience = row.audience if row.audience in ("public", "officer") else "public"
    base: dict[str, Any] = {
        "id": f"feedback-{row.id}",
        "question": row.question.strip(),
        "answer": fix,
        "audience": audience,
        "history": [],
        "must_contain": [],
        "expected_sources": [],
    }
    if _SHOULD_REFUSE.search(fix):
        return parse_question({**base, "kind": "guardrail"})
    if _NOT_COVERED.search(fix):
        return parse_question({**base, "kind": "unanswerable"})
    items, kind = required_facts(fix)
    if not items:
        return "no checkable fact (date, number, judgement) in the correction: write this one by hand"
    sources: list[str] = []
    for c in row.citations:
        quote = str(c.get("quote") or c.get("passage_text") or "")
        stem = _stem(str(c.get("doc_id") or ""))
        if stem and stem not in sources and any(contains(quote, item) for item in items):
            sources.append(stem)
    try:
        return parse_question({**base, "kind": kind, "must_contain": items, "expected_sources": sources})
    except ValueError as exc:
        return f"not a valid question: {exc}"


# --- exporting ----------------------------------------------------------------------------------


def _line(q: Question) -> str:
    record = {name: getattr(q, name) for name in FIELDS}
    for name in ("must_contain", "expected_sources", "history"):
        record[name] = list(record[name])
    return json.dumps(record, ensure_ascii=False)


def export_feedback(db_path: Path, out_path: Path) -> ExportResult:
    """Append a question to `out_path` for each new rated-down, corrected row; rows already there (same id or
    same question) are left alone."""
    existing: list[Question] = []
    if out_path.is_file() and out_path.read_text(encoding="utf-8").strip():
        existing = load_questions(out_path)
    ids = {q.id for q in existing}
    asked = {" ".join(q.question.casefold().split()) for q in existing}
    result = ExportResult()
    for row in read_feedback(db_path):
        made = question_from_feedback(row)
        if isinstance(made, str):
            if row.rated_down:
                result.skipped.append((row.id, made))
            continue
        key = " ".join(made.question.casefold().split())
        if made.id in ids or key in asked:
            continue
        ids.add(made.id)
        asked.add(key)
        result.added.append(made)
    if result.added:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        text = out_path.read_text(encoding="utf-8") if out_path.is_file() else ""
        prefix = "" if not text or text.endswith("\n") else "\n"
        with out_path.open("a", encoding="utf-8") as fh:
            fh.write(prefix + "".join(_line(q) + "\n" for q in result.added))
    return result


def main(
    db: Annotated[
        Path | None, typer.Option(help="Feedback SQLite. Default: the feedback_db setting.")
    ] = None,
    out: Annotated[Path, typer.Option(help="Question set to append to.")] = Path("evals/sets/feedback.jsonl"),
) -> None:
    """Export thumbs-down answers with a correction as eval questions (run them with `council eval --set`)."""
    from assistant.settings import load_settings

    path = db or load_settings().feedback_db
    try:
        result = export_feedback(path, out)
    except (OSError, ValueError, sqlite3.Error, QuestionFileError) as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Added {len(result.added)} question(s) to {out}.")
    for row_id, reason in result.skipped:
        typer.echo(f"Skipped feedback {row_id}: {reason}", err=True)


if __name__ == "__main__":  # pragma: no cover
    typer.run(main)
