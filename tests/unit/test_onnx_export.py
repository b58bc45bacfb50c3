"""The ONNX export is built once, atomically: a crash mid-export leaves no half model. No weights needed: the
builder is a stand-in that writes a file (or fails) the way the real exporter would."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from vectorstore.onnx_export import MANIFEST, MODEL_FILE, OnnxExportError, _check_model_dir, ensure_built


def _writer(calls: list[int], payload: bytes = b"onnx") -> object:
    def build(tmp: Path) -> None:
        calls.append(1)
        (tmp / MODEL_FILE).write_bytes(payload)

    return build


def test_builds_once_and_reuses(tmp_path: Path) -> None:
    calls: list[int] = []
    final = tmp_path / "cache" / "onnx-fp32-abc"
    first = ensure_built(final, _writer(calls), {"precision": "fp32"})  # type: ignore[arg-type]
    again = ensure_built(final, _writer(calls), {"precision": "fp32"})  # type: ignore[arg-type]
    assert first == again == final / MODEL_FILE
    assert first.read_bytes() == b"onnx"
    assert (final / MANIFEST).is_file()
    assert len(calls) == 1


def test_crash_mid_export_leaves_nothing(tmp_path: Path) -> None:
    final = tmp_path / "onnx-int8-abc"

    def crash(tmp: Path) -> None:
        (tmp / MODEL_FILE).write_bytes(b"half a mod")
        raise KeyboardInterrupt  # the process is being stopped

    with pytest.raises(KeyboardInterrupt):
        ensure_built(final, crash, {})
    assert not final.exists()
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []


def test_export_writing_nothing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(OnnxExportError, match=MODEL_FILE):
        ensure_built(tmp_path / "x", lambda tmp: None, {})
    assert not (tmp_path / "x").exists()


def test_incomplete_leftover_is_rebuilt(tmp_path: Path) -> None:
    final = tmp_path / "onnx-fp32-abc"
    final.mkdir()
    (final / MODEL_FILE).write_bytes(b"truncated")  # no manifest: from a tool that did not write atomically
    calls: list[int] = []
    path = ensure_built(final, _writer(calls, b"whole"), {})  # type: ignore[arg-type]
    assert path.read_bytes() == b"whole" and calls == [1]


def test_two_processes_at_once_build_once(tmp_path: Path) -> None:
    calls: list[int] = []
    final = tmp_path / "onnx-fp32-abc"
    gate = threading.Barrier(4)

    def go() -> None:
        gate.wait()
        ensure_built(final, _writer(calls), {})  # type: ignore[arg-type]

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert (final / MODEL_FILE).read_bytes() == b"onnx"


def test_not_a_model_folder_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(OnnxExportError, match="torch"):
        _check_model_dir(tmp_path)


def test_other_pooling_is_refused(tmp_path: Path) -> None:
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text('{"pooling_mode_cls_token": true}')
    with pytest.raises(OnnxExportError, match="mean pooling"):
        _check_model_dir(tmp_path)


def test_a_failing_tool_becomes_one_clear_error(tmp_path: Path) -> None:
    def tracer_breaks(tmp: Path) -> None:
        (tmp / MODEL_FILE).write_bytes(b"half")
        raise RuntimeError("unsupported operator aten::foo")

    with pytest.raises(OnnxExportError, match="aten::foo"):
        ensure_built(tmp_path / "onnx-fp32-abc", tracer_breaks, {})
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []


def test_embeddings_fall_back_to_torch_when_onnx_cannot_be_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from vectorstore import embeddings

    loaded: list[str] = []

    def fake_load(model_dir: Path, backend: str, cache_dir: Path | None) -> object:
        loaded.append(backend)
        if backend.startswith("onnx"):
            raise OnnxExportError("uses a pooling other than mean tokens")
        return "torch model"

    monkeypatch.setattr(embeddings, "_load", fake_load)
    emb = embeddings.MiniLMEmbeddings(tmp_path, backend="onnx-int8")
    with caplog.at_level("WARNING", logger="vectorstore.embeddings"):
        assert emb.model == "torch model"
    assert loaded == ["onnx-int8", "torch"]
    assert emb.backend == "onnx-int8" and emb.active_backend == "torch"
    assert "using torch" in caplog.text
