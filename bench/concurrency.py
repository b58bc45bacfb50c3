"""Concurrent users through the real server: N simultaneous chats over the HTTP API on 127.0.0.1, throughput and
p95, errors, and whether every question and every rating was recorded; then the same while another process
ingests (heavy work must not block chat).

Set-up as in docs/deployment.md: a `chroma run` server, the corpus ingested into it by `council ingest`, and
one `council serve` replica using it (COUNCIL_CHROMA_URL). The per-client rate limit is raised for the run, since
every simulated user comes from 127.0.0.1.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench import synth
from bench.common import CORPUS, QUESTIONS, Context, Section, p50_p95, table
from bench.servers import Processes, ask


def _questions() -> list[str]:
    from evals.questions import load_questions

    return [q.question for q in load_questions(QUESTIONS) if q.audience == "public" and not q.history]


def chat_round(url: str, users: int, per_user: int, questions: list[str], offset: int = 0) -> dict[str, Any]:
    """`users` threads, each asking `per_user` questions one after another (a chat), all starting together."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(users)

    def user(u: int) -> None:
        start.wait()
        for i in range(per_user):
            q = questions[(offset + u * per_user + i) % len(questions)]
            status, body, seconds = ask(url, q)
            with lock:
                if status == 200:
                    latencies.append(seconds * 1000)
                else:
                    failures.append(f"{status}: {str(body.get('detail', ''))[:120]}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        list(pool.map(user, range(users)))
    wall = time.perf_counter() - started
    p50, p95 = p50_p95(latencies)
    return {
        "users": users,
        "requests": users * per_user,
        "ok": len(latencies),
        "errors": len(failures),
        "failures": failures[:5],
        "wall_s": wall,
        "throughput": len(latencies) / wall,
        "p50_ms": p50,
        "p95_ms": p95,
    }


def _wait_busy(pid: int, cpu_s: float, timeout_s: float) -> None:
    """Wait until process `pid` has used `cpu_s` seconds of CPU (or has ended, or `timeout_s` passed)."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return
        if (int(fields[11]) + int(fields[12])) / tick >= cpu_s:
            return
        time.sleep(0.5)


def _asks_logged(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM asks").fetchone()[0])


def _rate_all(db: Path, workers: int) -> tuple[int, int]:
    """Rate every logged answer from `workers` threads at once (as the chat's thumbs do); (sent, stored)."""
    from web.feedback import FeedbackStore

    store = FeedbackStore(db)
    with sqlite3.connect(db) as conn:
        ids = [int(r[0]) for r in conn.execute("SELECT id FROM asks")]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda i: store.rate(i, 1 if i % 2 else -1), ids))
    with sqlite3.connect(db) as conn:
        stored = int(conn.execute("SELECT COUNT(*) FROM feedback WHERE rating != 0").fetchone()[0])
    return len(ids), stored


def run(ctx: Context) -> Section:
    sec = Section("concurrency", "Concurrent users")
    levels = (1, 4) if ctx.quick else (1, 4, 8)
    per_user = 3 if ctx.quick else 6
    questions = _questions()
    work = ctx.work / "concurrency"
    extra_docs = work / "extra"
    for paper in synth.papers(40 if ctx.quick else 200, 20):
        synth.write(paper, extra_docs, "pdf")
    with Processes(work / "logs") as procs:
        chroma_url = procs.chroma(work / "chroma")
        ingest_dir = work / "ingest-index"
        ctx.link_models(ingest_dir)
        common = {"COUNCIL_CHROMA_URL": chroma_url, "COUNCIL_EMBEDDING_BACKEND": ctx.backend}
        first = procs.ingest("ingest-corpus", [CORPUS], {**common, "COUNCIL_INDEX_DIR": str(ingest_dir)})
        if first.wait(timeout=900) != 0:
            raise RuntimeError(f"`council ingest` failed; see {work / 'logs' / 'ingest-corpus.log'}")
        app_dir = work / "app-index"
        ctx.link_models(app_dir)
        db = app_dir / "feedback.sqlite3"
        url = procs.app(
            "app",
            {
                **common,
                "COUNCIL_INDEX_DIR": str(app_dir),
                "COUNCIL_FEEDBACK_DB": str(db),
                "COUNCIL_WIDGET_RATE_LIMIT_PER_MIN": "1000000",
            },
        )
        for q in questions[:3]:
            ask(url, q)  # warm: model, BM25 index, caches
        warm = _asks_logged(db)
        # every round asks questions no earlier round asked, so no round is helped by the answer caches
        rounds: list[dict[str, Any]] = []
        offset = 3
        for n in levels:
            label = f"{n} user{'s' if n > 1 else ''}"
            rounds.append({"label": label, **chat_round(url, n, per_user, questions, offset)})
            offset += n * per_user
        n = levels[-1]
        busy = procs.ingest("ingest-extra", [extra_docs], {**common, "COUNCIL_INDEX_DIR": str(ingest_dir)})
        _wait_busy(busy.pid, cpu_s=8.0, timeout_s=120.0)  # past start-up: parsing and embedding
        during = chat_round(url, n, per_user, questions, offset)
        ingest_running = busy.poll() is None
        rounds.append(
            {
                "label": f"{n} users while `council ingest` runs",
                **during,
                "ingest_still_running_at_end": ingest_running,
            }
        )
        if ingest_running:  # no need to wait: ingestion is crash-safe, and the next run starts afresh
            busy.terminate()
            busy.wait(timeout=30)
        ok = sum(r["ok"] for r in rounds)
        logged = _asks_logged(db) - warm
        sent, stored = _rate_all(db, 8)
    base = rounds[0]
    rows = [
        [
            r["label"],
            r["requests"],
            r["errors"],
            f"{r['throughput']:.2f}",
            f"{r['p50_ms']:.0f}",
            f"{r['p95_ms']:.0f}",
            f"{r['p95_ms'] / base['p95_ms']:.2f}×",
            f"{r['throughput'] / base['throughput']:.2f}×",
        ]
        for r in rounds
    ]
    errors = sum(r["errors"] for r in rounds)
    sec.data = {
        "rounds": rounds,
        "asks_ok": ok,
        "asks_logged": logged,
        "ratings_sent": sent,
        "ratings_stored": stored,
        "backend": ctx.backend,
    }
    sec.lines += [
        f"`council serve` (one replica, default `{ctx.backend}` embeddings) over a `chroma run` server on "
        "127.0.0.1, as in docs/deployment.md. Each simulated user is a chat: it asks "
        f"{per_user} dev-set questions one after another through `POST /api/ask`; all users start together; no "
        "question is asked in two rounds (so caches do not favour a later round). "
        f"Baseline: one user. The last row repeats the largest level while a separate `council ingest` process "
        f"adds {len(list(extra_docs.iterdir()))} synthetic PDFs to the same Chroma server"
        f"{' (still running when the chats finished, then stopped)' if ingest_running else ''}.",
        "",
        *table(
            [
                "load",
                "requests",
                "errors",
                "answers/s",
                "p50 ms",
                "p95 ms",
                "p95 vs 1 user",
                "throughput vs 1 user",
            ],
            rows,
        ),
        "",
        f"Errors: **{errors}**. Records: {ok} answers returned, {logged} logged in the audit table "
        f"({'none lost' if logged == ok else f'{ok - logged} LOST'}); {sent} ratings written from 8 threads at "
        f"once, {stored} stored ({'none lost' if stored == sent else f'{sent - stored} LOST'}).",
    ]
    if errors:
        sec.lines += ["", "First failures: " + "; ".join(f for r in rounds for f in r["failures"])]
    return sec
