"""The `auto` embedding backend: measured once per CPU and model, the faster candidate chosen, the choice cached
beside the model exports and read back on every later start. No weights: the measurement is a stand-in."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from vectorstore import auto_backend
from vectorstore.auto_backend import CANDIDATES, choice_path, choose_backend


def _measure(seconds: dict[str, float], calls: list[int]) -> auto_backend.Measure:
    def run(backends: tuple[str, ...]) -> dict[str, float]:
        calls.append(1)
        assert backends == CANDIDATES
        return dict(seconds)

    return run


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        ({"onnx": 1.0, "onnx-int8": 0.5}, "onnx-int8"),  # VNNI: int8 about twice fp32
        ({"onnx": 0.51, "onnx-int8": 0.77}, "onnx"),  # AVX2 without VNNI: fp32 ONNX wins
    ],
)
def test_the_faster_backend_is_chosen_and_cached(
    tmp_path: Path, seconds: dict[str, float], expected: str
) -> None:
    calls: list[int] = []
    assert choose_backend(tmp_path, "key", _measure(seconds, calls)) == expected
    assert choose_backend(tmp_path, "key", _measure({}, calls)) == expected  # read back, not measured again
    assert calls == [1]
    record = json.loads(choice_path(tmp_path, "key").read_text())
    assert record["backend"] == expected and record["cpu"] == auto_backend.cpu_signature()
    assert record["cpu_seconds"] == seconds


def test_another_cpu_or_model_measures_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    choose_backend(tmp_path, "key", _measure({"onnx": 1.0, "onnx-int8": 0.5}, calls))
    monkeypatch.setattr(auto_backend, "cpu_signature", lambda: "another CPU|2 cores|avx2,fma")
    assert choose_backend(tmp_path, "key", _measure({"onnx": 0.5, "onnx-int8": 0.8}, calls)) == "onnx"
    assert (
        choose_backend(tmp_path, "other-model", _measure({"onnx": 0.9, "onnx-int8": 0.8}, calls))
        == "onnx-int8"
    )
    assert len(calls) == 3


@pytest.mark.parametrize("content", ["{not json", '{"backend": "torch", "cpu": "x"}', ""])
def test_a_damaged_or_foreign_cache_is_measured_again(tmp_path: Path, content: str) -> None:
    choice_path(tmp_path, "key").write_text(content)
    calls: list[int] = []
    assert choose_backend(tmp_path, "key", _measure({"onnx": 0.4, "onnx-int8": 0.5}, calls)) == "onnx"
    assert calls == [1]


def test_concurrent_first_starts_measure_once(tmp_path: Path) -> None:
    calls: list[int] = []
    gate = threading.Barrier(4)
    got: list[str] = []

    def start() -> None:
        gate.wait()
        got.append(choose_backend(tmp_path, "key", _measure({"onnx": 1.0, "onnx-int8": 0.5}, calls)))

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["onnx-int8"] * 4 and calls == [1]


def test_measure_encoders_times_each_backend_on_the_same_sample() -> None:
    seen: dict[str, list[int]] = {}

    class Encoder:
        def __init__(self, name: str) -> None:
            self.name = name

        def encode(self, texts: list[str], batch_size: int = 32) -> None:
            seen.setdefault(self.name, []).append(len(texts))

    seconds = auto_backend.measure_encoders(Encoder)(CANDIDATES)
    assert set(seconds) == set(CANDIDATES) and all(s >= 0 for s in seconds.values())
    assert seen == {b: [2] + [16] * auto_backend.ROUNDS for b in CANDIDATES}
