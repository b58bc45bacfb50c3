"""The `auto` embedding backend: `onnx` (fp32) or `onnx-int8`, whichever this CPU runs faster.

Which one wins depends on the CPU: with VNNI (int8 dot products in one instruction) `onnx-int8` ran at 2.1× fp32
and `onnx` at 1.4×; on an AVX2 CPU without VNNI `onnx-int8` ran at 1.29× and `onnx` at 1.96×. Rather than a table
of CPUs, `auto` measures both once on a fixed sample (CPU-seconds, best of interleaved rounds, so other users' load
disturbs it little) and writes the choice beside the model exports, keyed by the model export and by the CPU's
model, core count and SIMD flags: a cache copied to another machine is measured again there, and every later start
reads the file. Both candidates agree with fp32 to a cosine above 0.99 (tests/integration/test_fast_embeddings.py).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vectorstore.locks import file_lock

__all__ = ["CANDIDATES", "choice_path", "choose_backend", "cpu_signature"]

CANDIDATES = ("onnx", "onnx-int8")
ROUNDS = 3
_FLAGS = ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8")
_SAMPLE = (
    "The Cabinet is asked to note the findings of the inspection of children's services, which judged the overall "
    "effectiveness of services as requires improvement to be good, and to approve the improvement plan. Complaints "
    "to social care teams rose to 118 in 2022/23; the number of children looked after was 412 at 31 March, and "
    "caseloads averaged 19 per social worker. The partnership will report progress to the Children and Young "
    "People Scrutiny Committee every quarter, with the first report due in the spring."
)

Measure = Callable[[tuple[str, ...]], dict[str, float]]  # backends -> CPU-seconds for the sample (lower wins)


def cpu_signature() -> str:
    """The CPU as far as the choice depends on it: model name, cores, and the SIMD flags that matter."""
    model, flags = "unknown", set[str]()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and model == "unknown":
                model = value.strip()
            elif key.strip() == "flags" and not flags:
                flags = set(value.split())
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return f"{model}|{cores} cores|{','.join(f for f in _FLAGS if f in flags)}"


def choice_path(cache_dir: Path, model_key: str) -> Path:
    return cache_dir / f"auto-backend-{model_key}.json"


def choose_backend(cache_dir: Path, model_key: str, measure: Measure) -> str:
    """The cached choice for this CPU and model, or a new one measured once (under a lock: concurrent first
    starts measure once) and written atomically beside the model exports."""
    path = choice_path(cache_dir, model_key)
    signature = cpu_signature()
    cached = _read(path, signature)
    if cached:
        return cached
    cache_dir.mkdir(parents=True, exist_ok=True)
    with file_lock(path.with_suffix(".lock"), 600.0, lambda: TimeoutError(f"{path} is locked")):
        cached = _read(path, signature)
        if cached:
            return cached
        seconds = measure(CANDIDATES)
        choice = min(CANDIDATES, key=lambda b: seconds.get(b, float("inf")))
        record = {
            "backend": choice,
            "cpu": signature,
            "cpu_seconds": {b: round(s, 4) for b, s in seconds.items()},
            "measured_at": int(time.time()),
        }
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record, indent=1))
        os.replace(tmp, path)
    return choice


def _read(path: Path, signature: str) -> str:
    try:
        record: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):
        return ""
    backend = str(record.get("backend", ""))
    return backend if record.get("cpu") == signature and backend in CANDIDATES else ""


def measure_encoders(load: Callable[[str], Any], texts: int = 16) -> Measure:
    """A `Measure` that encodes a fixed sample with each backend's encoder (`load(backend)`), best of `ROUNDS`
    interleaved rounds of CPU time (all threads of this process)."""

    def run(backends: tuple[str, ...]) -> dict[str, float]:
        sample = [f"{i}. {_SAMPLE}" for i in range(texts)]
        encoders = {b: load(b) for b in backends}
        for enc in encoders.values():
            enc.encode(sample[:2])  # warm up: sessions allocate on first run
        best = {b: float("inf") for b in backends}
        for _ in range(ROUNDS):
            for b, enc in encoders.items():
                started = time.process_time()
                enc.encode(sample, batch_size=32)
                best[b] = min(best[b], time.process_time() - started)
        return best

    return run
