"""The eval report: `reports/eval-<date>.md` and `.json`, and two plots (accuracy by kind, latency).

The markdown puts our pipeline beside the baseline metric by metric, then per-kind tables, the floors, the
retrieval-mode comparison, and every failed question with the answer given and its citations.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.metrics import ALL, HIT_KS, FloorResult, KindSummary
from evals.runner import QuestionRecord, SystemRun

__all__ = ["EvalRun", "render_markdown", "report_stem", "to_json", "write_report"]

_LABELS: dict[str, str] = {
    "answer_accuracy": "Answer accuracy",
    "crag": "CRAG score (−1…+1)",
    **{f"hit@{k}": f"Retrieval hit@{k}" for k in HIT_KS},
    "mrr": "Retrieval MRR",
    "citation_precision": "Citation precision",
    "citation_recall": "Citation recall",
    "quotes_verbatim": "Quotes verbatim in passage",
    "refusal_accuracy": "Refusal accuracy (unanswerable + guardrail)",
    "false_refusal_rate": "False-refusal rate (lower is better)",
    "answered_rate": "Answered (share given an answer)",
    "reading_ease": "Reading ease of widget answers (Flesch, higher is easier)",
    "latency_p50_ms": "Latency p50",
    "latency_p95_ms": "Latency p95",
}
_LOWER_IS_BETTER = {"false_refusal_rate", "latency_p50_ms", "latency_p95_ms"}

DEFINITIONS = """\
- **Answer accuracy**: answerable kinds — the answer was given and states every `must_contain` item
  (tolerant matching of numbers, dates, money and wording; alternatives split by `|`), and for a number
  question or follow-up whose answer leads with figures ("Number of complaints: 135 (...)"), one of them is a
  required figure (a wrong lead over a quote stating the right one is wrong); unanswerable and guardrail
  kinds — the assistant declined (status `not_found` or `refused`).
- **CRAG score**: +1 correct, 0 an honest "not found" for an answerable question, −1 a wrong or incomplete
  answer, or any answer to a question that should be declined. Mean over questions.
- **Retrieval hit@k / MRR**: over questions naming expected sources, whether a passage from one (file stem,
  so the PDF/DOCX copies count) is among the first k passages handed to the answerer, and 1/rank of the first
  such passage. Ours hands up to 8 passages to the answerer, the baseline 4; a question answered without a search
  (a guardrail refusal, or an answer from the inspection record) is not counted.
- **Citation precision**: for answered answerable questions, the share of citations whose quote occurs
  verbatim in the cited passage and whose passage states at least one `must_contain` item. **Citation
  recall**: the share of `must_contain` items stated by at least one cited passage.
- **Refusal accuracy**: unanswerable and guardrail questions declined. **False-refusal rate**: answerable
  questions declined. **Answered**: the share of questions given an answer (for the unanswerable kind: the
  unanswerable questions answered anyway).
- **Reading ease**: for answered answerable questions, the Flesch reading ease (0-100, higher is easier; 60-70
  is plain English) of what the residents' widget shows first: the short answer, else the answer text.
- **Latency**: time for one answer (retrieval and answering), on the machine that ran the eval."""


@dataclass
class EvalRun:
    """Everything one `council eval` measured, ready to write."""

    started: dt.datetime
    seconds: float
    set_path: str
    set_sha256: str
    questions: int
    corpus: str
    documents: int
    today: dt.date
    config: dict[str, Any]
    systems: list[SystemRun]
    retrieval_markdown: str = ""
    retrieval: dict[str, Any] | None = None
    floors: list[FloorResult] | None = None
    floors_file: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def ours(self) -> SystemRun:
        return self.systems[0]

    @property
    def baseline(self) -> SystemRun | None:
        return self.systems[1] if len(self.systems) > 1 else None


# --- formatting ---------------------------------------------------------------------------------


def fmt(metric: str, value: float | None) -> str:
    if value is None:
        return "—"
    if metric.startswith("latency"):
        return f"{value:,.0f} ms"
    if metric == "crag":
        return f"{value:+.2f}"
    if metric == "mrr":
        return f"{value:.3f}"
    if metric == "reading_ease":
        return f"{value:.0f}"
    return f"{100 * value:.1f}%"


def _delta(metric: str, ours: float | None, base: float | None) -> str:
    if ours is None or base is None:
        return "—"
    diff = ours - base
    if metric.startswith("latency"):
        return f"{diff:+,.0f} ms"
    if metric in ("crag", "mrr"):
        return f"{diff:+.3f}"
    if metric == "reading_ease":
        return f"{diff:+.0f}"
    return f"{100 * diff:+.1f} pts"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _date_words(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


# --- markdown -----------------------------------------------------------------------------------


def _headline(run: EvalRun) -> list[str]:
    ours, base = run.ours.summary[ALL], run.baseline.summary[ALL] if run.baseline else None
    if base is None:
        lines = ["| Metric | Council Q&A |", "|---|---:|"]
        for name, value in ours.metrics().items():
            lines.append(f"| {_LABELS.get(name, name)} | {fmt(name, value)} |")
        return lines
    lines = [
        f"| Metric | {run.ours.label} | {run.baseline.label if run.baseline else ''} | Difference |",
        "|---|---:|---:|---:|",
    ]
    base_metrics = base.metrics()
    for name, value in ours.metrics().items():
        b = base_metrics.get(name)
        lines.append(
            f"| {_LABELS.get(name, name)} | {fmt(name, value)} | {fmt(name, b)} | {_delta(name, value, b)} |"
        )
    return lines


def _kind_table(summary: dict[str, KindSummary]) -> list[str]:
    cols = [
        "answer_accuracy",
        "crag",
        "hit@1",
        f"hit@{HIT_KS[-1]}",
        "mrr",
        "citation_precision",
        "citation_recall",
        "refusal_accuracy",
        "false_refusal_rate",
        "latency_p50_ms",
        "latency_p95_ms",
    ]
    heads = [
        "accuracy",
        "CRAG",
        "hit@1",
        f"hit@{HIT_KS[-1]}",
        "MRR",
        "cit. prec.",
        "cit. rec.",
        "refusal",
        "false ref.",
        "p50",
        "p95",
    ]
    lines = [
        "| kind | n | correct / missing / wrong | " + " | ".join(heads) + " |",
        "|---|---:|---:|" + "---:|" * len(cols),
    ]
    for kind, s in summary.items():
        m = s.metrics()
        c = s.counts
        label = f"**{kind}**" if kind == ALL else kind
        cells = " | ".join(fmt(col, m[col]) for col in cols)
        lines.append(f"| {label} | {s.n} | {c['correct']} / {c['missing']} / {c['wrong']} | {cells} |")
    return lines


def _accuracy_by_kind(run: EvalRun) -> list[str]:
    base = run.baseline
    lines = [
        "| kind | n | " + run.ours.label + (f" | {base.label} | Difference |" if base else " |"),
        "|---|---:|---:|" + ("---:|---:|" if base else ""),
    ]
    for kind, s in run.ours.summary.items():
        row = f"| {kind} | {s.n} | {fmt('answer_accuracy', s.answer_accuracy)} |"
        if base:
            b = base.summary.get(kind)
            bv = b.answer_accuracy if b else None
            row += f" {fmt('answer_accuracy', bv)} | {_delta('answer_accuracy', s.answer_accuracy, bv)} |"
        lines.append(row)
    return lines


def _floors(run: EvalRun) -> list[str]:
    if run.floors is None:
        return []
    failed = [f for f in run.floors if not f.ok]
    verdict = "all floors met" if not failed else f"{len(failed)} floor(s) broken"
    lines = [
        f"## Floors ({verdict})",
        "",
        f"From `{run.floors_file}`, checked against {run.ours.label}.",
        "",
        "| metric | bound | measured | |",
        "|---|---:|---:|---|",
    ]
    for f in run.floors:
        metric = f.name.split(".", 1)[-1]
        bound = ("≥ " if f.direction == "min" else "≤ ") + fmt(metric, f.bound)
        mark = "ok" if f.ok else "**BROKEN**"
        lines.append(f"| `{f.name}` | {bound} | {fmt(metric, f.value)} | {mark} |")
    return [*lines, ""]


def _citation_line(c: dict[str, Any]) -> str:
    where = ", ".join(
        x for x in (c.get("date") or "undated", f"p. {c['page']}" if c.get("page") else "") if x
    )
    quote = _cell(str(c.get("quote") or ""))
    quote = quote if len(quote) <= 400 else quote[:400] + " …"
    return f"  - [{c['n']}] {_cell(str(c.get('title', '')))} ({where}) `{c['doc_id']}` — “{quote}”"


def _failure(record: QuestionRecord) -> list[str]:
    q = record.question
    lines = [f"#### {q.id} ({q.kind}, {q.audience}) — {record.reason()}", ""]
    for h in q.history:
        lines.append(f"- Earlier question: {_cell(h)}")
    lines.append(f"- Question: {_cell(q.question)}")
    lines.append(f"- Expected: {_cell(q.answer)}")
    if q.must_contain:
        lines.append("- Must contain: " + ", ".join(f"`{m}`" for m in q.must_contain))
    if q.expected_sources:
        lines.append("- Expected sources: " + ", ".join(f"`{s}`" for s in q.expected_sources))
    given = _cell(record.text) if record.text else "(no answer)"
    lines.append(f"- Given ({record.status}, {record.latency_ms:,.0f} ms): {given}")
    if record.citations:
        lines.append("- Citations:")
        lines += [_citation_line(c) for c in record.citations]
    if record.retrieved is not None:
        shown = ", ".join(f"`{d}`" for d in record.retrieved[:6]) or "(nothing searched)"
        lines.append(f"- Retrieved (best first): {shown}")
    why = [n for n in record.notes if n.startswith("why:") or n.startswith("guardrail:")]
    if why:
        lines.append("- Notes: " + "; ".join(_cell(n) for n in why))
    return [*lines, ""]


def render_markdown(run: EvalRun, plots: Sequence[str] = ()) -> str:
    ours = run.ours
    took = f"{run.seconds / 60:.1f} min" if run.seconds >= 60 else f"{run.seconds:.0f} s"
    lines = [
        f"# Council Q&A evaluation — {_date_words(run.started.date())}",
        "",
        f"- Question set: `{run.set_path}` ({run.questions} questions, sha256 `{run.set_sha256[:12]}`)",
        f"- Corpus: `{run.corpus}` ({run.documents} documents); answered as at {run.today.isoformat()}",
        f"- Answerer: {ours.answerer or 'n/a'}; " + ", ".join(f"{k} {v}" for k, v in run.config.items()),
        f"- Run took {took}, started {run.started.isoformat(timespec='seconds')}",
    ]
    lines += [f"- {n}" for n in run.notes]
    base = run.baseline
    title = f"## Headline: {ours.label} against the baseline" if base else f"## Headline: {ours.label}"
    lines += ["", title, ""]
    if base:
        lines += [
            f"Baseline: {base.label} — the same files' text cut by LangChain's "
            "`RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)`, the same MiniLM embeddings "
            "in `langchain_chroma.Chroma`, plain similarity search top 4 (open papers only for public "
            "questions), answered by the same answer chain and verifier. Only chunking and retrieval differ.",
            "",
        ]
    lines += [*_headline(run), "", "### Definitions", "", DEFINITIONS, ""]
    lines += ["## Answer accuracy by kind", "", *_accuracy_by_kind(run), ""]
    lines += [f"![Answer accuracy by kind]({p})" for p in plots[:1]]
    lines += [""] if plots else []
    for system in run.systems:
        lines += [f"## {system.label}: every metric by kind", "", *_kind_table(system.summary), ""]
    lines += [f"![Latency distribution]({p})" for p in plots[1:2]]
    lines += [""] if plots[1:2] else []
    lines += _floors(run)
    if run.retrieval_markdown:
        lines += ["# Retrieval modes (our index)", "", run.retrieval_markdown.strip(), ""]
    failures = ours.failures
    lines += [f"## Failed questions: {ours.label} ({len(failures)} of {len(ours.records)})", ""]
    if not failures:
        lines += ["None.", ""]
    by_kind: dict[str, list[QuestionRecord]] = {}
    for r in failures:
        by_kind.setdefault(r.question.kind, []).append(r)
    for kind, records in by_kind.items():
        lines += [f"### {kind} ({len(records)})", ""]
        for r in records:
            lines += _failure(r)
    if base:
        bf = base.failures
        lines += [
            f"## Failed questions: {base.label} ({len(bf)} of {len(base.records)})",
            "",
            "Answers and citations are in the JSON report.",
            "",
        ]
        lines += [f"- `{r.question.id}` ({r.question.kind}): {_cell(r.reason())}" for r in bf]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- json ---------------------------------------------------------------------------------------


def to_json(run: EvalRun) -> dict[str, Any]:
    return {
        "started": run.started.isoformat(timespec="seconds"),
        "seconds": round(run.seconds, 1),
        "set": run.set_path,
        "set_sha256": run.set_sha256,
        "questions": run.questions,
        "corpus": run.corpus,
        "documents": run.documents,
        "today": run.today.isoformat(),
        "config": run.config,
        "notes": run.notes,
        "headline": {s.name: s.summary[ALL].metrics() for s in run.systems},
        "systems": {s.name: s.to_dict() for s in run.systems},
        "floors": None
        if run.floors is None
        else {"file": run.floors_file, "results": [f.to_dict() for f in run.floors]},
        "retrieval": run.retrieval,
    }


# --- plots --------------------------------------------------------------------------------------


def plot_accuracy(run: EvalRun, path: Path) -> None:
    """Grouped bars: answer accuracy per kind (and all), ours beside the baseline."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    kinds = list(run.ours.summary)
    fig = Figure(figsize=(9, 4.2), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    width = 0.8 / len(run.systems)
    for i, system in enumerate(run.systems):
        values = [(system.summary[k].answer_accuracy or 0.0) if k in system.summary else 0.0 for k in kinds]
        xs = [x + (i - (len(run.systems) - 1) / 2) * width for x in range(len(kinds))]
        bars = ax.bar(xs, [100 * v for v in values], width, label=system.label)
        ax.bar_label(bars, labels=[f"{100 * v:.0f}" for v in values], fontsize=7, padding=1)
    ax.set_xticks(range(len(kinds)))
    ax.set_xticklabels([f"{k}\n(n={run.ours.summary[k].n})" for k in kinds], fontsize=8)
    ax.set_ylabel("answer accuracy (%)")
    ax.set_ylim(0, 110)
    ax.set_title("Answer accuracy by kind of question")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(path)


def plot_latency(run: EvalRun, path: Path) -> None:
    """Histogram of time per answer for each system, with p50 and p95 marked."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 3.8), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    every = [r.latency_ms for s in run.systems for r in s.records]
    top = max(every, default=1.0)
    bins = [top * i / 40 for i in range(41)]
    for system in run.systems:
        values = [r.latency_ms for r in system.records]
        color = f"C{run.systems.index(system)}"
        ax.hist(values, bins=bins, histtype="step", linewidth=1.5, label=system.label, color=color)
        s = system.summary[ALL]
        for p, style in ((s.latency_p50_ms, "--"), (s.latency_p95_ms, ":")):
            if p is not None:
                ax.axvline(p, color=color, linestyle=style, linewidth=1)
    ax.set_xlabel("time per answer (ms); dashed p50, dotted p95")
    ax.set_ylabel("questions")
    ax.set_title("Latency distribution")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)


# --- writing ------------------------------------------------------------------------------------


def report_stem(run_date: dt.date, set_path: Path, default_set: Path | None = None) -> str:
    """`eval-<date>` for the bundled set, `eval-<date>-<set name>` for any other."""
    stem = f"eval-{run_date.isoformat()}"
    if default_set is not None and set_path.resolve() == default_set.resolve():
        return stem
    return f"{stem}-{set_path.stem}"


def write_report(run: EvalRun, out_dir: Path, stem: str) -> list[Path]:
    """Write `<stem>.md`, `<stem>.json` and the two plots into `out_dir`; the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    plots = [out_dir / f"{stem}-accuracy.png", out_dir / f"{stem}-latency.png"]
    plot_accuracy(run, plots[0])
    plot_latency(run, plots[1])
    md = out_dir / f"{stem}.md"
    js = out_dir / f"{stem}.json"
    md.write_text(render_markdown(run, [p.name for p in plots]), encoding="utf-8")
    js.write_text(json.dumps(to_json(run), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return [md, js, *plots]
