"""The app as deployed: `council serve` in its own process with default settings.

It binds to 127.0.0.1 unless told otherwise, officer routes need auth, Gradio serves no file from disk (not the
corpus, not the code), and the audit log and feedback survive `kill -9` of the server.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.security import canary
from tests.security.conftest import OFFICER_TOKEN

FAKE_COUNCIL = [sys.executable, str(Path(__file__).with_name("fake_council.py"))]
OFFICER_PASSWORD = "officer-password-for-tests"


@dataclass
class Served:
    url: str
    port: int
    proc: subprocess.Popen[bytes]
    feedback_db: Path
    corpus: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _call(
    url: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


@pytest.fixture(scope="module")
def served(canary_settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(canary_settings.index_dir, root / "index")  # the server gets its own copy of the index
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
    env.update(
        COUNCIL_INDEX_DIR=str(root / "index"),
        COUNCIL_CORPUS_DIR=str(canary_settings.corpus_dir),
        COUNCIL_FEEDBACK_DB=str(root / "feedback.sqlite3"),
        COUNCIL_PORT=str(port),
        COUNCIL_OFFICER_TOKEN=OFFICER_TOKEN,
        COUNCIL_OFFICER_PASSWORD=OFFICER_PASSWORD,
        COUNCIL_WIDGET_RATE_LIMIT_PER_MIN="100000",
    )  # no COUNCIL_HOST: the default must be safe
    log = open(root / "server.log", "wb")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen([*FAKE_COUNCIL, "serve"], env=env, stdout=log, stderr=log, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, (root / "server.log").read_text()[-3000:]
        assert time.monotonic() < deadline, "the server did not start"
        try:
            if _call(url + "/healthz")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.3)
    yield Served(url, port, proc, root / "feedback.sqlite3", canary_settings.corpus_dir)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    log.close()


def _listening(port: int) -> set[str]:
    """Local addresses with a LISTEN socket on `port`, from /proc/net/tcp and tcp6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            addr, p = fields[1].split(":")
            if int(p, 16) == port and fields[3] == "0A":
                if len(addr) == 8:
                    found.add(socket.inet_ntoa(bytes.fromhex(addr)[::-1]))
                else:
                    found.add(addr)
    return found


def test_binds_to_loopback_by_default(served: Served) -> None:
    from assistant.settings import load_settings

    assert load_settings().host == "127.0.0.1"
    assert _listening(served.port) == {"127.0.0.1"}


def test_officer_routes_need_auth(served: Served) -> None:
    question = {"question": canary.EXEMPT[0].secret, "audience": "officer"}
    assert _call(served.url + "/api/ask", question)[0] == 401
    assert _call(served.url + "/api/ask", question, {"Authorization": "Bearer wrong-token"})[0] == 401
    status, body = _call(served.url + "/api/ask", question, {"Authorization": f"Bearer {OFFICER_TOKEN}"})
    assert status == 200 and canary.EXEMPT[0].canary in body
    assert _call(served.url + "/api/sources?audience=officer")[0] == 401
    for path in ("/officer/gradio_api/info", "/officer/config"):
        assert _call(served.url + path)[0] == 401, path
    assert _call(served.url + "/officer/gradio_api/upload", {}, {"Origin": served.url})[0] == 401


def test_gradio_serves_no_file_from_disk(served: Served) -> None:
    exempt = served.corpus / canary.EXEMPT[0].file
    open_paper = served.corpus / canary.EXEMPT[0].open_file
    for mount in ("", "/widget", "/officer"):
        for target in (exempt, open_paper, Path("/etc/passwd"), Path(__file__), Path("pyproject.toml")):
            status, body = _call(f"{served.url}{mount}/gradio_api/file={target}")
            assert status in (401, 403, 404), (mount, target, status)
            assert not canary.leaks(body.replace(str(target), ""))
    # originals come only through /files, and only open ones without an officer's signed link
    assert _call(f"{served.url}/files/{canary.EXEMPT[0].open_file}")[0] == 200
    assert _call(f"{served.url}/files/{canary.EXEMPT[0].file}")[0] in (403, 404)
    assert _call(f"{served.url}/files/..%2F..%2F..%2Fetc%2Fpasswd")[0] == 404


def test_the_audit_log_survives_kill_minus_9_of_the_server(served: Served) -> None:
    """Every question the server answered (HTTP 200) is in the log after `kill -9`, and the file is intact."""
    answered = []
    for i in range(8):
        q = f"What did Cabinet agree about Redwood House? (sequential {i})"
        status, _ = _call(served.url + "/api/ask", {"question": q})
        assert status == 200
        answered.append(q)

    def ask(i: int) -> tuple[str, int]:
        q = f"What support does the youth offending service give to victims? (burst {i})"
        try:
            return q, _call(served.url + "/api/ask", {"question": q})[0]
        except OSError:
            return q, 0  # cut off by the kill

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(ask, i) for i in range(24)]
        time.sleep(0.4)
        os.killpg(served.proc.pid, signal.SIGKILL)
        results = [f.result() for f in futures]
    served.proc.wait()
    answered += [q for q, status in results if status == 200]
    db = sqlite3.connect(served.feedback_db)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        logged = {row[0] for row in db.execute("SELECT question FROM asks")}
    finally:
        db.close()
    missing = [q for q in answered if q not in logged]
    print(f"\nserver killed with {len(answered)} answers given; {len(logged)} logged; missing {len(missing)}")
    assert not missing


RATER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from web.feedback import FeedbackStore
    from assistant.answer import Answer, Status

    store = FeedbackStore(Path(sys.argv[1]))
    for i in range(100000):
        ask_id = store.record_ask(Answer(f"question {i}", "answer", Status.ANSWERED), "widget", "public")
        store.rate(ask_id, 1 if i % 2 else -1)
        store.comment(ask_id, f"comment {i}")
        print(ask_id, flush=True)
    """
)


def test_ratings_and_comments_survive_kill_minus_9(tmp_path: Path) -> None:
    """The feedback store as the server uses it, killed mid-write: every acknowledged rating is kept."""
    from web.feedback import FeedbackStore

    db_path = tmp_path / "feedback.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", RATER, str(db_path)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert proc.stdout is not None
    acknowledged = []
    deadline = time.monotonic() + 60
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        acknowledged.append(int(line))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    acknowledged += [int(x) for x in proc.stdout.read().split()]
    assert len(acknowledged) >= 40
    rows = {r.id: r for r in FeedbackStore(db_path).asks(limit=100000)}
    for ask_id in acknowledged:
        i = int(rows[ask_id].question.split()[-1])
        assert rows[ask_id].rating == (1 if i % 2 else -1)
        assert rows[ask_id].comment == f"comment {i}"
