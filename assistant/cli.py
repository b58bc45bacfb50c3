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
    from assistant.render import answer_as_text

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


@app.command("settings")
def show_settings() -> None:
    """Show every setting, its current value and what it does (set them as COUNCIL_<NAME>)."""
    settings = _settings()
    for name, field in Settings.model_fields.items():
        value = getattr(settings, name)
        if "key" in name or "password" in name or "token" in name:
            value = "***" if value and value != "not-needed" else value
        typer.echo(f"COUNCIL_{name.upper()} = {value!s}\n    {field.description}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 7860).")] = None,
) -> None:
    """Start the web app (chat, widget and API)."""
    import uvicorn

    from app import create_app

    settings = _settings()
    uvicorn.run(
        create_app(settings), host=host or settings.host, port=port or settings.port, log_level="info"
    )


def _register_eval() -> None:
    """`council eval` lives in evals/ (evals sits above assistant); the CLI is the one composition root allowed to
    import it (see the import-linter contract in pyproject.toml)."""
    from evals.cli import eval_command

    app.command("eval")(eval_command)


_register_eval()


def main() -> None:  # pragma: no cover
    app()
