"""Several question sets side by side: one table of the headline figures per set, accuracy by who phrased the
question, and a precision–coverage curve per set (`reports/eval-<date>-sets.md`, `.json` and `-coverage.png`).

Each set's own report (every metric by kind, every failed question) is written beside it by `evals.report`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.metrics import ALL, COVERAGE_GRID, CoveragePoint, mean, precision_coverage
from evals.report import EvalRun, fmt
from evals.runner import SystemRun

__all__ = ["ROWS", "SetResult", "render_sets_markdown", "sets_to_json", "write_sets_report"]

# (label, kind, metric): the targets, in the order a reader checks them
ROWS: tuple[tuple[str, str, str], ...] = (
    ("Questions", ALL, "n"),
    ("Answer accuracy", ALL, "answer_accuracy"),
    ("Unanswerable questions answered (lower is better)", "unanswerable", "answered_rate"),
    ("False refusals (lower is better)", ALL, "false_refusal_rate"),
    ("CRAG score (−1…+1)", ALL, "crag"),
    ("Temporal accuracy", "temporal", "answer_accuracy"),
    ("Comparison accuracy", "comparison", "answer_accuracy"),
    ("Guardrail refusals", "guardrail", "refusal_accuracy"),
    ("Citation precision", ALL, "citation_precision"),
    ("Quotes verbatim in passage", ALL, "quotes_verbatim"),
    ("Retrieval hit@4", ALL, "hit@4"),
    ("Latency p50", ALL, "latency_p50_ms"),
    ("Latency p95", ALL, "latency_p95_ms"),
)


@dataclass
class SetResult:
    """One set's run, how long it took, and where its own report went."""

    name: str
    run: EvalRun
    ingest_seconds: float
    report: str = ""  # the set's own markdown report, relative to the combined one

    @property
    def ours(self) -> SystemRun:
        return self.run.ours

    def value(self, kind: str, metric: str) -> float | None:
        summary = self.ours.summary.get(kind)
        if summary is None:
            return None
        return float(summary.n) if metric == "n" else summary.metrics()[metric]

    def curve(self, thresholds: Sequence[float] | None = None) -> list[CoveragePoint]:
        return precision_coverage([r.score for r in self.ours.records], thresholds)

    def confidence_given(self) -> int:
        """How many answers carried the answerer's own confidence (`Answer.answerability`)."""
        return sum(r.answerability is not None for r in self.ours.records)

    def phrasing_accuracy(self) -> dict[str, tuple[int, float | None]]:
        by: dict[str, list[bool]] = {}
        for r in self.ours.records:
            by.setdefault(r.question.phrasing or "(not given)", []).append(r.score.correct)
        return {k: (len(v), mean(v)) for k, v in sorted(by.items())}


def _cell(metric: str, value: float | None) -> str:
    if metric == "n":
        return "—" if value is None else f"{value:.0f}"
    return fmt(metric, value)


def _took(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"


def render_sets_markdown(results: Sequence[SetResult], plot: str = "") -> str:
    first = results[0].run
    names = [r.name for r in results]
    lines = [
        f"# Council Q&A evaluation, sets side by side — {first.started.date().isoformat()}",
        "",
        f"- Answerer: {first.ours.answerer or 'n/a'}; "
        + ", ".join(f"{k} {v}" for k, v in first.config.items()),
        f"- Answered as at {first.today.isoformat()}",
    ]
    for r in results:
        lines.append(
            f"- `{r.name}`: `{r.run.set_path}` ({r.run.questions} questions) answered from `{r.run.corpus}` "
            f"({r.run.documents} documents); index ready in {_took(r.ingest_seconds)}, "
            f"questions answered in {_took(r.run.seconds)}"
            + (f"; report [{Path(r.report).name}]({r.report})" if r.report else "")
        )
    lines += ["", "## Headline", "", "| Metric | " + " | ".join(names) + " |"]
    lines.append("|---|" + "---:|" * len(names))
    for label, kind, metric in ROWS:
        cells = " | ".join(_cell(metric, r.value(kind, metric)) for r in results)
        lines.append(f"| {label} | {cells} |")
    by_name = {r.name: r for r in results}
    if "dev" in by_name and "validation" in by_name:
        dev, val = (by_name[n].value(ALL, "answer_accuracy") for n in ("dev", "validation"))
        if dev is not None and val is not None:
            lines += ["", f"Accuracy gap, dev minus validation: {100 * (dev - val):+.1f} points."]
    lines += [
        "",
        "Unanswerable questions answered: the share of `unanswerable` questions given an answer. Temporal and "
        "comparison accuracy: the `temporal` and `comparison` kinds only. Every other definition is in each "
        "set's own report.",
        "",
        "## Accuracy by who phrased the question",
        "",
        "| Phrasing | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    phrasings = sorted({p for r in results for p in r.phrasing_accuracy()})
    for p in phrasings:
        per_set: list[str] = []
        for r in results:
            n, acc = r.phrasing_accuracy().get(p, (0, None))
            per_set.append(f"{fmt('answer_accuracy', acc)} (n={n})" if n else "—")
        lines.append(f"| {p} | " + " | ".join(per_set) + " |")
    lines += [
        "",
        "## Precision against coverage",
        "",
        "Questions sorted by the answerer's confidence (`Answer.answerability`); at each threshold only the "
        "answers with at least that confidence count as answered. Coverage: the share of all questions answered; "
        "precision: the share of those answers that are correct (an answer to an unanswerable or guardrail "
        "question is wrong).",
        "",
    ]
    for r in results:
        given = r.confidence_given()
        if not given:
            lines.append(
                f"- `{r.name}`: the answerer gives no confidence, so every answer counts 1.0 and every decline "
                "0.0: the curve is one point."
            )
        elif given < len(r.ours.records):
            lines.append(f"- `{r.name}`: {given} of {len(r.ours.records)} answers carried a confidence.")
    lines += [
        "",
        "| Threshold | " + " | ".join(f"{n} coverage | {n} precision" for n in names) + " |",
        "|---:|" + "---:|---:|" * len(names),
    ]
    curves = [r.curve(COVERAGE_GRID) for r in results]
    rows = [
        " | ".join(f"{fmt('coverage', c[i].coverage)} | {fmt('precision', c[i].precision)}" for c in curves)
        for i in range(len(COVERAGE_GRID))
    ]
    start = 0
    for i in range(1, len(rows) + 1):  # thresholds that change nothing share a row
        if i == len(rows) or rows[i] != rows[start]:
            low, high = COVERAGE_GRID[start], COVERAGE_GRID[i - 1]
            label = f"≥ {low:.1f}" if low == high else f"{low:.1f} to {high:.1f}"
            lines.append(f"| {label} | {rows[start]} |")
            start = i
    if plot:
        lines += ["", f"![Precision against coverage]({plot})"]
    floors = [(r.name, f) for r in results for f in (r.run.floors or [])]
    if floors:
        broken = [(n, f) for n, f in floors if not f.ok]
        lines += [
            "",
            f"## Floors ({'all met' if not broken else f'{len(broken)} broken'})",
            "",
            "| set | metric | bound | measured | |",
            "|---|---|---:|---:|---|",
        ]
        for name, f in floors:
            metric = f.name.split(".", 1)[-1]
            bound = ("≥ " if f.direction == "min" else "≤ ") + fmt(metric, f.bound)
            mark = "ok" if f.ok else "**BROKEN**"
            lines.append(f"| {name} | `{f.name}` | {bound} | {fmt(metric, f.value)} | {mark} |")
    return "\n".join(lines).rstrip() + "\n"


def sets_to_json(results: Sequence[SetResult]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for r in results:
        out[r.name] = {
            "set": r.run.set_path,
            "set_sha256": r.run.set_sha256,
            "corpus": r.run.corpus,
            "documents": r.run.documents,
            "questions": r.run.questions,
            "ingest_seconds": round(r.ingest_seconds, 1),
            "answer_seconds": round(r.run.seconds, 1),
            "report": r.report,
            "headline": {f"{kind}.{metric}": r.value(kind, metric) for _, kind, metric in ROWS},
            "by_phrasing": {k: {"n": n, "answer_accuracy": a} for k, (n, a) in r.phrasing_accuracy().items()},
            "confidence_given": r.confidence_given(),
            "precision_coverage": [p.to_dict() for p in r.curve()],
            "floors": None if r.run.floors is None else [f.to_dict() for f in r.run.floors],
        }
    return {
        "started": results[0].run.started.isoformat(timespec="seconds") if results else None,
        "today": results[0].run.today.isoformat() if results else None,
        "sets": out,
    }


def plot_precision_coverage(results: Sequence[SetResult], path: Path) -> None:
    """One precision-against-coverage curve per set (a single point when the answerer gives no confidence)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 4.4), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for i, r in enumerate(results):
        points = [p for p in r.curve() if p.precision is not None]
        xs = [100 * p.coverage for p in points]
        ys = [100 * (p.precision or 0.0) for p in points]
        ax.plot(xs, ys, marker="o", markersize=4, linewidth=1.5, color=f"C{i}", label=r.name)
    ax.set_xlabel("coverage: questions answered (%)")
    ax.set_ylabel("precision: answers correct (%)")
    ax.set_xlim(0, 105)
    ax.set_ylim(0, 105)
    ax.grid(True, linewidth=0.4, alpha=0.5)
    ax.set_title("Precision against coverage, by confidence threshold")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(path)


def write_sets_report(results: Sequence[SetResult], out_dir: Path, stem: str) -> list[Path]:
    """Write `<stem>.md`, `<stem>.json` and `<stem>-coverage.png`; the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    plot = out_dir / f"{stem}-coverage.png"
    plot_precision_coverage(results, plot)
    md = out_dir / f"{stem}.md"
    js = out_dir / f"{stem}.json"
    md.write_text(render_sets_markdown(results, plot.name), encoding="utf-8")
    js.write_text(json.dumps(sets_to_json(results), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return [md, js, plot]
