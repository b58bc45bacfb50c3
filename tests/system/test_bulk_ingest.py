"""Bulk ingest of an archive: `council ingest` of papers read ahead (parse servers of their own) while it embeds,
killed with SIGKILL part way, then run again. The kill leaves no process behind (the parse servers and their
children die with the ingest); the second run resumes: what the killed run wrote is not written again (only
checked), the rest is, and the index ends as an uninterrupted ingest leaves it. The summary reports the throughput."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.system.test_crash import _council, _env, _live_members

pytestmark = pytest.mark.slow

PAPERS = 48
SUMMARY = re.compile(r"Documents: (\d+) seen, (\d+) added, (\d+) replaced, (\d+) unchanged")


def _archive(root: Path) -> Path:
    for i in range(PAPERS):
        folder = root / f"batch-{i // 16}"
        folder.mkdir(parents=True, exist_ok=True)
        paras = "\n\n".join(
            f"{i}.{p} The Corporate Parenting Board noted that placement {i * 7 + p} was reviewed in "
            f"{2016 + i % 10}, and that the service's complaints numbered {i + p * 3} that year."
            for p in range(1, 30)
        )
        (folder / f"paper-{i:03d}.md").write_text(
            f"# Paper {i}: placements review\n\n{paras}\n", encoding="utf-8"
        )
    return root


def _ingest(archive: Path, index_dir: Path, kill_at: int | None = None) -> tuple[str, int, int]:
    """(output, exit code, processes of its group left alive) of one `council ingest`, killed (SIGKILL, the
    ingest process alone) once its journal shows ``kill_at`` papers being written."""
    log = index_dir.parent / f"{index_dir.name}-{kill_at}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*_council("hashing"), "ingest", str(archive), "-q"],
            env=_env(index_dir, "hashing"),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        journal = index_dir / ".ingest-journal"
        deadline = time.monotonic() + 600
        while proc.poll() is None and kill_at is not None and time.monotonic() < deadline:
            if journal.is_file() and journal.read_text().count("\n") >= kill_at:
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.01)
        code = proc.wait(timeout=600)
    until = time.monotonic() + 10
    while _live_members(proc.pid) and time.monotonic() < until:
        time.sleep(0.05)
    left = _live_members(proc.pid)
    if left:
        os.killpg(proc.pid, signal.SIGKILL)
    return log.read_text(errors="replace"), code, len(left)


def _counts(output: str) -> tuple[int, int, int, int]:
    found = SUMMARY.search(output)
    assert found, output[-2000:]
    seen, added, replaced, unchanged = (int(g) for g in found.groups())
    return seen, added, replaced, unchanged


def test_a_killed_bulk_ingest_leaves_nothing_running_and_resumes(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "archive")
    whole, code, _ = _ingest(archive, tmp_path / "uninterrupted")
    assert code == 0, whole[-2000:]
    assert _counts(whole) == (PAPERS, PAPERS, 0, 0)
    assert re.search(r"Throughput: [\d.]+ pages/s, [\d.]+ chunks/s", whole), whole

    index = tmp_path / "killed"
    output, code, left = _ingest(archive, index, kill_at=PAPERS // 2)
    assert code == -signal.SIGKILL, output[-2000:]
    assert left == 0, f"{left} processes of the killed ingest are still running"

    resumed, code, _ = _ingest(archive, index)
    assert code == 0, resumed[-2000:]
    seen, added, replaced, unchanged = _counts(resumed)
    assert seen == PAPERS and added + replaced + unchanged == PAPERS
    assert unchanged >= PAPERS // 2 - 2, resumed  # resumed: at most the papers in flight are written again
    assert replaced <= 2, resumed

    from tests.fakes import fake_store
    from tests.unit.test_retriever_corpus import settings_for

    def held(index_dir: Path) -> tuple[int, int]:
        settings = settings_for(index_dir.parent)
        store = fake_store(settings.model_copy(update={"index_dir": index_dir}))
        return len(store.doc_records()), store.count("open")

    assert held(index) == held(tmp_path / "uninterrupted")
