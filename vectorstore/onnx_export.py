"""The fast embedding path: the packaged MiniLM exported once to ONNX (fp32, or int8 by dynamic quantisation) and
run with ONNX Runtime, giving the same vectors as sentence-transformers' fp32 model.

Why not sentence-transformers' own `backend="onnx"`: it needs `optimum-onnx`, whose only release pins
`transformers<4.58`, while sentence-transformers 6.2 needs `transformers>=5`; the two cannot be installed together.
So the export is done here with the same tools that backend uses underneath: `torch.onnx.export` of the
Transformer module, ONNX Runtime's BERT graph fusions (attention, layer norm, GELU), and
`onnxruntime.quantization.quantize_dynamic` for int8. Pooling (mean over tokens) and normalisation are done in
numpy, as sentence-transformers' Pooling and Normalize modules do.

Offline and crash-safe: the export reads only the model folder; each artefact is built in a temporary folder
beside its destination and renamed into place, so an interrupted export leaves no half model, and a file lock
stops two processes exporting the same model at once. The cache key is a digest of the weights, the export
recipe and the tool versions, so a changed model or a new ONNX Runtime builds a fresh export.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from vectorstore.locks import file_lock

RECIPE = "2"  # bump when the export or quantisation recipe changes
MODEL_FILE = "model.onnx"
MANIFEST = "manifest.json"
LOCK_WAIT_S = 600.0
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
MAX_BATCH = 8


class OnnxExportError(RuntimeError):
    """The model could not be exported to ONNX; the message says why and what to do."""


# ---------------------------------------------------------------- the encoder


class OnnxEncoder:
    """A sentence-transformers-like `encode` over an ONNX Runtime session: tokenise, run, mean-pool, normalise.

    Texts are sorted by length and batched, so a batch pads to similar lengths (as sentence-transformers does).
    Batches are capped at `MAX_BATCH` texts, which measured faster on a 2-core CPU than 32 (the activations stay in
    cache). With the int8 model a text's vector depends slightly on the texts batched with it (activations are
    quantised per batch, cosine > 0.99 either way); the same texts in the same order give the same vectors.
    """

    def __init__(self, model_path: Path, model_dir: Path, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.model_path = Path(model_path)
        self.max_seq_length = _max_seq_length(model_dir)
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_seq_length)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or max(1, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(self.model_path), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self.session.get_inputs()}

    def encode(
        self,
        sentences: list[str] | str,
        batch_size: int = 32,
        normalize_embeddings: bool = False,
        convert_to_numpy: bool = True,
        show_progress_bar: bool = False,
        **_: Any,
    ) -> np.ndarray:
        single = isinstance(sentences, str)
        texts = [sentences] if isinstance(sentences, str) else list(sentences)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(texts)
        order = np.argsort([-len(e.ids) for e in encodings], kind="stable")
        out: np.ndarray | None = None
        step = max(1, min(batch_size, MAX_BATCH))
        for start in range(0, len(texts), step):
            idx = order[start : start + step]
            vecs = self._run([encodings[int(i)] for i in idx])
            if out is None:
                out = np.empty((len(texts), vecs.shape[1]), dtype=np.float32)
            out[idx] = vecs
        assert out is not None
        if normalize_embeddings:
            out /= np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)
        return out[0] if single else out

    def _run(self, batch: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        types = np.zeros((len(batch), width), dtype=np.int64)
        for row, enc in enumerate(batch):
            n = len(enc.ids)
            ids[row, :n] = enc.ids
            mask[row, :n] = 1
            types[row, :n] = enc.type_ids
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        hidden = self.session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        weights = mask[..., None].astype(np.float32)
        pooled: np.ndarray = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled.astype(np.float32)


def load_onnx(model_dir: Path, cache_dir: Path, quantised: bool, threads: int | None = None) -> OnnxEncoder:
    """The encoder for `model_dir`, exporting it to ONNX under `cache_dir` the first time (int8 if `quantised`)."""
    path = export_onnx(Path(model_dir), Path(cache_dir), quantised)
    return OnnxEncoder(path, Path(model_dir), threads)


# ---------------------------------------------------------------- export (once, atomically)


def export_onnx(model_dir: Path, cache_dir: Path, quantised: bool) -> Path:
    """Path of the exported model file, building it (and the fp32 model int8 is made from) when missing."""
    _check_model_dir(model_dir)
    key = cache_key(model_dir)
    fp32_dir = cache_dir / f"onnx-fp32-{key}"
    fp32 = ensure_built(
        fp32_dir, lambda tmp: _export_fp32(model_dir, tmp / MODEL_FILE), _manifest(model_dir, "fp32")
    )
    if not quantised:
        return fp32
    int8_dir = cache_dir / f"onnx-int8-{key}"
    return ensure_built(int8_dir, lambda tmp: _quantise(fp32, tmp / MODEL_FILE), _manifest(model_dir, "int8"))


def ensure_built(final_dir: Path, build: Callable[[Path], None], manifest: dict[str, Any]) -> Path:
    """Run `build(tmp_dir)` once and rename `tmp_dir` to `final_dir`; return `final_dir/model.onnx`.

    A finished folder holds a manifest written last, so a folder without one (from an older, non-atomic tool, or
    a hand copy) is rebuilt. Any failure removes the temporary folder and leaves `final_dir` as it was.
    """
    target = final_dir / MODEL_FILE
    if _complete(final_dir):
        return target
    final_dir.parent.mkdir(parents=True, exist_ok=True)
    with _lock(final_dir.parent / f".{final_dir.name}.lock"):
        if _complete(final_dir):  # another process finished it while we waited
            return target
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{final_dir.name}-", dir=final_dir.parent))
        try:
            tmp.chmod(0o755)
            started = time.monotonic()
            try:
                build(tmp)
            except Exception as exc:  # the tracer, fusions or quantiser failed: one error type for callers
                if isinstance(exc, OnnxExportError):
                    raise
                raise OnnxExportError(
                    f"building {final_dir.name} failed: {type(exc).__name__}: {exc}"
                ) from exc
            if not (tmp / MODEL_FILE).is_file():
                raise OnnxExportError(f"the export wrote no {MODEL_FILE}")
            _fsync(tmp / MODEL_FILE)
            info = {
                **manifest,
                "seconds": round(time.monotonic() - started, 1),
                "bytes": (tmp / MODEL_FILE).stat().st_size,
            }
            (tmp / MANIFEST).write_text(json.dumps(info, indent=1))
            _fsync(tmp / MANIFEST)
            if final_dir.exists():  # incomplete leftovers: replace them
                shutil.rmtree(final_dir)
            os.replace(tmp, final_dir)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return target


def cache_key(model_dir: Path) -> str:
    """Digest of the model's weights and config, the recipe, and the exporter/runtime versions."""
    from importlib.metadata import version

    tools = "|".join(f"{name}{version(name)}" for name in ("onnxruntime", "torch", "transformers"))
    h = hashlib.sha256(f"recipe{RECIPE}|{tools}".encode())
    for name in ("config.json", "tokenizer.json", *WEIGHT_FILES):
        path = model_dir / name
        if path.is_file():
            h.update(name.encode())
            h.update(_file_digest(path).encode())
    return h.hexdigest()[:16]


def _file_digest(path: Path) -> str:
    st = path.stat()
    return _digest_cached(str(path.resolve()), st.st_size, st.st_mtime_ns)


_DIGESTS: dict[tuple[str, int, int], str] = {}


def _digest_cached(path: str, size: int, mtime_ns: int) -> str:
    key = (path, size, mtime_ns)
    if key not in _DIGESTS:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        _DIGESTS[key] = h.hexdigest()
    return _DIGESTS[key]


def _manifest(model_dir: Path, precision: str) -> dict[str, Any]:
    return {
        "model_dir": str(model_dir),
        "precision": precision,
        "recipe": RECIPE,
        "created": int(time.time()),
    }


def _complete(folder: Path) -> bool:
    return (folder / MANIFEST).is_file() and (folder / MODEL_FILE).is_file()


def _check_model_dir(model_dir: Path) -> None:
    missing = [n for n in ("config.json", "tokenizer.json") if not (model_dir / n).is_file()]
    if missing or not any((model_dir / w).is_file() for w in WEIGHT_FILES):
        raise OnnxExportError(
            f"{model_dir} is not a sentence-transformers model folder (missing {', '.join(missing) or 'weights'}); "
            "use the packaged model (leave COUNCIL_EMBEDDING_MODEL_DIR empty) or the `torch` backend"
        )
    pooling = model_dir / "1_Pooling" / "config.json"
    if pooling.is_file():
        cfg = json.loads(pooling.read_text())
        if not cfg.get("pooling_mode_mean_tokens", False):
            raise OnnxExportError(
                f"{model_dir} uses a pooling other than mean tokens; the ONNX path supports mean pooling only. "
                "Use the `torch` backend for this model."
            )


def _max_seq_length(model_dir: Path) -> int:
    cfg = model_dir / "sentence_bert_config.json"
    if cfg.is_file():
        return int(json.loads(cfg.read_text()).get("max_seq_length", 256))
    return 256


def _lock(path: Path) -> contextlib.AbstractContextManager[None]:
    return file_lock(
        path,
        LOCK_WAIT_S,
        lambda: OnnxExportError(f"another process has held {path} for {LOCK_WAIT_S:.0f} s"),
        poll_s=0.2,
    )


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Tracer and quantiser chatter is about the export, not about anything a user can act on."""
    from transformers.utils import logging as hf_logging

    loggers = [logging.getLogger(n) for n in ("root", "onnxruntime", "torch.onnx", "transformers")]
    levels = [lg.level for lg in loggers]
    bars = hf_logging.is_progress_bar_enabled()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for lg in loggers:
                lg.setLevel(logging.ERROR)
            hf_logging.disable_progress_bar()
            yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
        if bars:
            hf_logging.enable_progress_bar()


def _export_fp32(model_dir: Path, dest: Path) -> None:
    """Trace the Transformer module to ONNX, then apply ONNX Runtime's BERT fusions."""
    import torch
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import AutoModel

    config = json.loads((model_dir / "config.json").read_text())
    raw = dest.with_name("raw.onnx")
    with _quiet(), torch.no_grad():
        model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager", local_files_only=True)
        model.eval()

        class _Hidden(torch.nn.Module):
            def __init__(self, inner: Any) -> None:
                super().__init__()
                self.inner = inner

            def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
                return self.inner(
                    input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
                ).last_hidden_state

        example = torch.ones((2, 8), dtype=torch.int64)
        names = ["input_ids", "attention_mask", "token_type_ids"]
        torch.onnx.export(
            _Hidden(model),
            (example, example, torch.zeros_like(example)),
            str(raw),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
            opset_version=17,
            do_constant_folding=True,
            dynamo=False,
        )
        fused = optimize_model(
            str(raw),
            model_type="bert",
            num_heads=int(config.get("num_attention_heads", 12)),
            hidden_size=int(config.get("hidden_size", 384)),
            opt_level=1,
            use_gpu=False,
        )
        fused.save_model_to_file(str(dest))
    raw.unlink(missing_ok=True)


def _quantise(fp32: Path, dest: Path) -> None:
    """Dynamic int8: per-channel weights (7-bit range, which AVX2's u8*s8 arithmetic needs to avoid saturation)
    for the attention and feed-forward input projections. The feed-forward output projections stay fp32: their
    inputs (after GELU) have the widest range, and quantising them costs most of the agreement with fp32."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(fp32), load_external_data=False).graph
    keep_fp32 = [n.name for n in graph.node if n.op_type == "MatMul" and _is_ffn_output(n.name)]
    with _quiet():
        quantize_dynamic(
            str(fp32),
            str(dest),
            weight_type=QuantType.QInt8,
            per_channel=True,
            reduce_range=True,
            op_types_to_quantize=["MatMul", "Attention"],
            nodes_to_exclude=keep_fp32,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )


def _is_ffn_output(node_name: str) -> bool:
    return "/output/dense/" in node_name and "/attention/" not in node_name
