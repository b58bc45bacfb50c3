"""Tests that start Python processes of their own: a writer killed with -9, the CLI's priority, the sample-format
script's exit codes."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.test_sample_formats import SCRIPT, SEEDS, STEM
from web.feedback import FeedbackStore

CHILD = """
import os, signal, sys, datetime as dt
sys.path.insert(0, {repo!r})
from web.feedback import FeedbackStore
from assistant.answer import Answer, Status
store = FeedbackStore(__import__("pathlib").Path({db!r}))
for i in range(25):
    ask_id = store.record_ask(Answer(f"q{{i}}", "a", Status.ANSWERED), "chat", "public")
    store.rate(ask_id, 1)
print("written", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_committed_rows_survive_the_server_being_killed(tmp_path: Path) -> None:
    db = tmp_path / "killed.sqlite3"
    repo = str(Path(__file__).resolve().parents[2])
    proc = subprocess.run(
        [sys.executable, "-c", CHILD.format(repo=repo, db=str(db))],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": repo},
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert "written" in proc.stdout
    store = FeedbackStore(db)
    assert store.counts() == {"asks": 25, "up": 25, "down": 0, "comments": 0}
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_lower_priority_really_lowers_it() -> None:
    code = (
        "import os; from cli import lower_priority; a = os.nice(0); lower_priority(5); print(os.nice(0) - a)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "5"


def test_cli_check_reports_missing_then_present(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus / "seeds")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(SCRIPT), "--corpus", str(corpus), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    assert run("--check").returncode == 1
    built = run()
    assert built.returncode == 0, built.stderr
    assert f"{STEM}.pdf" in built.stdout and f"{STEM}.docx" in built.stdout
    assert run("--check").returncode == 0
