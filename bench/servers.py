"""Start and stop the real servers on 127.0.0.1: a `chroma run` server, `council serve` app replicas and
`council ingest` runs. Every process started here is stopped by `Processes.close()`, even after a failure."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import REPO, venv_bin


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def base_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
    env.update(
        {
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
            "GRADIO_ANALYTICS_ENABLED": "False",
            "TOKENIZERS_PARALLELISM": "false",
        }
    )
    env.update(extra)
    return env


class Processes:
    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        self.logs.mkdir(parents=True, exist_ok=True)
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        log.close()
        self.procs.append(proc)
        return proc

    def chroma(self, path: Path) -> str:
        port = free_port()
        proc = self.start(
            "chroma",
            [
                str(venv_bin() / "chroma"),
                "run",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--path",
                str(path),
            ],
            base_env({}),
        )
        url = f"http://127.0.0.1:{port}"
        wait_http(f"{url}/api/v2/heartbeat", proc, 90, self.logs / "chroma.log")
        return url

    def app(self, name: str, env: dict[str, str], timeout_s: float = 240) -> str:
        port = free_port()
        proc = self.start(name, [str(venv_bin() / "council"), "serve", "--port", str(port)], base_env(env))
        url = f"http://127.0.0.1:{port}"
        wait_http(f"{url}/healthz", proc, timeout_s, self.logs / f"{name}.log", want_ok=True)
        return url

    def ingest(self, name: str, paths: list[Path], env: dict[str, str]) -> subprocess.Popen[bytes]:
        return self.start(
            name, [str(venv_bin() / "council"), "ingest", "--quiet", *map(str, paths)], base_env(env)
        )

    def close(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in reversed(self.procs):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def wait_http(
    url: str, proc: subprocess.Popen[bytes], timeout_s: float, log: Path, want_ok: bool = False
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log.is_file() else ""
            raise RuntimeError(f"{' '.join(map(str, proc.args))} exited with {proc.returncode}:\n{tail}")  # type: ignore[arg-type]
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if not want_ok or json.loads(resp.read()).get("status") == "ok":
                    return
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} was not ready within {timeout_s:.0f} s (log: {log})")


def ask(
    url: str, question: str, audience: str = "public", timeout_s: float = 120
) -> tuple[int, dict[str, Any], float]:
    """POST /api/ask; returns (HTTP status, JSON body, seconds)."""
    body = json.dumps({"question": question, "audience": audience}).encode()
    req = urllib.request.Request(f"{url}/api/ask", data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:
            return resp.status, json.loads(resp.read()), time.perf_counter() - started
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read())
        except ValueError:
            detail = {}
        return exc.code, detail, time.perf_counter() - started
    except OSError as exc:
        return 0, {"detail": f"{type(exc).__name__}: {exc}"}, time.perf_counter() - started
