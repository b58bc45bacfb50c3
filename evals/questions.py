"""The evaluation question set: one JSON object per line, checked strictly on load."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.guardrails import clean_question

__all__ = [
    "AUDIENCES",
    "FIELDS",
    "KINDS",
    "NO_ANSWER_KINDS",
    "OPTIONAL_FIELDS",
    "PHRASINGS",
    "SPLITS",
    "Question",
    "QuestionFileError",
    "load_questions",
    "parse_question",
]

KINDS: tuple[str, ...] = (
    "fact",
    "number",
    "date",
    "temporal",
    "comparison",
    "followup",
    "unanswerable",
    "guardrail",
)
AUDIENCES: tuple[str, ...] = ("public", "officer")
NO_ANSWER_KINDS: tuple[str, ...] = ("unanswerable", "guardrail")
PHRASINGS: tuple[str, ...] = ("councillor", "officer", "resident")  # who the question is phrased as
SPLITS: tuple[str, ...] = (
    "dev",
    "tune",
    "validation",
    "fresh",
    "fresh2",
    "tune2",
    "tune3",
    "tune4",
    "fresh3",
)  # see evals/paper_split.py

_TEXT_FIELDS = ("id", "question", "answer", "kind", "audience")
_LIST_FIELDS = ("must_contain", "expected_sources", "history")
FIELDS: tuple[str, ...] = (
    "id",
    "question",
    "answer",
    "must_contain",
    "expected_sources",
    "kind",
    "audience",
    "history",
)
# Optional: `phrasing` (one of PHRASINGS), `split` (one of SPLITS), `about` (papers an unanswerable or guardrail
# question is about, by file stem, for the paper split), `tags` (free labels such as "multi-part" or "vague"),
# `computed` (must_contain items that are the result of arithmetic on dated facts, e.g. "five years", so they
# are not expected verbatim in any paper).
OPTIONAL_FIELDS: tuple[str, ...] = ("phrasing", "split", "about", "tags", "computed")
_OPTIONAL_TEXT = {"phrasing": PHRASINGS, "split": SPLITS}
_OPTIONAL_LISTS = ("about", "tags", "computed")


@dataclass(frozen=True)
class Question:
    """One evaluation question; list fields are tuples so the object stays immutable."""

    id: str
    question: str
    answer: str
    must_contain: tuple[str, ...]
    expected_sources: tuple[str, ...]
    kind: str
    audience: str
    history: tuple[str, ...] = ()
    phrasing: str = ""
    split: str = ""
    about: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    computed: tuple[str, ...] = ()

    @property
    def papers(self) -> tuple[str, ...]:
        """The papers the question is about: its expected sources, then any it names in `about`."""
        return tuple(dict.fromkeys((*self.expected_sources, *self.about)))


class QuestionFileError(ValueError):
    """A question file that cannot be used; the message names the file, the line and the problem."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


def _check_text(record: dict[str, Any], name: str) -> str:
    value = record[name]
    if not isinstance(value, str):
        raise ValueError(f"field '{name}' must be a string, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"field '{name}' must not be empty")
    return value


def _check_list(record: dict[str, Any], name: str) -> tuple[str, ...]:
    value = record[name]
    if not isinstance(value, list):
        raise ValueError(f"field '{name}' must be a list of strings, not {type(value).__name__}")
    for i, item in enumerate(value, 1):
        if not isinstance(item, str):
            raise ValueError(f"field '{name}' item {i} must be a string, not {type(item).__name__}")
        if not item.strip():
            raise ValueError(f"field '{name}' item {i} must not be empty")
    return tuple(value)


def _check_consistency(q: Question) -> None:
    if q.kind not in KINDS:
        raise ValueError(f"unknown kind '{q.kind}' (expected one of: {', '.join(KINDS)})")
    if q.audience not in AUDIENCES:
        raise ValueError(f"unknown audience '{q.audience}' (expected one of: {', '.join(AUDIENCES)})")
    for i, item in enumerate(q.must_contain, 1):
        if any(not alt.strip() for alt in item.split("|")):
            raise ValueError(f"must_contain item {i} ({item!r}) has an empty alternative around '|'")
    if q.kind == "followup" and not q.history:
        raise ValueError("a followup question needs the earlier questions in 'history'")
    if q.kind != "followup" and q.history:
        raise ValueError(f"only followup questions may have a 'history' (this one is '{q.kind}')")
    if q.kind in NO_ANSWER_KINDS and (q.must_contain or q.expected_sources):
        raise ValueError(f"a '{q.kind}' question must have empty must_contain and expected_sources")
    stray = [item for item in q.computed if item not in q.must_contain]
    if stray:
        raise ValueError(f"computed item {stray[0]!r} is not one of the must_contain items")


def parse_question(record: object) -> Question:
    """Build a Question from one decoded JSON value; ValueError says what is wrong with it."""
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    missing = [name for name in FIELDS if name not in record]
    if missing:
        raise ValueError(f"missing field{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}")
    unknown = sorted(set(record) - set(FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        raise ValueError(f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}")
    text = {name: _check_text(record, name) for name in _TEXT_FIELDS}
    try:  # the eval set is an edge like the CLI and the web: its questions are cleaned here, once
        text["question"] = clean_question(text["question"])
    except ValueError as exc:
        raise ValueError(f"field 'question': {exc}") from None
    lists = {name: _check_list(record, name) for name in _LIST_FIELDS}
    for name, allowed in _OPTIONAL_TEXT.items():
        if name in record:
            text[name] = _check_text(record, name)
            if text[name] not in allowed:
                raise ValueError(f"unknown {name} {text[name]!r} (expected one of: {', '.join(allowed)})")
    lists |= {name: _check_list(record, name) for name in _OPTIONAL_LISTS if name in record}
    question = Question(
        id=text["id"],
        question=text["question"],
        answer=text["answer"],
        must_contain=lists["must_contain"],
        expected_sources=lists["expected_sources"],
        kind=text["kind"],
        audience=text["audience"],
        history=lists["history"],
        phrasing=text.get("phrasing", ""),
        split=text.get("split", ""),
        about=lists.get("about", ()),
        tags=lists.get("tags", ()),
        computed=lists.get("computed", ()),
    )
    _check_consistency(question)
    return question


def load_questions(path: Path | str) -> list[Question]:
    """Read a JSONL question file; blank lines are skipped, anything else wrong raises QuestionFileError."""
    try:
        raw_lines = Path(path).read_bytes().splitlines()
    except OSError as exc:
        raise QuestionFileError(path, None, f"cannot read the file ({exc.strerror or exc})") from exc
    questions: list[Question] = []
    first_seen: dict[str, int] = {}
    for number, raw in enumerate(raw_lines, 1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise QuestionFileError(path, number, f"not valid UTF-8 ({exc.reason})") from exc
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionFileError(path, number, f"bad JSON: {exc.msg} (column {exc.colno})") from exc
        try:
            question = parse_question(record)
        except ValueError as exc:
            raise QuestionFileError(path, number, str(exc)) from exc
        if question.id in first_seen:
            problem = f"duplicate id '{question.id}' (first used on line {first_seen[question.id]})"
            raise QuestionFileError(path, number, problem)
        first_seen[question.id] = number
        questions.append(question)
    if not questions:
        raise QuestionFileError(path, None, "the file holds no questions")
    return questions
