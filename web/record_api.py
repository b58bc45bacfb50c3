"""`GET /api/record`: the inspection record as JSON, the same list `council record --json` prints; `GET /record`:
the same record as a page (`web.record_view`: comparison table and timelines, every value linked to its quote).

The public audience sees only records derived from open papers; the officer audience (bearer token) sees all. The
page is the public view (officers have it in their area, exempt papers included).
"""

# No `from __future__ import annotations` here: FastAPI must see the response models at run time.

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from assistant.errors import CouncilQAError
from web import pages
from web.record_view import view_html
from web.theme import Brand

Grade = Literal["outstanding", "good", "requires improvement to be good", "inadequate"]


class RecordCitation(BaseModel):
    field: str = Field(..., description="The field it supports: council, start_date, judgements.in_care, ...")
    file: str = Field(..., description="The paper (its id in the index, a path under the corpus folder).")
    page: int | None = Field(None, description="The page the quote is on (None: from the paper's metadata).")
    quote: str = Field(..., description="A span that occurs verbatim in that page's text (empty: metadata).")
    note: str = Field("", description="How a value was worked out when the paper does not say it in words.")


class RecordJudgements(BaseModel):
    overall_effectiveness: Grade | None
    impact_of_leaders: Grade | None
    help_and_protection: Grade | None
    in_care: Grade | None
    care_leavers: Grade | None


class RecordEntry(BaseModel):
    council: str
    publication_date: str | None = Field(None, description="ISO date.")
    start_date: str | None = Field(None, description="ISO date: first day of fieldwork.")
    end_date: str | None = Field(None, description="ISO date: last day of fieldwork.")
    framework: str | None = Field(
        None,
        description="ilacs-standard | ilacs-short | sif | focused-visit | monitoring-visit | jtai | area-send",
    )
    framework_label: str
    lead_inspector: str | None
    judgements: RecordJudgements
    other_judgements: dict[str, Grade | None] = Field(default_factory=dict)
    outcome: str | None = Field(None, description="An area SEND inspection's outcome.")
    source_file: str
    title: str
    source_url: str
    citations: list[RecordCitation]


def add_record_route(
    router: APIRouter, services: Any, check_officer: Any, error: Any, responses: Any
) -> None:
    @router.get(
        "/api/record",
        response_model=list[RecordEntry],
        responses=responses,
        tags=["record"],
        summary="Councils' inspection history from the papers, newest first, every field cited",
    )
    def record(
        request: Request,
        council: Annotated[
            str | None, Query(max_length=120, description="One council (e.g. 'Bury'); all when absent.")
        ] = None,
        audience: Annotated[
            Literal["public", "officer"], Query(description="Whose view: the public sees open papers only.")
        ] = "public",
        authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> Any:
        """Each inspection or visit: council, publication and fieldwork dates, framework, lead inspector, the five
        judgements (or an area SEND outcome), the paper it comes from, and a citation for every field."""
        if audience == "officer":
            check_officer(services, authorization, request)
        try:
            return services.record(audience).to_json(council)
        except CouncilQAError as exc:
            return error(exc)
        except ValueError as exc:
            return JSONResponse({"detail": str(exc)}, 400)

    @router.get("/record", include_in_schema=False, response_class=HTMLResponse)
    def record_page() -> Any:
        """The inspection record of open papers as a plain page (no script needed): residents' view."""
        body = '<link rel="stylesheet" href="/web/app.css">' + view_html(
            services, "public", "cqa-record-page", top=1
        )
        return pages.page("Inspection record", body, Brand.of(services.settings))
