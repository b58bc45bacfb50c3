"""Bulk ingest of an archive: `council ingest` of many short synthetic papers (2 to 5 pages, 3.5 on average, as
committee reports and minutes are), end to end in its own process with the default settings, three ways:

* with the next paper parsed while the ingest embeds (`COUNCIL_INGEST_PARSE_WORKERS=1`, the default);
* each paper parsed only when the one before is written (`COUNCIL_INGEST_PARSE_WORKERS=0`, the baseline; not with
  `--large`);
* killed with SIGKILL part way, then run again: the second run resumes (papers already written are only hashed).

300 papers (about 1,050 pages) by default, 10,000 (about 35,000 pages) with `--large`, 30 with `--quick`.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from bench import synth
from bench.common import Context, Section, table, venv_bin

SUMMARY = re.compile(
    r"Documents: (?P<seen>\d+) seen, (?P<added>\d+) added, (?P<replaced>\d+) replaced, (?P<unchanged>\d+) unchanged"
)
PAGES = re.compile(r"Pages: (?P<pages>\d+) parsed\. Chunks: (?P<chunks>\d+) added")


def make_archive(folder: Path, n: int) -> int:
    """`n` PDF papers of 2 to 5 pages in folders of 500; returns the pages written."""
    pages = 0
    for i in range(n):
        k = 2 + (i * 7) % 4
        synth.write(synth.make_paper(100_000 + i, k, seed=13), folder / f"batch-{i // 500:03d}", "pdf")
        pages += k
    return pages


def ingest(
    ctx: Context, archive: Path, name: str, workers: int, kill_at: int | None = None
) -> dict[str, Any]:
    """`council ingest` of the archive into the index `name`; killed (SIGKILL) once it has started writing its
    `kill_at`-th paper, if given (read from the ingest's journal of papers being written)."""
    index = ctx.work / f"archive-{name}"
    ctx.link_models(index)
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
    env.update(
        {
            "COUNCIL_INDEX_DIR": str(index),
            "COUNCIL_EMBEDDING_BACKEND": ctx.backend,
            "COUNCIL_INGEST_PARSE_WORKERS": str(workers),
            "COUNCIL_INGEST_NICE": "0",  # measured at normal priority, like every other section
        }
    )
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(venv_bin() / "council"), "ingest", str(archive), "--quiet"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    if kill_at is not None:
        journal = index / ".ingest-journal"
        while proc.poll() is None:
            written = journal.read_text().count("\n") if journal.is_file() else 0
            if written >= kill_at:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                return {"killed_after_s": time.perf_counter() - started, "killed_at": written}
            time.sleep(0.05)
    out, _ = proc.communicate()
    seconds = time.perf_counter() - started
    got = SUMMARY.search(out or "")
    pages = PAGES.search(out or "")
    if proc.returncode != 0 or not got or not pages:
        raise RuntimeError(f"council ingest ({name}) failed: {(out or '')[-1500:]}")
    return {
        "seconds": seconds,
        **{k: int(v) for k, v in got.groupdict().items()},
        **{k: int(v) for k, v in pages.groupdict().items()},
        "summary": [
            line for line in out.splitlines() if line.startswith(("Documents:", "Pages:", "Throughput:"))
        ],
    }


def run(ctx: Context) -> Section:
    sec = Section("archive", "Bulk ingest of an archive")
    n = 10_000 if ctx.large else 30 if ctx.quick else 300
    archive = ctx.work / "archive"
    started = time.perf_counter()
    pages = make_archive(archive, n)
    made_s = time.perf_counter() - started
    ctx.embeddings()  # the ONNX export (and `auto`'s choice) exist before the timed runs
    runs: dict[str, dict[str, Any]] = {}
    if not ctx.large:
        # With `--large` the archive is ingested once, killed part way and resumed: the two runs together are
        # the end-to-end time (an uninterrupted run as well would double hours of work on 2 cores).
        runs["pool"] = ingest(ctx, archive, "pool", 1)
        runs["no-pool"] = ingest(ctx, archive, "no-pool", 0)
    runs["killed"] = ingest(ctx, archive, "resume", 1, kill_at=int(0.45 * n))
    if "killed_at" not in runs["killed"]:
        raise RuntimeError("the run to kill finished before it could be killed")
    runs["resumed"] = ingest(ctx, archive, "resume", 1)
    if ctx.large:
        r = runs["resumed"]
        runs["pool"] = {
            **r,
            "seconds": runs["killed"]["killed_after_s"] + r["seconds"],
            "added": r["unchanged"] + r["replaced"] + r["added"],
            "replaced": 0,
            "unchanged": 0,
            "pages": pages,
            "chunks": 0,  # not known: the killed run could not print its summary
        }
    sec.data = {"papers": n, "pages": pages, "runs": runs, "generate_s": made_s}

    rows = []
    labels = {
        "pool": "next paper parsed while embedding (default)"
        + (": killed part way, then resumed; both runs together" if ctx.large else ""),
        "no-pool": "parse, then embed, one paper at a time (baseline)",
        "resumed": "after `kill -9` part way: the second run",
    }
    base = runs.get("no-pool", runs["pool"])
    for key in ("no-pool", "pool", "resumed"):
        if key not in runs:
            continue
        r = runs[key]
        rows.append(
            [
                labels[key],
                f"{r['added'] + r['replaced']:,}",
                f"{r['unchanged']:,}",
                f"{r['pages']:,}",
                f"{r['chunks']:,}" if r["chunks"] else "n/a",
                f"{r['seconds']:,.0f}",
                f"{r['pages'] / r['seconds']:.1f}",
                f"{r['chunks'] / r['seconds']:.1f}" if r["chunks"] else "n/a",
                f"{(base['seconds'] / r['seconds']) if key != 'resumed' else float('nan'):.2f}×"
                if key != "resumed"
                else "n/a",
            ]
        )
    killed = runs["killed"]
    resumed = runs["resumed"]
    sec.lines += [
        f"{n:,} synthetic PDF papers, {pages:,} pages in all (2 to 5 pages each, sentences of the bundled corpus; "
        f"written in {made_s:.0f} s by `bench/synth.py`), ingested by `council ingest` in its own process with "
        f"the default settings and `{ctx.backend}` embeddings into a fresh embedded index: discovery, hashing, "
        "sandboxed parsing, chunking, embedding, Chroma and the keyword index. The progress bar (with its ETA) is "
        "off (`--quiet`); the summary the command prints is below.",
        "",
        *table(
            [
                "run",
                "papers written",
                "unchanged",
                "pages",
                "chunks",
                "seconds",
                "pages/s",
                "chunks/s",
                "speed vs baseline",
            ],
            rows,
        ),
        "",
        f"Resume after a kill: the run was killed with SIGKILL after {killed['killed_after_s']:.0f} s, while "
        f"writing paper {killed['killed_at']:,}; the next "
        f"`council ingest` found {resumed['unchanged']:,} papers already written (hashed, not parsed or embedded "
        f"again; the killed run's papers were each checked in Chroma's vector index), wrote again "
        f"{resumed['replaced']:,} that the kill interrupted and wrote the other {resumed['added']:,}, in "
        f"{resumed['seconds']:.0f} s; the index then held "
        f"{resumed['unchanged'] + resumed['replaced'] + resumed['added']:,} of {n:,} papers.",
        "",
        "The resumed run's own summary:" if ctx.large else "The default run's own summary:",
        "",
        *(f"    {line}" for line in runs["pool"]["summary"]),
        *(
            [
                "",
                f"With `--large` the pages above are those written by `bench/synth.py` ({pages:,}), and the "
                "two runs' time together is the end-to-end time; the 300-paper run without `--large` measures "
                "the uninterrupted ingest and the baseline.",
            ]
            if ctx.large
            else []
        ),
    ]
    return sec
