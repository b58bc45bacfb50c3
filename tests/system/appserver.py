"""Start the real app (`council serve`) on 127.0.0.1 for end-to-end tests, over a private copy of the MiniLM index
with one exempt paper added, so tests can check that public surfaces never show it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "data" / "corpus"
OFFICER_TOKEN = "integration-officer-token"
OFFICER_PASSWORD = "integration-officer-password"
EXEMPT_DOC = "placements-budget-part-b.md"
EXEMPT_TITLE = "Part B: Children's placements budget pressures (exempt)"
EXEMPT_QUESTION = "What is the forecast overspend on the children's placements budget in 2025/26?"
EXEMPT_PAPER = f"""---
title: "{EXEMPT_TITLE}"
date: 2025-10-01
council: Bury Council
classification: exempt
---

# Placements budget

The children's placements budget is forecast to overspend by 2.4 million pounds in 2025/26 because of residential
placement costs. Officers propose a sufficiency strategy to open two council-run children's homes by March 2027.
"""


@dataclass
class Server:
    url: str
    settings: Any
    log: Path

    def get_json(self, path: str, headers: dict[str, str] | None = None) -> Any:
        req = urllib.request.Request(self.url + path, headers=headers or {})
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_index(minilm_settings: Any, root: Path, **overrides: Any) -> Any:
    """A copy of the session's MiniLM index plus one exempt paper (ingested from a folder outside the corpus)."""
    from assistant.factory import store_for
    from vectorstore.indexer import Indexer

    shutil.copytree(minilm_settings.index_dir, root / "index", ignore=shutil.ignore_patterns("*.lock"))
    private = root / "private"
    private.mkdir()
    (private / EXEMPT_DOC).write_text(EXEMPT_PAPER, encoding="utf-8")
    settings = minilm_settings.model_copy(
        update={
            "index_dir": root / "index",
            "feedback_db": root / "feedback.sqlite3",
            "corpus_dir": CORPUS,
            "officer_token": OFFICER_TOKEN,
            "officer_password": OFFICER_PASSWORD,
            "widget_rate_limit_per_min": 10_000,
            "chat_rate_limit_per_min": 10_000,
            **overrides,
        }
    )
    report = Indexer(store_for(settings)).sync([private])
    assert report.added == [EXEMPT_DOC], report.summary_lines()
    return settings


def _env(settings: Any) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
    for name in (
        "index_dir",
        "feedback_db",
        "corpus_dir",
        "officer_token",
        "officer_password",
        "widget_rate_limit_per_min",
        "chat_rate_limit_per_min",
        "embedding_backend",
        "max_question_chars",
    ):
        env[f"COUNCIL_{name.upper()}"] = str(getattr(settings, name))
    env.update(
        {
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "GRADIO_ANALYTICS_ENABLED": "False",
            "ANONYMIZED_TELEMETRY": "False",
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
    )
    return env


def _tail(log: Path) -> str:
    lines = [ln for ln in log.read_text(errors="replace").splitlines() if "/healthz" not in ln]
    return "\n".join(lines[-40:])


@contextmanager
def running_server(settings: Any, root: Path, timeout_s: float = 300) -> Iterator[Server]:
    """`council serve` on a free loopback port; waits until /healthz says the index is ready."""
    port = free_port()
    log = root / "server.log"
    council = Path(sys.executable).with_name("council")
    cmd = [str(council), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=_env(settings), stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", settings, log)
    try:
        deadline = time.monotonic() + timeout_s
        health: Any = None
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}:\n{_tail(log)}")
            try:
                health = server.get_json("/healthz")
                if health["status"] == "ok":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server not ready in {timeout_s} s ({health}):\n{_tail(log)}")
            time.sleep(1.0)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
