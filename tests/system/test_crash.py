"""Crash safety: `kill -9` of `council ingest` at random points.

Each run ingests version 2 of a small corpus (into an empty index, or over an index of version 1: documents
changed, added, removed and one reclassified from open to exempt) and is killed at a random moment, mostly while
it writes. After every kill: no process of the ingest is left running, the index opens, it answers, no chunk of
an inactive document version is returned, no exempt text reaches the public, and the next ingest converges to
exactly the index an uninterrupted run builds.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assistant.factory import store_for
from tests.security import canary
from tests.security.conftest import TODAY, canary_settings_for

COUNCIL = Path(sys.executable).parent / "council"
FAKE_COUNCIL = [sys.executable, str(Path(__file__).with_name("fake_council.py"))]
KILL_RUNS = 14  # at least 12 must be killed before they finish (a run may finish first on a fast machine)
KILLED_AT_LEAST = 12
TOP_UP_RUNS = (
    10  # runs added, each killed earlier in its writing, while fewer than KILLED_AT_LEAST were killed
)
SEED = 20251123
QUERIES = (
    "What is the purchase price agreed for Redwood House?",
    "settlement with Harbourmist Care youth offending service open cases",
)


# ---------------------------------------------------------------- the corpus in two versions


def build_v1(root: Path) -> Path:
    corpus = canary.build(root)
    for inj in canary.INJECTIONS:
        (corpus / inj.file).unlink()
    return corpus


def make_v2(corpus: Path) -> None:
    """Change two papers, remove one, add two, and reclassify one from open to exempt."""
    changed = corpus / canary.EXEMPT[0].file
    changed.write_text(changed.read_text() + "\nThe building survey was completed on 6 October 2025.\n")
    real = corpus / "open" / Path(canary.REAL_PAPERS[0]).name
    real.write_text(real.read_text() + "\n\nA further update was given at the next meeting.\n")
    (corpus / canary.EXEMPT[5].open_file).unlink()
    for inj in canary.INJECTIONS[:2]:
        canary._write_injection(corpus, inj)
    reclassified = corpus / canary.EXEMPT[1].open_file
    reclassified.write_text(
        reclassified.read_text().replace("classification: open", "classification: exempt")
    )


# ---------------------------------------------------------------- running and killing the CLI


@dataclass
class Run:
    index_dir: Path
    start: str  # "empty" or "v1" (a copy of the version-1 index)
    phase: str  # "writing": killed `delay_s` after its first write to the index; "startup": `delay_s` after spawn
    delay_s: float
    killed: bool = False
    killed_at_s: float = 0.0
    first_write_s: float | None = None
    total_s: float = 0.0
    exit_code: int | None = None
    leftovers: int = 0


def _env(index_dir: Path, backend: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
    env.update(COUNCIL_INDEX_DIR=str(index_dir))
    if backend != "hashing":  # the hashing embedding is injected by the fake command, not a setting
        env.update(COUNCIL_EMBEDDING_BACKEND=backend)
    return env


def _council(backend: str) -> list[str]:
    return FAKE_COUNCIL if backend == "hashing" else [str(COUNCIL)]


def _live_members(pgid: int) -> list[int]:
    """Processes of the group that are alive (zombies waiting for a reaper do not count)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


def _db_state(index_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Size and mtime of Chroma's SQLite files (the database, its write-ahead log and shared memory)."""
    out = []
    for name in ("chroma.sqlite3", "chroma.sqlite3-wal", "chroma.sqlite3-shm"):
        try:
            st = (index_dir / "chroma" / name).stat()
        except OSError:
            continue
        out.append((name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def run_ingest(corpus: Path, run: Run, backend: str = "hashing", kill: bool = True) -> Run:
    before = _db_state(run.index_dir)
    log = open(run.index_dir.parent / f"{run.index_dir.name}.log", "wb")  # noqa: SIM115 - closed below
    started = time.monotonic()
    proc = subprocess.Popen(
        [*_council(backend), "ingest", str(corpus), "--prune", "-q"],
        env=_env(run.index_dir, backend),
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        while proc.poll() is None:
            now = time.monotonic() - started
            if run.first_write_s is None and _db_state(run.index_dir) != before:
                run.first_write_s = now
            due = (
                now >= run.delay_s
                if run.phase == "startup"
                else run.first_write_s is not None and now - run.first_write_s >= run.delay_s
            )
            if kill and due:
                os.kill(proc.pid, signal.SIGKILL)
                run.killed, run.killed_at_s = True, now
                break
            time.sleep(0.005)
        run.exit_code = proc.wait()
        run.total_s = time.monotonic() - started
        deadline = time.monotonic() + 10
        while _live_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = _live_members(proc.pid)
        run.leftovers = len(left)
        if left:
            os.killpg(proc.pid, signal.SIGKILL)  # clean up before failing the test
    finally:
        log.close()
    return run


# ---------------------------------------------------------------- what the index must look like


def snapshot(store: Any) -> dict[str, Any]:
    """Counts, live versions, the live inspection record, and anything an interrupted write could leave behind."""
    from vectorstore.record_store import LiveRecords

    records = store.doc_records()
    active = {d: r.active_hash for d, r in records.items() if r.active_hash}
    stray = []
    for cls in ("open", "exempt"):
        for chunk_id, _text, meta in store.iter_chunks(cls):
            if (
                active.get(str(meta.get("doc_id"))) != meta.get("content_hash")
                or meta.get("classification") != cls
            ):
                stray.append(chunk_id)
    return {
        "open": store.count("open"),
        "exempt": store.count("exempt"),
        "active": active,
        "pending": sorted(d for d, r in records.items() if r.pending_hash),
        "stray": stray,
        "record": sorted(json.dumps(r.to_dict(), sort_keys=True) for r in LiveRecords(store).all()),
    }


def check_usable(settings: Any, must_open: bool, store: Any = None) -> dict[str, Any]:
    """The index after a kill: opens, answers, shows only live versions, keeps exempt text from the public.
    `store` defaults to the settings' index with the hashing embedding (what the fake `council` wrote)."""
    from assistant.errors import NoIndexError
    from assistant.service import Assistant
    from tests.fakes import fake_store

    store = store or fake_store(settings)
    try:
        bot = Assistant.from_settings(settings, store=store, today=TODAY)
    except NoIndexError:
        assert not must_open, "an index that existed before the kill no longer opens"
        return {"opened": False, "store": store}
    active = {d: r.active_hash for d, r in store.doc_records().items() if r.active_hash}
    from vectorstore.record_store import RecordStore

    # a paper's record is written before its version goes live: no kill can leave a live version without one
    assert RecordStore.for_store(store).missing(active) == [], "a live document version has no record"
    found = 0
    for audience in ("public", "officer"):
        for q in QUERIES:
            for p in bot.search(q, audience, k=20).passages:
                found += 1
                assert p.doc_id in active, f"{p.chunk_id}: its document has no live version"
                assert p.chunk_id.split("::")[1] == active[p.doc_id][:12], (
                    f"{p.chunk_id} is not the live version"
                )
                if audience == "public":
                    assert p.classification == "open", p.chunk_id
                    assert not canary.leaks(f"{p.text} {p.title} {p.doc_id} {p.body}"), p.chunk_id
    public = bot.ask(QUERIES[0], audience="public")  # the whole answer chain works on the survivor
    assert public.status.value in {"answered", "partial", "not_found"}
    assert not canary.leaks(str(public.to_dict()))
    if must_open:
        assert found, "the index opened but found nothing"
    return {"opened": True, "store": store, "passages": found}


def converge(store: Any, corpus: Path) -> dict[str, Any]:
    from vectorstore.indexer import Indexer

    report = Indexer(store).sync([corpus], prune=True)
    assert not report.skipped, report.summary_lines()
    return snapshot(store)


# ---------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Version 1 indexed by an uninterrupted `council ingest` (the template, also timing the CLI), then the
    corpus changed to version 2 and indexed in process, fresh (the reference) and over version 1 (which must
    give the same index)."""
    from tests.fakes import fake_store
    from vectorstore.indexer import Indexer

    root = tmp_path_factory.mktemp("crash")
    corpus = build_v1(root)
    template = run_ingest(corpus, Run(root / "v1-index", "empty", "writing", 0.0), kill=False)
    assert template.exit_code == 0, (root / "v1-index.log").read_text()
    make_v2(corpus)
    fresh = fake_store(canary_settings_for(root, index_dir=root / "ref-index"))
    started = time.monotonic()
    Indexer(fresh).sync([corpus], prune=True)
    write_s = time.monotonic() - started
    reference = snapshot(fresh)
    assert not reference["pending"] and not reference["stray"]
    assert reference["exempt"] > 0 and reference["open"] > 0
    shutil.copytree(template.index_dir, root / "update-index")
    updated = fake_store(canary_settings_for(root, index_dir=root / "update-index"))
    started = time.monotonic()
    assert converge(updated, corpus) == reference, "an update must build the same index as a fresh ingest"
    write_s = {"empty": write_s, "v1": time.monotonic() - started}
    # how long the CLI spends writing, from its first write to its end (start-up and reading come before): the
    # template's own span, and the update's in proportion
    assert template.first_write_s is not None
    span = template.total_s - template.first_write_s
    writing_s = {"empty": span, "v1": span * write_s["v1"] / write_s["empty"]}
    return {
        "root": root,
        "corpus": corpus,
        "template": template,
        "write_s": write_s,
        "writing_s": writing_s,
        "reference": reference,
    }


def _plan(versions: dict[str, Any]) -> list[Run]:
    rng = random.Random(SEED)
    runs = []
    for i in range(KILL_RUNS):
        start = "v1" if i % 2 == 0 else "empty"
        if i in (3, 10):  # a few kills during start-up, before anything is written
            runs.append(_run(versions, i, start, "startup", rng.uniform(0.3, 2.0)))
        else:  # the rest spread over the time an uninterrupted run spends writing
            runs.append(
                _run(versions, i, start, "writing", rng.uniform(0.0, versions["writing_s"][start] * 0.8))
            )
    return runs


def _run(versions: dict[str, Any], i: int, start: str, phase: str, delay_s: float) -> Run:
    run = Run(versions["root"] / f"run-{i:02d}", start, phase, delay_s)
    if start == "v1":
        shutil.copytree(versions["template"].index_dir, run.index_dir)
    else:
        run.index_dir.mkdir()
    return run


def _top_up(versions: dict[str, Any], done: list[Run]) -> list[Run]:
    """Runs that finished before their kill (the machine was quicker than the template run) are made up by
    runs killed within the first fifth of the writing, until enough were killed mid-run."""
    rng = random.Random(SEED + 1)
    extra: list[Run] = []
    while sum(r.killed for r in [*done, *extra]) < KILLED_AT_LEAST and len(extra) < TOP_UP_RUNS:
        i = KILL_RUNS + len(extra)
        start = "empty" if i % 2 else "v1"
        run = _run(versions, i, start, "writing", rng.uniform(0.0, versions["writing_s"][start] * 0.2))
        extra.append(run_ingest(versions["corpus"], run))
    return extra


@pytest.mark.slow
def test_kill_minus_9_at_random_points_never_breaks_the_index(versions: dict[str, Any]) -> None:
    corpus, reference = versions["corpus"], versions["reference"]
    runs = _plan(versions)
    started = time.monotonic()
    with ThreadPoolExecutor(2) as pool:  # two at a time: the CLI's start-up dominates and is single-threaded
        done = list(pool.map(lambda r: run_ingest(corpus, r), runs))
    done += _top_up(versions, done)
    killing_s, started = time.monotonic() - started, time.monotonic()
    survived = 0
    for run in done:
        assert run.leftovers == 0, f"{run.index_dir.name}: {run.leftovers} ingest processes outlived the kill"
        settings = canary_settings_for(versions["root"], index_dir=run.index_dir)
        state = check_usable(settings, must_open=run.start == "v1")
        after = converge(state["store"], corpus)
        assert after == reference, (
            f"{run.index_dir.name} (killed at {run.killed_at_s:.2f} s) did not converge"
        )
        survived += run.killed
    summary = ", ".join(
        f"{r.start}/{r.phase}@{r.killed_at_s:.2f}s{'' if r.killed else ' (finished first)'}" for r in done
    )
    print(
        f"\nkill -9 runs: {len(done)}, killed mid-run: {survived} ({killing_s:.0f} s), checked and converged "
        f"({time.monotonic() - started:.0f} s); {summary}"
    )
    assert survived >= KILLED_AT_LEAST, f"only {survived} runs were killed before they finished: {summary}"


@pytest.mark.slow
@pytest.mark.integration
def test_kill_minus_9_with_the_real_minilm(
    minilm_canary_bot: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """One run with the real model: a fresh ingest of the canary corpus killed while it embeds and writes;
    the uninterrupted reference is the MiniLM index the leakage tests use."""
    root = tmp_path_factory.mktemp("crash-minilm")
    corpus = canary.build(root)
    reference = snapshot(minilm_canary_bot.store)
    rng = random.Random(SEED + 1)
    attempts = []
    for attempt in range(3):  # retried only if the ingest finished before the planned kill
        run = Run(root / f"minilm-run-{attempt}", "empty", "writing", rng.uniform(0.5, 3.0) / (attempt + 1))
        run.index_dir.mkdir()
        attempts.append(run_ingest(corpus, run, backend="torch"))
        if run.killed:
            break
    run = attempts[-1]
    assert run.killed, "the MiniLM ingest finished before every planned kill"
    assert run.leftovers == 0
    settings = canary_settings_for(root, index_dir=run.index_dir, embedding_backend="torch")
    state = check_usable(settings, must_open=False, store=store_for(settings))
    print(
        f"\nMiniLM ingest killed {run.killed_at_s:.2f} s after start ({run.first_write_s or 0:.2f} s to first write)"
    )
    assert converge(state["store"], corpus) == reference
