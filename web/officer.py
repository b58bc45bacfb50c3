"""The officer area (`/officer/`): ask over all papers, upload papers, the library and the audit log."""

# No `from __future__ import annotations`: Gradio reads the hints at run time.

import datetime as dt
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import CouncilQAError
from ingest.documents import DocType
from ingest.loaders import SUPPORTED_SUFFIXES
from vectorstore.audience import Audience
from vectorstore.filters import FilterError, parse_day
from web.chat import TITLE, chat_panel, header, skip_link
from web.record_view import record_tab
from web.services import Services
from web.theme import Brand
from web.uploads import CLASSIFICATIONS, UploadJob


def _job_markdown(job: UploadJob) -> str:
    lines = [f"**{job.message or job.state}**"]
    if job.state == "ingesting" and job.total:
        lines.append(
            f"Progress: {job.done} of {job.total} files checked{' — ' + job.current if job.current else ''}."
        )
    for f in job.files:
        detail = f" — {f.detail}" if f.detail else ""
        lines.append(f"- `{f.name}`: {f.status}{detail}")
    return "\n".join(lines)


class OfficerHandlers:
    def __init__(self, services: Services, exports: Path | None = None) -> None:
        self.services = services
        self.exports = exports  # the officer mount's own folder: no other mount serves it

    def upload(
        self,
        files: list[str] | None,
        classification: str,
        title: str,
        body: str,
        date: str,
        doc_type: str | None,
    ) -> Iterator[str]:
        """Check, stage and ingest the files, yielding progress until the background job finishes."""
        if not files:
            yield "Choose one or more files first."
            return
        if classification not in CLASSIFICATIONS:  # fail closed: never guess "open"
            yield "Choose whether the papers are exempt (not for publication) or open (published)."
            return
        try:
            parse_day(date, "The date")
        except FilterError as exc:
            yield str(exc)
            return
        fields = {"classification": classification, "title": title, "body": body, "date": date.strip()}
        if doc_type:
            fields["doc_type"] = doc_type
        job = self.services.uploads.submit([(Path(f), Path(f).name) for f in files], fields)
        while True:
            yield _job_markdown(job)
            if job.finished:
                return
            time.sleep(0.5)  # polling the background job, not a delay of the answer

    def library(self) -> tuple[str, list[list[Any]]]:
        try:
            lib = self.services.library(Audience.OFFICER)
        except CouncilQAError as exc:
            return str(exc), []
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(lib.by_classification.items()))
        summary = f"{lib.coverage_sentence()}. {lib.chunks} chunks. By classification: {counts or 'none'}."
        rows = [
            [
                d.title,
                d.date.isoformat() if d.date else "",
                d.body,
                d.doc_type,
                d.classification,
                d.chunks,
                d.doc_id,
            ]
            for d in lib.documents
        ]
        return summary, rows

    def audit(self, feedback_only: bool) -> tuple[str, list[list[Any]]]:
        fb = self.services.feedback
        c = fb.counts()
        summary = (
            f"{c['asks']} questions logged; {c['up']} rated helpful, {c['down']} not helpful, "
            f"{c['comments']} with comments."
        )
        rating = {1: "up", -1: "down", 0: "", None: ""}
        rows = [
            [
                r.created_at,
                r.surface,
                r.audience,
                r.question,
                r.status,
                rating.get(r.rating, ""),
                r.comment,
                r.user,
            ]
            for r in fb.asks(limit=500, with_feedback_only=feedback_only)
        ]
        return summary, rows

    def export(self, feedback_only: bool) -> str:
        name = "feedback" if feedback_only else "questions"
        if self.exports is not None:
            self.exports.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder = Path(tempfile.mkdtemp(prefix="council-qa-export-", dir=self.exports))
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        return str(self.services.feedback.write_csv(folder / f"council-qa-{name}-{stamp}.csv", feedback_only))


def build_officer(
    services: Services, brand: Brand | None = None, sign_out: bool = True, exports: Path | None = None
) -> gr.Blocks:
    o = OfficerHandlers(services, exports)
    s = services.settings
    brand = brand or Brand.of(s)
    with gr.Blocks(title=f"{TITLE}: officer area", analytics_enabled=False) as demo:
        skip_link("cqa-question-officer")
        gr.HTML(
            header(
                brand,
                f"{TITLE}: officer area",
                "Questions here search exempt papers too. "
                + ('<a href="/officer/logout">Sign out</a> · ' if sign_out else "")
                + '<a href="/">Back to the public questions page</a>',
            )
        )
        with gr.Tabs():
            with gr.Tab("Ask (all papers)"):
                chat_panel(services, Audience.OFFICER, "officer", demo)
            with gr.Tab("Inspection record (all papers)", elem_id="cqa-tab-record-officer") as record:
                record_tab(services, Audience.OFFICER, "officer", record)
            with gr.Tab("Upload papers"):
                gr.Markdown(
                    f"Add papers to the library: {', '.join(sorted(SUPPORTED_SUFFIXES))}; up to "
                    f"{s.max_upload_mb:g} MB each. They are checked, saved under `uploads/` in the corpus "
                    "folder and ingested in the background; the chat keeps working meanwhile."
                )
                files = gr.File(
                    label="Papers to add", file_count="multiple", file_types=sorted(SUPPORTED_SUFFIXES)
                )
                classification = gr.Radio(
                    [("Exempt (not for publication)", "exempt"), ("Open (published)", "open")],
                    value="exempt",
                    label="Classification",
                    info="Open papers can be seen by residents in the widget and the public API.",
                )
                with gr.Row():
                    title = gr.Textbox(label="Title (optional)", max_length=300)
                    body = gr.Textbox(label="Committee or body (optional)", max_length=200)
                    date = gr.Textbox(label="Date (optional, YYYY-MM-DD)", max_length=10)
                    doc_type = gr.Dropdown([d.value for d in DocType], label="Document type (optional)")
                upload = gr.Button("Upload and ingest", variant="primary")
                progress = gr.Markdown("")
                upload.click(
                    o.upload,
                    [files, classification, title, body, date, doc_type],
                    progress,
                    api_visibility="private",
                    concurrency_limit=2,
                )
            with gr.Tab("Library") as lib_tab:
                lib_summary = gr.Markdown("")
                lib_table = gr.Dataframe(
                    headers=["Title", "Date", "Body", "Type", "Classification", "Chunks", "Document id"],
                    interactive=False,
                    wrap=True,
                )
                refresh = gr.Button("Refresh", size="sm")
                for trigger in (lib_tab.select, refresh.click):
                    trigger(o.library, None, [lib_summary, lib_table], api_visibility="private")
            with gr.Tab("Questions and feedback") as audit_tab:
                audit_summary = gr.Markdown("")
                only = gr.Checkbox(value=True, label="Only answers that were rated or commented on")
                audit_table = gr.Dataframe(
                    headers=[
                        "When (UTC)",
                        "Where",
                        "Audience",
                        "Question",
                        "Status",
                        "Rating",
                        "Comment",
                        "User",
                    ],
                    interactive=False,
                    wrap=True,
                )
                with gr.Row():
                    export = gr.Button("Export as CSV", size="sm")
                    csv_file = gr.File(label="CSV export", interactive=False)
                for trigger in (audit_tab.select, only.change):
                    trigger(o.audit, only, [audit_summary, audit_table], api_visibility="private")
                export.click(o.export, only, csv_file, api_visibility="private")
    return demo
