"""Shared pieces of the benchmark: the run context, timing and statistics, machine facts, Markdown tables."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals import metrics

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "data" / "corpus"
QUESTIONS = REPO / "evals" / "sets" / "dev.jsonl"
TODAY = dt.date(2026, 11, 23)  # the date the question set's answers are written for (as the tests use)
BASELINE = "torch"


@dataclass
class Section:
    """One `## heading` of BENCHMARKS.md: its Markdown body and the raw numbers behind it."""

    key: str
    title: str
    lines: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class Context:
    quick: bool
    work: Path  # a private scratch folder, removed at the end
    model_cache: Path  # where ONNX exports are kept between runs (data/models)
    backend: str  # the configured default embedding backend: what ingest, retrieval and answers use
    large: bool = False  # `--large`: 1M chunks and a 10,000-paper archive (hours; not for CI)
    _embeddings: dict[str, Any] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)  # results one section hands to a later one

    def embeddings(self, backend: str | None = None) -> Any:
        """One embedding object per backend for the whole run (loading, and a first ONNX export, cost once)."""
        from vectorstore.embeddings import make_embeddings

        backend = backend or self.backend
        if backend not in self._embeddings:
            started = time.perf_counter()
            emb = make_embeddings(backend, "", 32, self.model_cache)
            emb.embed_query("warm up")  # loads the model (and exports it the first time)
            self.shared.setdefault("load_s", {})[backend] = time.perf_counter() - started
            self._embeddings[backend] = emb
        return self._embeddings[backend]

    def settings(self, index_dir: Path, **overrides: Any) -> Any:
        from assistant.settings import load_settings

        return load_settings(
            index_dir=index_dir,
            embedding_backend=self.backend,
            feedback_db=index_dir / "feedback.sqlite3",
            **overrides,
        )

    def link_models(self, index_dir: Path) -> None:
        """Point an index's `models` folder at the shared export, so a fresh index does not export again."""
        index_dir.mkdir(parents=True, exist_ok=True)
        link = index_dir / "models"
        if not link.exists():
            self.model_cache.mkdir(parents=True, exist_ok=True)
            link.symlink_to(self.model_cache.resolve(), target_is_directory=True)


# ---------------------------------------------------------------- statistics


def percentile(values: Sequence[float], p: float) -> float:
    """Linear-interpolated percentile (p in 0..100); NaN for no values (`evals.metrics.percentile`)."""
    got = metrics.percentile(values, p)
    return float("nan") if got is None else float(got)


def p50_p95(values: Sequence[float]) -> tuple[float, float]:
    return percentile(values, 50), percentile(values, 95)


def mean(values: Iterable[float]) -> float:
    xs = list(values)
    return statistics.fmean(xs) if xs else float("nan")


def best_of_interleaved(
    runs: dict[str, Callable[[], Any]], rounds: int, cpu: dict[str, float] | None = None
) -> dict[str, float]:
    """Shortest wall time of each candidate over `rounds` rounds, candidates taking turns (A B C, A B C, ...).

    On a shared machine the minimum is the least disturbed run, and taking turns spreads the other users' load
    over all candidates, so ratios between them stay fair. If `cpu` is given, it receives each candidate's
    shortest CPU time (all threads of this process): the work done, which other users' load disturbs less."""
    best = {name: float("inf") for name in runs}
    for _ in range(rounds):
        for name, fn in runs.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            fn()
            best[name] = min(best[name], time.perf_counter() - started)
            if cpu is not None:
                cpu[name] = min(cpu.get(name, float("inf")), time.process_time() - cpu_started)
    return best


def ratio(value: float, baseline: float) -> str:
    if not baseline or value != value or baseline != baseline:
        return "n/a"
    return f"{value / baseline:.2f}×"


# ---------------------------------------------------------------- machine


def loadavg() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:  # pragma: no cover - not on this platform
        return (float("nan"),) * 3


def rss_mb() -> float:
    """Resident memory of this process, from /proc (no psutil needed)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def du_mb(path: Path) -> float:
    total = 0
    for p in path.rglob("*"):
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_size
    return total / 1e6


def cpu_facts() -> dict[str, Any]:
    model, mhz = platform.processor() or "unknown", 0.0
    flags: set[str] = set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "model name":
                model = value.strip()
            elif key == "cpu MHz" and not mhz:
                mhz = float(value)
            elif key == "flags" and not flags:
                flags = set(value.split())
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if "avx512f" in flags:
        simd, macs = "AVX-512 + FMA", 32
    elif "avx2" in flags and "fma" in flags:
        simd, macs = "AVX2 + FMA", 16
    else:
        simd, macs = "SSE", 4
    return {
        "model": model,
        "cores": cores,
        "mhz": mhz,
        "simd": simd,
        "fp32_macs_per_cycle_per_core": macs,
        "int8_dot": "VNNI"
        if ("avx512_vnni" in flags or "avx_vnni" in flags)
        else "no VNNI (u8×s8 via pmaddubsw)",
        "bf16": "native"
        if ("avx512_bf16" in flags or "amx_bf16" in flags)
        else "emulated (no AVX512-BF16/AMX)",
    }


def memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in ("torch", "onnxruntime", "sentence_transformers", "chromadb", "bm25s"):
        try:
            mod = __import__(name)
            out[name] = str(getattr(mod, "__version__", "?"))
        except ImportError:
            out[name] = "missing"
    return out


def git_revision() -> str:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, timeout=10
        )
        return rev.stdout.strip() + ("+uncommitted changes" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def venv_bin() -> Path:
    return Path(sys.executable).parent


def clean(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- Markdown


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    def cell(v: Any) -> str:
        if isinstance(v, float):
            return (
                "n/a"
                if v != v
                else (f"{v:.3g}" if abs(v) < 10 else f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.1f}")
            )
        return str(v)

    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return out


def fmt(v: float, digits: int = 1) -> str:
    return "n/a" if v != v else f"{v:.{digits}f}"
