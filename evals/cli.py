"""`council eval`: run a question set against a corpus, ours beside the baseline, and write the report.

The corpus is ingested into an eval index of its own (`<out>/.eval-index/<corpus key>/`), never the user's
index or Chroma server; re-runs reuse it (ingestion is idempotent and prunes files that have gone).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from evals.metrics import ALL, FloorResult, check_floors
from evals.questions import Question, QuestionFileError, load_questions
from evals.report import EvalRun, fmt, report_stem, write_report
from evals.runner import ProgressFn, assistant_answer_fn, instrument, run_questions

if TYPE_CHECKING:
    from assistant.service import Assistant
    from assistant.settings import Settings

__all__ = [
    "DEFAULT_FLOORS",
    "DEFAULT_SET",
    "eval_command",
    "eval_index_dir",
    "load_floors",
    "run_eval",
]

EVALS_DIR = Path(__file__).resolve().parent
DEFAULT_SET = EVALS_DIR / "sets" / "dev.jsonl"
DEFAULT_FLOORS = EVALS_DIR / "floors.json"
OURS_LABEL = "Council Q&A"
BASELINE_LABEL = "Baseline (LangChain recipe)"
EXIT_FLOORS = 1
EXIT_BAD_INPUT = 2


def eval_index_dir(out: Path, corpus: Path) -> Path:
    """The eval index for `corpus`: one folder per corpus path, under the report folder."""
    resolved = corpus.resolve()
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", resolved.name).strip("-") or "corpus"
    key = hashlib.sha256(str(resolved).encode()).hexdigest()[:10]
    return out / ".eval-index" / f"{slug}-{key}"


def load_floors(path: Path = DEFAULT_FLOORS) -> dict[str, Any]:
    """The floors file: {"set": ..., "min": {"<kind>.<metric>": bound}, "max": {...}}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read the floors file {path} ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: bad JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict) or not ({"min", "max"} & set(data)):
        raise ValueError(f"{path}: expected an object with 'min' and/or 'max' bounds")
    return data


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_eval(
    assistant: Assistant,
    questions: Sequence[Question],
    *,
    set_path: Path,
    corpus: Path,
    baseline_searcher: Any = None,
    retrieval: bool = False,
    floors: dict[str, Any] | None = None,
    floors_file: str = "",
    today: dt.date | None = None,
    progress: ProgressFn | None = None,
    notes: Sequence[str] = (),
) -> EvalRun:
    """Ask every question of our assistant (and of the baseline, if given a searcher) and gather the run."""
    started = dt.datetime.now().astimezone()
    t0 = time.perf_counter()
    ours_bot, ours_rec = instrument(assistant)
    systems = [
        run_questions(
            questions,
            assistant_answer_fn(ours_bot),
            name="ours",
            label=OURS_LABEL,
            retrieved_fn=ours_rec.take,
            progress=progress,
        )
    ]
    if baseline_searcher is not None:
        base_bot, base_rec = instrument(assistant, baseline_searcher)
        systems.append(
            run_questions(
                questions,
                assistant_answer_fn(base_bot),
                name="baseline",
                label=BASELINE_LABEL,
                retrieved_fn=base_rec.take,
                progress=progress,
            )
        )
    retrieval_md, retrieval_json = "", None
    if retrieval:
        retrieval_md, retrieval_json = _retrieval(assistant, questions)
    s = assistant.settings
    config = {
        "embeddings": s.embedding_backend,
        "top_k": s.top_k,
        "candidate_k": s.candidate_k,
        "chunk_size_tokens": s.chunk_size_tokens,
        "llm": s.llm_model if s.llm_base_url else "none",
    }
    run = EvalRun(
        started=started,
        seconds=time.perf_counter() - t0,
        set_path=_display(set_path),
        set_sha256=_file_sha256(set_path),
        questions=len(questions),
        corpus=_display(corpus),
        documents=len(assistant.store.doc_records()),
        today=today or assistant.today or dt.date.today(),
        config=config,
        systems=systems,
        retrieval_markdown=retrieval_md,
        retrieval=retrieval_json,
        notes=list(notes),
    )
    if floors is not None:
        run.floors = check_floors(systems[0].summary, floors)
        run.floors_file = floors_file
    return run


def _retrieval(assistant: Assistant, questions: Sequence[Question]) -> tuple[str, dict[str, Any] | None]:
    try:
        from evals import retrieval as retrieval_eval
    except ImportError:  # pragma: no cover - the module ships with the package
        return "Retrieval-mode comparison unavailable (evals/retrieval.py is missing).", None
    try:
        report = retrieval_eval.run_retrieval_eval(
            assistant, questions, modes=("dense", "keyword", "hybrid", "hybrid+recency")
        )
    except Exception as exc:  # an optional section: the answers already measured must still be reported
        return f"Retrieval-mode comparison failed: {type(exc).__name__}: {exc}", None
    return retrieval_eval.format_markdown(report), report.to_dict()


def _display(path: Path) -> str:
    """A path relative to the working folder when it is under it (reports stay portable)."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(resolved)


def _parse_today(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"--today must be a date like 2026-11-23, not {value!r}") from None


def _load_settings() -> Settings:
    from assistant.settings import load_settings

    try:
        return load_settings()
    except Exception as exc:  # pydantic ValidationError: show it plainly
        typer.echo(f"Error: bad setting: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _echo_headline(run: EvalRun) -> None:
    systems = run.systems
    names = ["metric", *(s.label for s in systems)]
    rows = [
        [name, *(fmt(name, s.summary[ALL].metrics()[name]) for s in systems)]
        for name in systems[0].summary[ALL].metrics()
    ]
    widths = [max(len(r[i]) for r in [names, *rows]) for i in range(len(names))]
    for row in [names, *rows]:
        typer.echo(
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
            )
        )


def _echo_floors(results: list[FloorResult]) -> None:
    broken = [f for f in results if not f.ok]
    for f in broken:
        metric = f.name.split(".", 1)[-1]
        sign = "≥" if f.direction == "min" else "≤"
        typer.echo(
            f"Floor broken: {f.name} = {fmt(metric, f.value)}, needs {sign} {fmt(metric, f.bound)}", err=True
        )
    if not broken:
        typer.echo(f"All {len(results)} floors met.")


def eval_command(
    set_path: Annotated[
        Path,
        typer.Option(
            "--set",
            help="Question set (JSONL, the format of evals/sets/dev.jsonl).",
            show_default="evals/sets/dev.jsonl",
        ),
    ] = DEFAULT_SET,
    corpus: Annotated[
        Path | None,
        typer.Option(
            help="Folder of papers to answer from, ingested into a separate eval index. "
            "Default: the corpus folder setting (data/corpus)."
        ),
    ] = None,
    retrieval: Annotated[
        bool,
        typer.Option(
            "--retrieval", help="Also compare retrieval modes: dense, BM25, hybrid, hybrid+recency."
        ),
    ] = False,
    baseline: Annotated[
        bool, typer.Option("--baseline/--no-baseline", help="Also run the plain LangChain baseline.")
    ] = True,
    check: Annotated[
        bool, typer.Option("--check-floors", help="Fail (exit 1) if a metric is below its floor.")
    ] = False,
    floors: Annotated[
        Path, typer.Option(help="Floors file for --check-floors.", show_default="evals/floors.json")
    ] = DEFAULT_FLOORS,
    out: Annotated[Path, typer.Option(help="Folder for the report (and the eval index).")] = Path("reports"),
    limit: Annotated[int, typer.Option(min=0, help="Only the first N questions (0: all).")] = 0,
    today: Annotated[
        str | None, typer.Option(help="Answer as if today were this date (YYYY-MM-DD). Default: today.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Evaluate answers on a question set: accuracy, citations, refusals, retrieval, latency; writes
    reports/eval-<date>.md and .json with plots, ours beside the baseline."""
    from tqdm import tqdm

    from assistant.errors import CouncilQAError
    from assistant.factory import store_for
    from assistant.service import Assistant
    from evals.baseline import build_baseline
    from vectorstore.indexer import Indexer

    as_of = _parse_today(today)
    settings = _load_settings()
    try:
        questions = load_questions(set_path)
    except QuestionFileError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if limit:
        questions = questions[:limit]
    bounds = None
    if check:
        try:
            bounds = load_floors(floors)
        except ValueError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
    corpus_dir = corpus or settings.corpus_dir
    if not corpus_dir.is_dir():
        typer.echo(f"Error: no corpus folder at {corpus_dir}. Pass --corpus PATH.", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    notes: list[str] = []
    if limit:
        notes.append(f"Limited to the first {len(questions)} questions (--limit).")
    if bounds is not None and bounds.get("set") and Path(str(bounds["set"])).name != set_path.name:
        notes.append(f"Floors were set for {bounds['set']}, not this question set.")
    index_dir = eval_index_dir(out, corpus_dir)
    eval_settings = settings.model_copy(update={"index_dir": index_dir, "chroma_url": ""})
    try:
        typer.echo(f"Ingesting {corpus_dir} into the eval index {index_dir} ...", err=True)
        store = store_for(eval_settings)
        report = Indexer(store, eval_settings.ingest()).sync([corpus_dir], prune=True)
        for line in report.summary_lines():
            typer.echo(f"  {line}", err=True)
        notes += [f"Skipped at ingest: {s.path}: {s.reason}" for s in report.skipped]
        assistant = Assistant.from_settings(eval_settings, store=store, today=as_of)
        searcher = None
        if baseline:
            typer.echo("Building the baseline index ...", err=True)
            searcher, skipped = build_baseline(
                corpus_dir,
                store.embeddings,
                index_dir / "baseline",
                max_file_size_mb=settings.max_file_size_mb,
            )
            notes += [f"Skipped by the baseline: {s}" for s in skipped]
    except CouncilQAError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from None

    total = len(questions) * (2 if baseline else 1)
    bar = tqdm(total=total, unit="q", desc="Evaluating", file=sys.stderr, disable=quiet, leave=False)

    def progress(i: int, n: int, record: Any) -> None:
        bar.update(1)

    try:
        run = run_eval(
            assistant,
            questions,
            set_path=set_path,
            corpus=corpus_dir,
            baseline_searcher=searcher,
            retrieval=retrieval,
            floors=bounds,
            floors_file=_display(floors),
            today=as_of,
            progress=progress,
            notes=notes,
        )
    finally:
        bar.close()
    stem = report_stem(run.started.date(), set_path, DEFAULT_SET)
    paths = write_report(run, out, stem)
    _echo_headline(run)
    typer.echo("")
    for system in run.systems:
        errors = [r for r in system.records if r.error]
        if errors:
            typer.echo(
                f"{system.label}: {len(errors)} question(s) raised an error (scored wrong); "
                f"first: {errors[0].question.id}: {errors[0].error}",
                err=True,
            )
    for path in paths[:2]:
        typer.echo(f"Report: {path}")
    if run.floors is not None:
        _echo_floors(run.floors)
        if not all(f.ok for f in run.floors):
            raise typer.Exit(EXIT_FLOORS)


def main() -> None:  # pragma: no cover - `python -m evals.cli` when the `council` command is not installed
    typer.run(eval_command)


if __name__ == "__main__":  # pragma: no cover
    main()
