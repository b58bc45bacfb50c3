"""`council eval`: run question sets against a corpus, ours beside the baseline, and write the reports.

By default the dev, validation and fresh sets run one after the other (`--sets`; see evals/suites.py) and a
side-by-side report is written beside each set's own report; `--set FILE` runs one question file.

The corpus is ingested into an eval index of its own (`<out>/.eval-index/<corpus key>/`, one per set of folders
answered from), never the user's index or Chroma server; re-runs reuse it (ingestion is idempotent and prunes
files that have gone).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from evals.jsonfile import read_json
from evals.metrics import ALL, FloorResult, check_floors
from evals.questions import Question, QuestionFileError, load_questions
from evals.report import EvalRun, fmt, report_stem, write_report
from evals.runner import ProgressFn, assistant_answer_fn, instrument, run_questions
from evals.sidebyside import ROWS as SIDE_BY_SIDE_ROWS
from evals.sidebyside import SetResult, write_sets_report
from evals.suites import DEFAULT_SETS, EvalSet, parse_sets

if TYPE_CHECKING:
    from assistant.service import Assistant
    from assistant.settings import Settings

__all__ = [
    "DEFAULT_FLOORS",
    "DEFAULT_SET",
    "eval_command",
    "eval_index_dir",
    "floors_for",
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


def eval_index_dir(out: Path, corpus: Path | Sequence[Path]) -> Path:
    """The eval index for `corpus` (a folder, or the folders answered from together): one per set of paths."""
    roots = [p.resolve() for p in ([corpus] if isinstance(corpus, Path) else corpus)]
    slug = "+".join(re.sub(r"[^A-Za-z0-9_-]+", "-", p.name).strip("-") or "corpus" for p in roots)
    key = hashlib.sha256("\0".join(map(str, roots)).encode()).hexdigest()[:10]
    return out / ".eval-index" / f"{slug}-{key}"


def _check_bounds(where: str, section: object) -> None:
    if not isinstance(section, dict) or not ({"min", "max"} & set(section)):
        raise ValueError(f"{where}: expected an object with 'min' and/or 'max' bounds")


def load_floors(path: Path = DEFAULT_FLOORS) -> dict[str, Any]:
    """The floors file: {"sets": {"<set name>": {"set": ..., "min": {"<kind>.<metric>": bound}, "max": {...}}}},
    or, for a single set, just {"set": ..., "min": ..., "max": ...}."""
    data = read_json(path, "floors file")
    if isinstance(data, dict) and "sets" in data:
        if not isinstance(data["sets"], dict) or not data["sets"]:
            raise ValueError(f"{path}: 'sets' must map set names to their bounds")
        for name, section in data["sets"].items():
            _check_bounds(f"{path}, set {name!r}", section)
    else:
        _check_bounds(str(path), data)
    return data


def floors_for(floors: dict[str, Any], set_name: str) -> dict[str, Any] | None:
    """The bounds for one set: its section of a per-set file, the whole of a single-set file, or None."""
    if "sets" not in floors:
        return floors
    section = floors["sets"].get(set_name)
    return dict(section) if isinstance(section, dict) else None


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_eval(
    assistant: Assistant,
    questions: Sequence[Question],
    *,
    set_path: Path,
    corpus: Path | Sequence[Path],
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
        corpus=" + ".join(_display(p) for p in ([corpus] if isinstance(corpus, Path) else corpus)),
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


def _echo_floors(results: list[FloorResult], sets: Sequence[str] = ()) -> None:
    broken = [f for f in results if not f.ok]
    for f in broken:
        metric = f.name.split(".", 1)[-1]
        sign = "≥" if f.direction == "min" else "≤"
        typer.echo(
            f"Floor broken: {f.name} = {fmt(metric, f.value)}, needs {sign} {fmt(metric, f.bound)}", err=True
        )
    if not broken:
        where = f" ({', '.join(sets)})" if sets else ""
        typer.echo(f"All {len(results)} floors met{where}.")


@dataclass
class _Job:
    """One question set to run: its name (for floors and reports), file and the folders it is answered from."""

    name: str
    path: Path
    roots: tuple[Path, ...]
    questions: list[Question]


@dataclass
class _Prepared:
    """An eval index ready to answer from, and the baseline beside it (shared by sets with the same folders)."""

    assistant: Any
    searcher: Any
    notes: list[str]
    seconds: float


def _jobs(set_path: Path | None, sets: str | None, corpus_dir: Path, limit: int) -> list[_Job]:
    if set_path is not None and sets is not None:
        raise typer.BadParameter("give --set FILE or --sets NAMES, not both")
    chosen: list[tuple[str, Path, tuple[Path, ...]]]
    if set_path is not None:
        chosen = [(set_path.stem, set_path, (corpus_dir,))]
    else:
        try:
            picked: list[EvalSet] = parse_sets(sets if sets is not None else ",".join(DEFAULT_SETS))
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--sets") from None
        chosen = [(s.name, s.path, (corpus_dir, *s.extra_corpora)) for s in picked]
    jobs = []
    for name, path, roots in chosen:
        questions = load_questions(path)
        jobs.append(_Job(name, path, roots, questions[:limit] if limit else questions))
    return jobs


def _prepare(
    settings: Settings, roots: Sequence[Path], out: Path, baseline: bool, as_of: dt.date | None
) -> _Prepared:
    """Ingest `roots` into their eval index (a no-op when unchanged) and build the assistant and baseline."""
    from assistant.factory import store_for
    from assistant.service import Assistant
    from evals.baseline import build_baseline
    from vectorstore.indexer import Indexer

    t0 = time.perf_counter()
    index_dir = eval_index_dir(out, roots)
    eval_settings = settings.model_copy(update={"index_dir": index_dir, "chroma_url": ""})
    shown = " + ".join(str(r) for r in roots)
    typer.echo(f"Ingesting {shown} into the eval index {index_dir} ...", err=True)
    store = store_for(eval_settings)
    report = Indexer(store, eval_settings.ingest()).sync(list(roots), prune=True)
    for line in report.summary_lines():
        typer.echo(f"  {line}", err=True)
    notes = [f"Skipped at ingest: {s.path}: {s.reason}" for s in report.skipped]
    assistant = Assistant.from_settings(eval_settings, store=store, today=as_of)
    searcher = None
    if baseline:
        typer.echo("Building the baseline index ...", err=True)
        searcher, skipped = build_baseline(
            list(roots), store.embeddings, index_dir / "baseline", max_file_size_mb=settings.max_file_size_mb
        )
        notes += [f"Skipped by the baseline: {s}" for s in skipped]
    return _Prepared(assistant, searcher, notes, time.perf_counter() - t0)


def _echo_sets(results: Sequence[SetResult]) -> None:
    names = ["metric", *(r.name for r in results)]
    rows = [
        [label, *(_set_cell(r, kind, metric) for r in results)] for label, kind, metric in SIDE_BY_SIDE_ROWS
    ]
    rows.append(
        ["seconds (index + answers)", *(f"{r.ingest_seconds:.0f} + {r.run.seconds:.0f}" for r in results)]
    )
    widths = [max(len(row[i]) for row in [names, *rows]) for i in range(len(names))]
    for row in [names, *rows]:
        typer.echo(
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
            )
        )


def _set_cell(result: SetResult, kind: str, metric: str) -> str:
    value = result.value(kind, metric)
    if metric == "n":
        return "—" if value is None else f"{value:.0f}"
    return fmt(metric, value)


def eval_command(
    set_path: Annotated[
        Path | None,
        typer.Option(
            "--set",
            help="One question file (JSONL, the format of evals/sets/dev.jsonl), instead of --sets.",
            show_default=False,
        ),
    ] = None,
    sets: Annotated[
        str | None,
        typer.Option(
            "--sets",
            help="Named question sets to run side by side, comma-separated: dev, validation, fresh, fresh2, tune "
            "(see evals/suites.py). fresh also answers from the papers in evals/fresh/corpus.",
            show_default="dev,validation,fresh,fresh2",
        ),
    ] = None,
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
    limit: Annotated[int, typer.Option(min=0, help="Only the first N questions of each set (0: all).")] = 0,
    today: Annotated[
        str | None, typer.Option(help="Answer as if today were this date (YYYY-MM-DD). Default: today.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Evaluate answers on question sets: accuracy, citations, refusals, retrieval, latency, precision against
    coverage. By default the dev, validation and fresh sets side by side: reports/eval-<date>-sets.md, and each
    set's own report (eval-<date>.md for dev, eval-<date>-<set>.md for the others), ours beside the baseline."""
    from tqdm import tqdm

    from assistant.errors import CouncilQAError

    as_of = _parse_today(today)
    settings = _load_settings()
    corpus_dir = corpus or settings.corpus_dir
    try:
        jobs = _jobs(set_path, sets, corpus_dir, limit)
    except QuestionFileError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    bounds: dict[str, Any] | None = None
    if check:
        try:
            bounds = load_floors(floors)
        except ValueError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        missing = [j.name for j in jobs if floors_for(bounds, j.name) is None]
        if missing and set_path is not None:
            typer.echo(f"Error: {_display(floors)} has no floors for the set {missing[0]!r}.", err=True)
            raise typer.Exit(EXIT_BAD_INPUT)
    for root in {r for j in jobs for r in j.roots}:
        if not root.is_dir():
            typer.echo(f"Error: no corpus folder at {root}. Pass --corpus PATH.", err=True)
            raise typer.Exit(EXIT_BAD_INPUT)

    prepared: dict[tuple[Path, ...], _Prepared] = {}
    results: list[SetResult] = []
    for job in jobs:
        try:
            ready = job.roots in prepared
            if not ready:
                prepared[job.roots] = _prepare(settings, job.roots, out, baseline, as_of)
            prep = prepared[job.roots]
        except CouncilQAError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(1) from None
        notes = list(prep.notes)
        if limit:
            notes.append(f"Limited to the first {len(job.questions)} questions (--limit).")
        section = floors_for(bounds, job.name) if bounds is not None else None
        if section is not None and section.get("set") and Path(str(section["set"])).name != job.path.name:
            notes.append(f"Floors were set for {section['set']}, not this question set.")
        if bounds is not None and section is None:
            notes.append(f"No floors for the set {job.name!r} in {_display(floors)}.")
        total = len(job.questions) * (2 if baseline else 1)
        desc = f"Evaluating {job.name}"
        bar = tqdm(total=total, unit="q", desc=desc, file=sys.stderr, disable=quiet, leave=False)

        def progress(i: int, n: int, record: Any, bar: Any = bar) -> None:
            bar.update(1)

        try:
            run = run_eval(
                prep.assistant,
                job.questions,
                set_path=job.path,
                corpus=job.roots,
                baseline_searcher=prep.searcher,
                retrieval=retrieval,
                floors=section,
                floors_file=_display(floors),
                today=as_of,
                progress=progress,
                notes=notes,
            )
        finally:
            bar.close()
        stem = report_stem(run.started.date(), job.path, DEFAULT_SET)
        paths = write_report(run, out, stem)
        results.append(SetResult(job.name, run, 0.0 if ready else prep.seconds, paths[0].name))
        if set_path is not None:
            _echo_headline(run)
            typer.echo("")
        for system in run.systems:
            errors = [r for r in system.records if r.error]
            if errors:
                typer.echo(
                    f"{job.name}, {system.label}: {len(errors)} question(s) raised an error (scored wrong); "
                    f"first: {errors[0].question.id}: {errors[0].error}",
                    err=True,
                )
        for path in paths[:2]:
            typer.echo(f"Report: {path}")
    if set_path is None:
        sets_paths = write_sets_report(results, out, f"eval-{results[0].run.started.date().isoformat()}-sets")
        typer.echo("")
        _echo_sets(results)
        typer.echo("")
        for path in sets_paths[:2]:
            typer.echo(f"Report: {path}")
    checked = [(r.name, f) for r in results for f in (r.run.floors or [])]
    if bounds is not None:
        _echo_floors([f for _, f in checked], [r.name for r in results if r.run.floors is not None])
        if not all(f.ok for _, f in checked):
            raise typer.Exit(EXIT_FLOORS)


def main() -> None:  # pragma: no cover - `python -m evals.cli` when the `council` command is not installed
    typer.run(eval_command)


if __name__ == "__main__":  # pragma: no cover
    main()
