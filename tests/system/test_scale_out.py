"""Scale-out as docs/deployment.md describes it: one `chroma run` server on loopback, three app replicas using it
(each with its own keyword index, derived from Chroma), and a separate process ingesting. Every replica keeps
answering over HTTP while the ingest runs, and each sees the new paper once it is in; then a paper is replaced and
removed by other `council ingest` runs, and the first question to each replica right after each run finds the new
text and not the old. Every process is stopped at the end, even after a failure."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS
from tests.servers import free_port, stop, wait_http

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BIN = Path(sys.executable).parent
QUESTION = "When is Bury's next Ofsted standard inspection window?"
NEW_FACT_QUESTION = "How many foster carers did Fernhollow recruit in 2026?"
NEW_PAPER = """---
title: Fernhollow Council Cabinet - Fostering recruitment update
date: 2026-10-14
publisher: Fernhollow Council
---

# Fernhollow Council Cabinet, 14 October 2026: fostering recruitment update

## 1. Summary

1.1 Fernhollow recruited 37 new foster carers in 2026, against a target of 30, the best year since 2015.

1.2 The Cabinet is asked to note the fostering recruitment update and the plan for 2027.
"""


class Cluster:
    """The processes of one test, stopped in reverse order by `close()`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.procs: list[subprocess.Popen[bytes]] = []
        self.models = root / "models"  # one ONNX export shared by every process (each index links to it)

    def env(self, name: str, chroma_url: str) -> dict[str, str]:
        index = self.root / name
        index.mkdir(parents=True, exist_ok=True)
        if not (index / "models").exists():
            self.models.mkdir(exist_ok=True)
            (index / "models").symlink_to(self.models, target_is_directory=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
        env.update(
            {
                "COUNCIL_CHROMA_URL": chroma_url,
                "COUNCIL_INDEX_DIR": str(index),
                "COUNCIL_FEEDBACK_DB": str(index / "feedback.sqlite3"),
                "COUNCIL_WIDGET_RATE_LIMIT_PER_MIN": "10000",
                "ANONYMIZED_TELEMETRY": "False",
            }
        )
        return env

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = open(self.root / f"{name}.log", "wb")  # noqa: SIM115 - the child holds it
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
        log.close()
        self.procs.append(proc)
        return proc

    def log(self, name: str) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.is_file() else ""

    def close(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                stop(proc)


@pytest.fixture()
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    c = Cluster(tmp_path)
    try:
        yield c
    finally:
        c.close()


def ask(url: str, question: str) -> dict[str, Any]:
    req = urllib.request.Request(
        f"{url}/api/ask",
        data=json.dumps({"question": question}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            body: dict[str, Any] = json.loads(resp.read())
            return body
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"{url} answered {exc.code}: {exc.read()[:300]!r}") from None


def wait_ready(url: str, proc: subprocess.Popen[bytes], cluster: Cluster, name: str) -> None:
    try:
        wait_http(f"{url}/healthz", proc, 300)
        deadline = time.monotonic() + 300
        while json.loads(urllib.request.urlopen(f"{url}/healthz", timeout=10).read())["status"] != "ok":
            assert time.monotonic() < deadline, f"{name} never found the index"
            time.sleep(1)
    except Exception as exc:
        raise AssertionError(f"{name} did not start: {exc}\n{cluster.log(name)}") from None


def assert_window(answer: dict[str, Any]) -> None:
    assert answer["status"] == "answered", answer
    assert "December 2027" in answer["answer"] and "December 2028" in answer["answer"], answer["answer"]


def test_three_replicas_answer_while_another_process_ingests_and_see_each_write_at_once(
    cluster: Cluster,
) -> None:
    port = free_port()
    chroma = cluster.start(
        "chroma",
        [
            str(BIN / "chroma"),
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--path",
            str(cluster.root / "chroma-data"),
        ],
        {**os.environ},
    )
    chroma_url = f"http://127.0.0.1:{port}"
    wait_http(f"{chroma_url}/api/v2/heartbeat", chroma, 90)

    # Bury's papers of the bundled corpus, without the whole Ofsted PDFs and the sample formats: what this test is
    # about (replicas, writes, the window answer from the Cabinet report) does not need the others, and
    # embedding them took most of its two minutes.
    corpus = cluster.root / "corpus"
    shutil.copytree(
        CORPUS,
        corpus,
        ignore=lambda folder, names: [
            n
            for n in names
            if n in {"ofsted-reports", "formats"} or (Path(folder).name == "public" and "bury" not in n)
        ],
    )
    first = cluster.start(
        "ingest-corpus",
        [str(BIN / "council"), "ingest", "--quiet", str(corpus)],
        cluster.env("ingest", chroma_url),
    )
    assert first.wait(timeout=1200) == 0, cluster.log("ingest-corpus")

    apps = {}
    for name in ("app-a", "app-b", "app-c"):
        p = free_port()
        proc = cluster.start(
            name, [str(BIN / "council"), "serve", "--port", str(p)], cluster.env(name, chroma_url)
        )
        apps[name] = (f"http://127.0.0.1:{p}", proc)
    for name, (url, proc) in apps.items():
        wait_ready(url, proc, cluster, name)

    # a new folder of papers for the third process: the Fernhollow paper and copies of the other councils'
    # papers, so that the ingest lasts long enough to overlap with the questions
    extra = cluster.root / "new-papers"
    extra.mkdir()
    (extra / "fernhollow-cabinet-2026-10-14-fostering-recruitment-update.md").write_text(NEW_PAPER)
    for src in sorted(p for p in (CORPUS / "public").glob("*.md") if "bury" not in p.name)[:10]:
        shutil.copy(src, extra / f"copy-{src.name}")
    ingest = cluster.start(
        "ingest-new",
        [str(BIN / "council"), "ingest", "--quiet", str(extra)],
        cluster.env("ingest", chroma_url),
    )

    def keep_asking(url: str) -> int:
        """Ask until the ingest ends; count the answers that came back while it was still running."""
        during = 0
        deadline = time.monotonic() + 1200
        while ingest.poll() is None and time.monotonic() < deadline:
            assert_window(ask(url, QUESTION))
            during += ingest.poll() is None
        return during

    with ThreadPoolExecutor(max_workers=len(apps)) as pool:  # both replicas at once
        futures = {name: pool.submit(keep_asking, url) for name, (url, _) in apps.items()}
        answered_during = {name: f.result() for name, f in futures.items()}
    assert ingest.wait(timeout=60) == 0, cluster.log("ingest-new")
    assert all(n >= 1 for n in answered_during.values()), f"no answers while ingesting: {answered_during}"

    for name, (url, proc) in apps.items():
        assert proc.poll() is None, f"{name} died:\n{cluster.log(name)}"
        assert_window(ask(url, QUESTION))
        fresh = ask(url, NEW_FACT_QUESTION)  # each replica sees what the other process added
        assert "37" in fresh["answer"], (name, fresh)
        assert any("fernhollow" in c["doc_id"] for c in fresh["citations"]), (name, fresh["citations"])

    # A write, then at once a question to each replica: the replaced paper's new figure, never the old one.
    paper = extra / "fernhollow-cabinet-2026-10-14-fostering-recruitment-update.md"
    paper.write_text(NEW_PAPER.replace("recruited 37 new foster carers", "recruited 41 new foster carers"))
    rerun = cluster.start(
        "ingest-replace",
        [str(BIN / "council"), "ingest", "--quiet", str(extra)],
        cluster.env("ingest", chroma_url),
    )
    assert rerun.wait(timeout=600) == 0, cluster.log("ingest-replace")
    for name, (url, _) in apps.items():
        fresh = ask(url, NEW_FACT_QUESTION)
        assert "41" in fresh["answer"] and "37" not in fresh["answer"], (name, fresh["answer"])
        quoted = " ".join(c["quote"] for c in fresh["citations"])
        assert "37 new foster carers" not in quoted, (name, quoted)

    # A removal (prune), then at once: no replica cites the paper any more.
    paper.unlink()
    prune = cluster.start(
        "ingest-prune",
        [str(BIN / "council"), "ingest", "--quiet", "--prune", str(extra)],
        cluster.env("ingest", chroma_url),
    )
    assert prune.wait(timeout=600) == 0, cluster.log("ingest-prune")
    for name, (url, _) in apps.items():
        gone = ask(url, NEW_FACT_QUESTION)
        assert not any("fernhollow" in c["doc_id"] for c in gone["citations"]), (name, gone["citations"])
        assert "41" not in gone["answer"], (name, gone["answer"])
