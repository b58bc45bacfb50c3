"""`kill -9` of `council sync moderngov` mid-run, for real: a subprocess against the fake site, killed after a
varying number of papers. After each kill every paper on disk is whole (with its sidecar) and the next run
converges on exactly the files an uninterrupted sync writes."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.moderngov import SyncOptions, sync_site
from tests.moderngov_site import FakeSite

pytestmark = [pytest.mark.integration, pytest.mark.slow]

COUNCIL_BIN = Path(sys.executable).parent / "council"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and ".moderngov" not in p.parts
    }


def run_cli(base: str, dest: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "COUNCIL_SYNC_DIR": str(dest),
        "COUNCIL_SYNC_REQUEST_INTERVAL_S": "0",
        "COUNCIL_SYNC_TIMEOUT_S": "1.5",
        "COUNCIL_SYNC_BACKOFF_S": "0.05",
    }
    args = [str(COUNCIL_BIN), "sync", "moderngov", base, "--since", "2025-01-01", "--council", "Northfield"]
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_kill_mid_sync_converges(tmp_path: Path) -> None:
    site = FakeSite(paper_delay_s=0.3)
    base = site.start()
    try:
        reference = tmp_path / "reference"
        sync_site(
            SyncOptions(
                site_url=base,
                dest_dir=reference,
                council="Northfield",
                since=dt.date(2025, 1, 1),
                request_interval_s=0,
                timeout_s=1.5,
                backoff_s=0.05,
            )
        )
        expected = tree(reference)
        assert sum(name.endswith(".pdf") for name in expected) == 9

        dest = tmp_path / "killed"
        kills = 0
        for after_papers in (0, 1, 3, 5, 7):
            proc = run_cli(base, dest)
            deadline = time.monotonic() + 60
            while proc.poll() is None and time.monotonic() < deadline:
                written = sum(p.suffix == ".pdf" for p in dest.rglob("*.pdf")) if dest.exists() else 0
                if written >= after_papers and (after_papers or time.monotonic() > deadline - 59.7):
                    break
                time.sleep(0.02)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                kills += 1
            proc.wait(timeout=10)
            # whatever was written is whole: each paper is byte-identical to the uninterrupted run's, with its sidecar
            now = tree(dest) if dest.exists() else {}
            for name, data in now.items():
                if name.endswith(".pdf"):
                    assert data == expected[name], name
                    assert name + ".meta.yaml" in now, name
        assert kills >= 4, "the runs finished before they could be killed"

        final = run_cli(base, dest)
        out, _ = final.communicate(timeout=120)
        assert final.returncode == 3, (
            out.decode()
        )  # 3: done, but a paper (404) and a meeting could not be read
        text = out.decode()
        assert "did not finish; carrying on from it" in text
        assert tree(dest) == expected
        site_dir = next(p for p in dest.iterdir() if p.is_dir())
        assert not list((site_dir / ".moderngov" / "tmp").glob("*"))

        again = run_cli(base, dest)
        out, _ = again.communicate(timeout=120)
        assert "Papers: 0 new, 0 changed, 9 unchanged, 0 removed" in out.decode()
    finally:
        site.stop()
