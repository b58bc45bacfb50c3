"""`make bench`: measure ingestion, embedding, retrieval, answers and concurrent users, and write BENCHMARKS.md.

    python -m bench.run [--quick] [--only ingest,pdf,embed,retrieval,answer,concurrency] [--out BENCHMARKS.md]

Every number is set against a baseline measured in the same run. Sections this script does not own (for example
"Retrieval quality" and "Answer quality", written from `council eval`) are kept as they are. A full run writes
BENCHMARKS.md; `--quick` (smaller sizes, for development) writes reports/BENCHMARKS-quick.md unless --out says
otherwise. Raw numbers go to reports/bench[-quick].json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.common import REPO, Context, Section, cpu_facts, git_revision, loadavg, memory_gb, versions

SECTIONS = ("ingest", "pdf", "archive", "embed", "retrieval", "answer", "concurrency")
TITLES = {
    "ingest": "Ingestion",
    "pdf": "Long PDFs",
    "archive": "Bulk ingest of an archive",
    "embed": "Embedding",
    "retrieval": "Retrieval latency",
    "answer": "Answer latency",
    "concurrency": "Concurrent users",
}
OWNED = ("Summary", "Machine and run", *TITLES.values())
PLACEHOLDERS = {
    "Retrieval quality": "_Written from `council eval --retrieval` (not by `make bench`)._",
    "Answer quality": "_Written from `council eval` (not by `make bench`)._",
}
COMMAND = "make bench   # = .venv/bin/python -m bench.run"


def _runner(key: str) -> Callable[[Context], Section]:
    module = __import__(f"bench.{key}", fromlist=["run"])
    fn: Callable[[Context], Section] = module.run
    return fn


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="Small sizes, for development (a few minutes).")
    parser.add_argument("--only", default="", help=f"Comma-separated sections: {','.join(SECTIONS)}.")
    parser.add_argument("--out", type=Path, default=None, help="Markdown file to write (sections merged in).")
    parser.add_argument(
        "--backend", default="", help="Embedding backend to treat as the default (else settings)."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the scratch folder (its path is printed).")
    parser.add_argument(
        "--large",
        action="store_true",
        help="Also 1,000,000 chunks (retrieval) and a 10,000-paper archive (ingest): hours, not for CI.",
    )
    args = parser.parse_args(argv)

    only = [s.strip() for s in args.only.split(",") if s.strip()] or list(SECTIONS)
    unknown = sorted(set(only) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    out = args.out or (REPO / "reports" / "BENCHMARKS-quick.md" if args.quick else REPO / "BENCHMARKS.md")

    from assistant.settings import load_settings

    settings = load_settings()
    backend = args.backend or settings.embedding_backend
    work = Path(tempfile.mkdtemp(prefix="council-bench-"))
    ctx = Context(
        quick=args.quick, work=work, model_cache=REPO / "data" / "models", backend=backend, large=args.large
    )
    started_at = dt.datetime.now().astimezone()
    load_start = loadavg()
    sections: list[Section] = []
    failed: list[str] = []
    t0 = time.perf_counter()
    try:
        for key in only:
            print(f"[bench] {key} ...", file=sys.stderr, flush=True)
            s0 = time.perf_counter()
            load_before = loadavg()[0]
            try:
                sec = _runner(key)(ctx)
            except Exception as exc:  # one broken section must not lose the others' numbers
                traceback.print_exc()
                failed.append(key)
                sec = Section(
                    key,
                    TITLES[key],
                    [f"**Not measured: this section failed** ({type(exc).__name__}: {exc})."],
                )
            sec.seconds = time.perf_counter() - s0
            sec.lines = [
                f"_Measured {started_at:%Y-%m-%d %H:%M %Z}; load average {load_before:.2f} → "
                f"{loadavg()[0]:.2f} on {cpu_facts()['cores']} cores; {sec.seconds:.0f} s._",
                "",
                *sec.lines,
            ]
            sections.append(sec)
            print(f"[bench] {key} done in {sec.seconds:.0f} s", file=sys.stderr, flush=True)
    finally:
        if args.keep:
            print(f"[bench] scratch kept: {work}", file=sys.stderr)
        else:
            import shutil

            shutil.rmtree(work, ignore_errors=True)
    total = time.perf_counter() - t0
    meta = _machine(started_at, load_start, loadavg(), total, args, backend)
    raw = (
        out.parent / "reports" / f"bench{'-quick' if args.quick else ''}.json"
        if out.parent == REPO
        else out.with_suffix(".json")
    )
    whole = set(only) == set(SECTIONS)
    # a run of some sections replaces those and keeps the rest, in the Markdown and in the raw numbers alike
    previous = {} if whole or not raw.is_file() else json.loads(raw.read_text(encoding="utf-8"))
    data = {**previous.get("sections", {}), **{s.key: s.data for s in sections}}
    body = {s.title: s.lines for s in sections}
    body["Machine and run"] = meta["lines"] if whole else _partial_run_lines(out, only, meta["data"])
    body["Summary"] = summary(json.loads(json.dumps(data, default=str)), backend)
    write_markdown(out, body, args.quick)
    raw.parent.mkdir(parents=True, exist_ok=True)
    runs = (
        [*previous.get("partial_runs", []), {"sections": only, "machine": meta["data"]}] if not whole else []
    )
    tmp = raw.with_suffix(".json.tmp")
    tmp.write_text(
        json.dumps(
            {"machine": previous.get("machine", meta["data"]), "partial_runs": runs, "sections": data},
            indent=1,
            default=str,
        )
    )
    tmp.replace(raw)
    print(f"[bench] wrote {out} and {raw} in {total:.0f} s", file=sys.stderr)
    return 1 if failed else 0


def _machine(
    started: dt.datetime,
    load0: tuple[float, ...],
    load1: tuple[float, ...],
    total: float,
    args: argparse.Namespace,
    backend: str,
) -> dict[str, Any]:
    cpu = cpu_facts()
    ver = versions()
    data = {
        "started": started.isoformat(),
        "load_start": load0,
        "load_end": load1,
        "seconds": total,
        "cpu": cpu,
        "memory_gb": memory_gb(),
        "versions": ver,
        "revision": git_revision(),
        "quick": args.quick,
        "backend": backend,
    }
    lines = [
        f"- Date: {started:%Y-%m-%d %H:%M %Z}; whole run {total / 60:.1f} min"
        f"{' (`--quick`: small sizes, development only)' if args.quick else ''}.",
        f"- Machine: {cpu['model']}, {cpu['cores']} cores at {cpu['mhz'] / 1000:.2f} GHz ({cpu['simd']}; int8 dot "
        f"products: {cpu['int8_dot']}; bf16: {cpu['bf16']}), {memory_gb():.0f} GB memory.",
        f"- Load average (1, 5, 15 min) at start {', '.join(f'{x:.2f}' for x in load0)}; at end "
        f"{', '.join(f'{x:.2f}' for x in load1)}. The machine was shared: above {cpu['cores']} the other work "
        "slows every absolute number here, which is why each is set against a baseline measured in the same run, "
        "side by side (ratios are what to compare).",
        "- Software: " + ", ".join(f"{k} {v}" for k, v in ver.items()) + f"; code at {data['revision']}.",
        f"- Default embedding backend in this run: `{backend}` (`COUNCIL_EMBEDDING_BACKEND`).",
        f"- Reproduce: `{COMMAND}` (sections: `--only {','.join(SECTIONS)}`; "
        "`--large` for 1M chunks and 10,000 papers; `--quick` for a "
        "small run).",
    ]
    return {"data": data, "lines": lines}


def _partial_run_lines(out: Path, only: Sequence[str], run: dict[str, Any]) -> list[str]:
    """The whole run's machine lines as they were, with a line saying which sections were measured again, when,
    at which code and under what load (an earlier line for the same sections is replaced)."""
    existing = _parse(out.read_text(encoding="utf-8")).get("Machine and run", []) if out.is_file() else []
    mark = f"- Re-measured with `--only {','.join(only)}`"
    kept = [line for line in existing if line.strip() and not line.startswith(mark)]
    started = dt.datetime.fromisoformat(run["started"])
    titles = ", ".join(f'"{TITLES[k]}"' for k in only)
    load0, load1 = run["load_start"][0], run["load_end"][0]
    return [
        *kept,
        f"{mark}: {titles} on {started:%Y-%m-%d %H:%M %Z} at {run['revision']}, load average {load0:.2f} → "
        f"{load1:.2f}; every other section is from the run described above.",
    ]


def summary(d: dict[str, Any], backend: str) -> list[str]:
    """The summary table from every section's raw numbers (those measured now and those kept from earlier)."""
    rows: list[list[str]] = []
    emb = d.get("embed", {})
    if emb.get("rate"):
        r = emb["rate"]
        cos = emb["agreement"].get(backend, (float("nan"),))[0]
        hit = emb.get("hit_at_5", {})
        cr, nan = emb.get("cpu_rate", {}), float("nan")
        same = hit.get(backend, {}).get("hybrid+recency"), hit.get("torch", {}).get("hybrid+recency")
        rows.append(
            [
                "embedding, default vs fp32",
                "40+ chunks/s on 2 cores; hit@5 unchanged",
                f"{r[backend]:.1f} vs {r['torch']:.1f} chunks/s ({r[backend] / r['torch']:.2f}× wall, "
                f"{cr.get(backend, nan) / cr.get('torch', nan):.2f}× per CPU-second); cosine ≥ "
                f"{cos:.3f}; hit@5 (hybrid+recency) {same[0]:.3f} vs {same[1]:.3f}"
                if None not in same
                else "n/a",
            ]
        )
    if emb.get("auto_choice"):
        cr = emb["cpu_rate"]
        best = max(("onnx", "onnx-int8"), key=lambda b: cr[b])
        rows.append(
            [
                "embedding backend `auto`",
                "at least as fast as the best of `onnx` and `onnx-int8`, CPU named",
                f"chose `{emb['auto_choice']}` on {emb['cpu']['model']} ({emb['cpu']['int8_dot']}); "
                f"{cr['auto']:.1f} chunks per CPU-second vs `{best}` {cr[best]:.1f} "
                f"({cr['auto'] / cr[best]:.2f}×)",
            ]
        )
    retrieval = d.get("retrieval", {})
    ret = {int(k): v for k, v in retrieval.get("sizes", {}).items()}  # sizes are text keys once read back
    if ret:
        mid = 100_000 if 100_000 in ret else max(ret)
        r = ret[mid]
        rows.append(
            [
                f"first query after a write at {mid:,} chunks",
                "< 200 ms (was 52 s)",
                f"{r['first_query_after_write_ms']:.0f} ms (a replica with its own keyword index: "
                f"{r['replica_first_query_after_write_ms']:.0f} ms)",
            ]
        )
        rows.append(
            [
                f"retrieval p95 at {mid:,} chunks",
                "< 30 ms, with filters",
                f"{r['p95_ms']:.0f} ms; with filters {r['filtered_p95_ms']:.0f} ms",
            ]
        )
        if 1_000_000 in ret:
            big = ret[1_000_000]
            rows.append(
                [
                    "retrieval p95 at 1,000,000 chunks",
                    "< 80 ms",
                    f"{big['p95_ms']:.0f} ms; with filters {big['filtered_p95_ms']:.0f} ms",
                ]
            )
        rows.append(
            [
                "serving process memory per 100,000 chunks",
                "< 600 MB (was 1.2–2.7 GB)",
                f"{retrieval['rss_growth_mb_per_100k']:,.0f} MB",
            ]
        )
    ans = d.get("answer", {})
    if ans.get("ask_p95_ms"):
        rows.append(
            ["extractive answer p95", "< 300 ms on 2 cores (issue 12)", f"{ans['ask_p95_ms']:.0f} ms"]
        )
    ing = d.get("ingest", {}).get("results", {}).get("pdf")
    if ing:
        rows.append(
            [
                f"ingest PDF ({ing['pages']} pages)",
                "1,000 pages < 120 s",
                f"{ing['seconds']:.0f} s ({ing['pages'] / ing['seconds']:.1f} pages/s → 1,000 pages in "
                f"{1000 * ing['seconds'] / ing['pages']:.0f} s)",
            ]
        )
    real = d.get("pdf", {}).get("ofsted")
    if real:
        rows.append(
            [
                f"ingest the {real['documents']} whole Ofsted reports ({real['pages']} pages)",
                "< 60 s on 2 cores (issue 18)",
                f"{real['seconds']:.1f} s ({real['chunks']} chunks, inspection record included)",
            ]
        )
    arc = d.get("archive", {})
    if arc.get("runs"):
        r, res = arc["runs"]["pool"], arc["runs"]["resumed"]
        base = arc["runs"].get("no-pool")
        rows.append(
            [
                f"bulk ingest: {arc['papers']:,} papers ({arc['pages']:,} pages)",
                "10,000 papers (~35,000 pages) end to end; resumable after a kill",
                f"{r['seconds'] / 60:.1f} min ({r['pages'] / r['seconds']:.1f} pages/s"
                + (f", {base['seconds'] / r['seconds']:.2f}× parsing one paper at a time" if base else "")
                + f"); after `kill -9` the next run resumed with {res['unchanged']:,} papers already written",
            ]
        )
    con = d.get("concurrency", {})
    if con.get("rounds"):
        last = con["rounds"][-1]
        same = con["rounds"][-2] if len(con["rounds"]) > 1 else con["rounds"][0]  # as many users, no ingest
        errors = sum(r["errors"] for r in con["rounds"])
        rows.append(
            [
                "chat while ingesting",
                "ingest never blocks chat; no errors, no lost records",
                f"{last['label']}: p95 {last['p95_ms']:.0f} ms vs {same['p95_ms']:.0f} ms without ingest "
                f"(answers/s {last['throughput']:.1f} vs {same['throughput']:.1f}); {errors} errors; "
                f"records {con['asks_logged']}/{con['asks_ok']}, ratings {con['ratings_stored']}/{con['ratings_sent']}",
            ]
        )
    from bench.common import table

    return [
        *table(["what", "target (issues 7, 16 and 18)", "measured"], rows),
        "",
        "Absolute numbers depend on the load average noted below; the ratios in each section do not.",
    ]


def write_markdown(path: Path, body: dict[str, list[str]], quick: bool) -> None:
    """Replace the sections measured now, keep every other section (including other people's) as it was."""
    existing = _parse(path.read_text(encoding="utf-8")) if path.is_file() else {}
    order = ["Summary", "Machine and run", *TITLES.values(), *PLACEHOLDERS]
    merged: dict[str, list[str]] = {}
    for title in order:
        if title in body:
            merged[title] = body[title]
        elif title in existing:
            merged[title] = existing[title]
        elif title in PLACEHOLDERS:
            merged[title] = [PLACEHOLDERS[title]]
    for title, lines in {**existing, **body}.items():
        if title not in merged:
            merged[title] = lines
    head = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`.venv/bin/python -m bench.run`, code in `bench/`)"
        + (" with `--quick`" if quick else "")
        + ". Every figure comes from one run on the machine described "
        'under "Machine and run", each set against a baseline measured in the same run.',
        "",
    ]
    out = list(head)
    for title, lines in merged.items():
        out += [f"## {title}", "", *_trim(lines), ""]
    tmp = path.with_suffix(path.suffix + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text("\n".join(out).rstrip() + "\n", encoding="utf-8")
    tmp.replace(path)


def _parse(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        m = re.match(r"^## (.+?)\s*$", line)
        if m:
            current = m.group(1)
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    return {k: _trim(v) for k, v in sections.items()}


def _trim(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


if __name__ == "__main__":
    sys.exit(main())
