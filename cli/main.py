"""`council`: ingest papers, ask questions, list sources, show settings, serve the UI, run evals."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from assistant.errors import CouncilQAError
from assistant.settings import Settings, load_settings
from evals import eval_command

app = typer.Typer(
    help="Council Q&A: answers about a council's children's services papers, with citations you can check.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_SKIPPED = 3  # ingest finished, but some files were skipped


def _settings() -> Settings:
    try:
        return load_settings()
    except Exception as exc:  # pydantic ValidationError: show it plainly
        typer.echo(f"Error: bad setting: {exc}", err=True)
        raise typer.Exit(2) from None


def _fail(exc: Exception) -> typer.Exit:
    typer.echo(f"Error: {exc}", err=True)
    return typer.Exit(1)


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders of papers. Default: the corpus folder.")
    ] = None,
    prune: Annotated[
        bool, typer.Option(help="Remove documents whose files have gone from these folders.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Ingest papers into the index: new files are added, changed files replaced, unchanged files skipped."""
    from tqdm import tqdm

    from assistant.factory import store_for
    from vectorstore.indexer import Indexer

    settings = _settings()
    targets = paths or [settings.corpus_dir]
    lower_priority(settings.ingest_nice)
    try:
        store = store_for(settings)
        indexer = Indexer(store, settings.ingest())

        def bar(total: int) -> tqdm:
            return tqdm(
                total=total, unit="paper", desc="Ingesting", file=sys.stderr, disable=quiet, leave=False
            )

        report = indexer.sync(targets, prune=prune, progress=bar)
    except CouncilQAError as exc:
        raise _fail(exc) from None
    for line in report.summary_lines():
        typer.echo(line)
    if report.skipped:
        typer.echo(f"{len(report.skipped)} file(s) skipped; the rest were ingested.", err=True)
        raise typer.Exit(EXIT_SKIPPED)


def lower_priority(step: int) -> None:
    """Ingest yields the CPU to chat: embedding is the heavy part, and the two may share a machine."""
    if step <= 0 or not hasattr(os, "nice"):
        return
    with contextlib.suppress(OSError):  # not permitted here: ingest still runs, at normal priority
        os.nice(step)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question, in quotes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer object as JSON.")] = False,
    audience: Annotated[
        str, typer.Option(help="public (open papers only) or officer (also exempt papers).")
    ] = "public",
    date_from: Annotated[str | None, typer.Option(help="Only papers dated on or after (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option(help="Only papers dated on or before (YYYY-MM-DD).")] = None,
    body: Annotated[
        list[str] | None, typer.Option(help="Only papers of this committee/body (repeatable).")
    ] = None,
    doc_type: Annotated[
        list[str] | None, typer.Option("--type", help="Only this document type (repeatable).")
    ] = None,
    council: Annotated[list[str] | None, typer.Option(help="Only this council (repeatable).")] = None,
    passages: Annotated[
        bool, typer.Option("--passages", help="Show the retrieved passages, not an answer.")
    ] = False,
    k: Annotated[int, typer.Option(help="How many passages to use.")] = 0,
) -> None:
    """Ask a question; prints the answer, its citations and the date of the newest paper relied on."""
    from assistant.guardrails import clean_question
    from assistant.service import Assistant
    from vectorstore.audience import Audience
    from vectorstore.filters import SearchFilters

    settings = _settings()
    try:  # everything the person typed is checked here, once
        who = Audience.parse(audience)
        filters = SearchFilters.parse(date_from, date_to, body, doc_type, council)
        question = clean_question(question, settings.max_question_chars)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    try:
        bot = Assistant.from_settings(settings)
        if passages:
            result = bot.search(question, audience=who, filters=filters, k=k or settings.top_k)
            if as_json:
                typer.echo(json.dumps([_passage_json(p) for p in result.passages], indent=2))
                return
            for i, p in enumerate(result.passages, 1):
                typer.echo(_format_passage(i, p))
            if not result.passages:
                typer.echo("No passages found.")
            return
        answer = bot.ask(question, audience=who, filters=filters, k=k or None)
    except CouncilQAError as exc:
        raise _fail(exc) from None
    if as_json:
        typer.echo(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
        return
    from web.render import answer_as_text

    typer.echo(answer_as_text(answer))


def _passage_json(p: object) -> dict[str, object]:
    from vectorstore.retriever import passage_to_document

    doc = passage_to_document(p)  # type: ignore[arg-type]
    return {"text": doc.page_content, **doc.metadata}


def _format_passage(i: int, p: object) -> str:
    from ingest.text import fmt_date
    from vectorstore.passage import Passage

    assert isinstance(p, Passage)
    date = fmt_date(p.date)
    page = f", page {p.page_start}" if p.page_start else ""
    section = f" — {p.section}" if p.section else ""
    text = " ".join(p.text.split())
    return (
        f"[{i}] {p.title} ({date}{page}){section}\n    {p.doc_id} · score {p.score:.3f}\n    {text[:600]}\n"
    )


@app.command()
def sources(
    audience: Annotated[str, typer.Option(help="public or officer.")] = "officer",
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """What is indexed: documents by type, body and date range."""
    from assistant.factory import store_for
    from vectorstore.audience import Audience
    from vectorstore.catalog import Catalog

    settings = _settings()
    try:
        who = Audience.parse(audience)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    try:
        lib = Catalog(store_for(settings)).summary(who)
    except CouncilQAError as exc:
        raise _fail(exc) from None
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "documents": [d.to_dict() for d in lib.documents],
                    "by_type": lib.by_type,
                    "by_body": lib.by_body,
                    "by_classification": lib.by_classification,
                    "chunks": lib.chunks,
                    "earliest": str(lib.earliest or ""),
                    "latest": str(lib.latest or ""),
                },
                indent=2,
            )
        )
        return
    if not lib.documents:
        typer.echo("The index is empty. Run `council ingest data/corpus` first.")
        raise typer.Exit(1)
    typer.echo(f"{len(lib.documents)} documents, {lib.chunks} chunks, dated {lib.earliest} to {lib.latest}.")
    for title, table in (
        ("By type", lib.by_type),
        ("By body", lib.by_body),
        ("By classification", lib.by_classification),
    ):
        typer.echo(f"\n{title}:")
        for key, n in sorted(table.items(), key=lambda kv: (-kv[1], kv[0])):
            typer.echo(f"  {n:4d}  {key}")


@app.command()
def record(
    council: Annotated[
        str | None, typer.Option(help="One council (e.g. Bury); every council with a record when absent.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the list of inspections as JSON.")] = False,
    audience: Annotated[str, typer.Option(help="public (open papers only) or officer.")] = "officer",
) -> None:
    """The inspection history from the papers, newest first: dates, framework, lead inspector and judgements of
    each inspection and visit, each with the page and words it comes from, and the next standard inspection
    window."""
    from assistant.factory import store_for
    from assistant.record import InspectionRecord
    from assistant.record_text import record_as_text

    settings = _settings()
    try:
        store = store_for(settings)
        if not store.exists():
            raise _fail(RuntimeError("No index yet. Run `council ingest data/corpus` first."))
        rec = InspectionRecord.from_store(store, audience)
        if as_json:
            typer.echo(json.dumps(rec.to_json(council), indent=2, ensure_ascii=False))
            return
        typer.echo(record_as_text(rec, council))
    except (CouncilQAError, ValueError) as exc:
        raise _fail(exc) from None


@app.command("settings")
def show_settings() -> None:
    """Show every setting, its current value and what it does (set them as COUNCIL_<NAME>)."""
    settings = _settings()
    for name, field in Settings.model_fields.items():
        value = getattr(settings, name)
        if "key" in name or "password" in name or "token" in name:
            value = "***" if value and value != "not-needed" else value
        typer.echo(f"COUNCIL_{name.upper()} = {value!s}\n    {field.description}")


@app.command("purge-log")
def purge_log(
    older_than_days: Annotated[
        int | None,
        typer.Option(
            help="Delete questions logged more than this many days ago. Default: COUNCIL_LOG_RETENTION_DAYS."
        ),
    ] = None,
) -> None:
    """Delete logged questions, answers and feedback older than the retention period (the privacy notice's promise;
    the server also does this as it runs)."""
    from web.feedback import FeedbackStore

    settings = _settings()
    days = older_than_days if older_than_days is not None else settings.log_retention_days
    if days < 1:
        raise typer.BadParameter("--older-than-days must be at least 1")
    deleted = FeedbackStore(settings.feedback_db).purge(days)
    typer.echo(
        f"Deleted {deleted} question(s) logged more than {days} day(s) ago from {settings.feedback_db}."
    )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 7860).")] = None,
) -> None:
    """Start the web app (chat, widget and API)."""
    from web.server import run

    run(_settings(), host, port)


sync_app = typer.Typer(help="Fetch papers from a council's committee website.", no_args_is_help=True)
app.add_typer(sync_app, name="sync")


@sync_app.command("moderngov")
def sync_moderngov(
    url: Annotated[
        str, typer.Argument(help="The council's Modern.Gov site, e.g. https://democracy.example.gov.uk.")
    ] = "",
    committee: Annotated[
        list[str] | None, typer.Option(help="Only committees whose titles contain this (repeatable).")
    ] = None,
    keyword: Annotated[
        list[str] | None, typer.Option(help="Only agenda items whose titles contain this (repeatable).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only meetings on or after this day (YYYY-MM-DD).")
    ] = None,
    council: Annotated[str | None, typer.Option(help="The council's name for the papers' metadata.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be fetched; write nothing.")
    ] = False,
    ingest: Annotated[bool, typer.Option("--ingest", help="Then ingest the synced papers.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run's report as JSON.")] = False,
) -> None:
    """Sync committee papers from a Modern.Gov site: new and changed papers are fetched with their metadata
    (committee, meeting date, agenda item, links to minutes and decision); restricted papers are never fetched as
    open. Settings: COUNCIL_SYNC_* (`council settings`)."""
    from assistant.sync import index_synced, ingest_root
    from ingest.moderngov import FiltersError, SiteAddressError, SyncBusy, sync_site

    settings = _settings()
    if not (url or settings.sync_url):
        raise _fail(ValueError("give the site's address (or set COUNCIL_SYNC_URL)"))
    from vectorstore.filters import FilterError, parse_day

    try:
        start = parse_day(since, "--since")
    except FilterError as exc:
        raise _fail(exc) from None
    options = settings.moderngov(
        url,
        committees=tuple(committee or ()),
        keywords=tuple(keyword or ()),
        since=start,
        council=council,
        dry_run=dry_run,
    )
    try:
        report = sync_site(options)
    except (SiteAddressError, FiltersError, SyncBusy) as exc:
        raise _fail(exc) from None
    typer.echo(json.dumps(report.to_dict(), indent=2) if as_json else "\n".join(report.summary_lines()))
    if ingest and not dry_run:
        from assistant.factory import store_for

        lower_priority(settings.ingest_nice)
        typer.echo("\n".join(index_synced(settings, store_for(settings)).summary_lines()), err=as_json)
    elif not dry_run and report.changes:
        typer.echo(f"Next: council ingest {ingest_root(settings)} --prune", err=as_json)
    if not report.ok:
        raise typer.Exit(EXIT_SKIPPED)


app.command("eval")(eval_command)  # `council eval` lives in evals/, beside web/ under the CLI


def main() -> None:  # pragma: no cover
    app()
