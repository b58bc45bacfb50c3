"""Request and response models of the JSON API (they are what `/docs` publishes).

Limits live here so the OpenAPI spec states them: the question's length comes from settings, so
`ask_request_model(max_chars)` builds the request model for a given limit. Unknown fields and unknown document
types are rejected with a 422 naming the field; unknown committees or councils (checked against what is indexed)
are a 400 from the API layer.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model, model_validator

from assistant.answer import Answer, Citation
from vectorstore.audience import Audience
from vectorstore.filters import MAX_FILTER_VALUES, FilterError, SearchFilters

DocTypeName = Literal[
    "cabinet report",
    "inspection report",
    "monitoring/focused-visit letter",
    "scrutiny minutes",
    "complaints report",
    "summary",
    "guidance",
    "other",
]

MAX_HISTORY_TURNS = 10
MAX_ANSWER_CHARS = 20_000


def _iso_day(value: Any) -> Any:
    """A day is written YYYY-MM-DD; a number is not a date (pydantic would read 0 as 1 January 1970)."""
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return value.strip()  # "0" as a string would be read as a timestamp too
    raise ValueError("a date must be written YYYY-MM-DD")


IsoDay = Annotated[dt.date | None, BeforeValidator(_iso_day)]


class Filters(BaseModel):
    """Only papers matching every given filter are searched. Empty lists mean "any"."""

    model_config = ConfigDict(extra="forbid")

    date_from: IsoDay = Field(
        default=None, description="Only papers dated on or after this day (YYYY-MM-DD)."
    )
    date_to: IsoDay = Field(default=None, description="Only papers dated on or before this day (YYYY-MM-DD).")
    bodies: list[str] = Field(
        default_factory=list,
        max_length=MAX_FILTER_VALUES,
        description="Committees or bodies, as listed by GET /api/sources (by_body).",
    )
    doc_types: list[DocTypeName] = Field(
        default_factory=list, max_length=MAX_FILTER_VALUES, description="Document types."
    )
    councils: list[str] = Field(
        default_factory=list,
        max_length=MAX_FILTER_VALUES,
        description="Councils, as listed by GET /api/sources (councils).",
    )

    @model_validator(mode="after")
    def _check(self) -> Filters:
        self.to_search()  # the one check every surface shares; its FilterError is a ValueError (a 422 here)
        return self

    def to_search(self) -> SearchFilters:
        try:
            return SearchFilters.parse(
                self.date_from, self.date_to, self.bodies, self.doc_types, self.councils
            )
        except FilterError as exc:  # the API names its parameters
            raise ValueError(f"{', '.join(exc.fields)}: {exc}" if exc.fields else str(exc)) from None


class HistoryTurn(BaseModel):
    """An earlier question and the answer given, so a follow-up ("and the one before?") can be understood."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(..., max_length=5000)
    answer: str = Field(default="", max_length=MAX_ANSWER_CHARS)


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"question": "When is Bury's next Ofsted standard inspection window?"}]
        },
    )

    question: str = Field(..., min_length=1, description="The question, in plain words.")
    audience: Audience = Field(
        Audience.PUBLIC,
        description="`public`: published (open) papers only. `officer`: also exempt papers; needs the "
        "officer token as `Authorization: Bearer <token>`.",
    )
    filters: Filters = Field(default_factory=lambda: Filters())
    history: list[HistoryTurn] = Field(
        default_factory=list, max_length=MAX_HISTORY_TURNS, description="Earlier turns, oldest first."
    )

    def history_dicts(self) -> list[dict[str, str]]:
        return [{"question": t.question, "answer": t.answer} for t in self.history]


def ask_request_model(max_question_chars: int) -> type[AskRequest]:
    """`AskRequest` whose question may be at most `max_question_chars` long (published in the spec)."""
    return create_model(
        "AskRequest",
        __base__=AskRequest,
        question=(
            str,
            Field(
                ...,
                min_length=1,
                max_length=max_question_chars,
                description=f"The question, in plain words (at most {max_question_chars} characters).",
            ),
        ),
    )


class CitationOut(BaseModel):
    n: int = Field(..., description="The number used by the [n] markers in the answer.")
    doc_id: str
    chunk_id: str
    title: str
    date: dt.date | None
    body: str
    doc_type: str
    page: int | None
    section: str
    quote: str = Field(..., description="The span of the passage the answer rests on (verbatim).")
    passage_text: str
    source_url: str = Field(..., description="Where the paper was published, if known.")
    score: float
    agenda_item: str = Field("", description="For a paper synced from a committee site: its agenda item.")
    links: dict[str, str] = Field(
        default_factory=dict,
        description="For a paper synced from a committee site: its meeting page, minutes, decision and issue "
        "history on the council's site, by label.",
    )
    url: str | None = Field(
        default=None, description="Link to open the original document, if it can be opened."
    )

    @classmethod
    def of(cls, c: Citation, url: str | None) -> CitationOut:
        return cls(**c.to_dict(), url=url)


class AnswerOut(BaseModel):
    question: str
    answer: str = Field(..., description="The answer text with [n] citation markers.")
    status: Literal["answered", "partial", "not_found", "refused"]
    as_at: str = Field(..., description="Which papers the answer rests on, by date.")
    citations: list[CitationOut]
    closest: list[CitationOut] = Field(
        default_factory=list, description="When not found: the nearest passages (they do not answer it)."
    )
    notes: list[str]
    answerer: str

    @classmethod
    def of(cls, answer: Answer, url_for: Any) -> AnswerOut:
        return cls(
            question=answer.question,
            answer=answer.text,
            status=answer.status.value,
            as_at=answer.as_at,
            citations=[CitationOut.of(c, url_for(c)) for c in answer.citations],
            closest=[CitationOut.of(c, url_for(c)) for c in answer.closest],
            notes=list(answer.notes),
            answerer=answer.answerer,
        )


class SourceDocument(BaseModel):
    doc_id: str
    title: str
    date: str = Field(..., description="YYYY-MM-DD, or empty when undated.")
    council: str
    body: str
    doc_type: str
    classification: str
    chunks: int
    url: str | None = None


class SourcesOut(BaseModel):
    coverage: str = Field(..., description="One sentence: how many papers, which dates, which bodies.")
    documents: list[SourceDocument]
    by_type: dict[str, int]
    by_body: dict[str, int]
    by_classification: dict[str, int]
    councils: list[str]
    earliest: dt.date | None
    latest: dt.date | None
    chunks: int


class Health(BaseModel):
    status: Literal["ok", "no_index"]
    documents: int = Field(..., description="Documents indexed (all classifications).")
    detail: str = ""


class ErrorOut(BaseModel):
    detail: str
