"""The one place that reads the environment. Everything else receives plain config objects.

Every field has a default, a unit in its name where it has one, and a description; `docs/configuration.md`
lists them all (a test checks this).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.chunking import ChunkingConfig
from ingest.config import IngestConfig
from vectorstore.config import StoreConfig

# Offline by default: no hub downloads, no telemetry, no analytics. Set before heavy imports elsewhere.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_env() -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


class Settings(BaseSettings):
    """Council Q&A settings. Environment variables use the prefix COUNCIL_ (e.g. COUNCIL_INDEX_DIR)."""

    model_config = SettingsConfigDict(env_prefix="COUNCIL_", env_file=None, extra="ignore")

    corpus_dir: Path = Field(Path("data/corpus"), description="Folder of papers ingested by `make run`.")
    index_dir: Path = Field(
        Path("data/index"), description="Where the embedded Chroma index and its keyword index live."
    )
    chroma_url: str = Field(
        "",
        description="URL of a Chroma server (`chroma run`), e.g. http://127.0.0.1:8000. Empty: embedded Chroma.",
    )
    embedding_model_dir: str = Field(
        "", description="Folder of a sentence-transformers model. Empty: the packaged all-MiniLM-L6-v2."
    )
    embedding_backend: Literal["auto", "torch", "torch-bf16", "onnx", "onnx-int8"] = Field(
        "auto",
        description=(
            "How chunks are embedded: `auto` (default: `onnx` or `onnx-int8`, whichever this CPU runs faster, "
            "measured once and cached beside the model), `onnx-int8` (about 2x fp32 with VNNI, cosine > 0.99 with "
            "fp32), `onnx` (fp32), `torch` (fp32), `torch-bf16`."
        ),
    )
    embedding_batch_size: int = Field(32, ge=1, description="Chunks embedded per batch.")
    chunk_size_tokens: int = Field(
        200,
        ge=64,
        le=250,
        description="Largest chunk body in MiniLM word-pieces (the prefix is added on top).",
    )
    chunk_overlap_tokens: int = Field(
        30, ge=0, le=100, description="Word-pieces repeated between neighbouring chunks."
    )
    chunk_min_tokens: int = Field(
        80, ge=0, description="Sections shorter than this are merged with their neighbour."
    )
    max_file_size_mb: float = Field(50.0, gt=0, description="Files larger than this are skipped at ingest.")
    per_file_timeout_s: float = Field(60.0, gt=0, description="Longest time one file may take to parse.")
    ingest_parse_workers: int = Field(
        1,
        ge=0,
        le=32,
        description=(
            "Papers `council ingest` parses and chunks at once, ahead of the one it embeds (each parse in its own "
            "limited process; 0: one paper at a time, parsed only when the previous one is written)."
        ),
    )
    ingest_nice: int = Field(
        10,
        ge=0,
        le=19,
        description=(
            "How much `council ingest` lowers its own CPU priority, so that chat on the same machine stays quick "
            "while papers are embedded (0: unchanged)."
        ),
    )
    top_k: int = Field(5, ge=1, le=50, description="Passages handed to the answerer.")
    candidate_k: int = Field(
        40, ge=1, le=500, description="Candidates fetched from each retriever before fusion."
    )
    min_relevance: float = Field(
        0.30, ge=0, le=1, description="Below this dense similarity the best passage is not trusted (refusal)."
    )
    llm_base_url: str = Field(
        "", description="OpenAI-compatible endpoint for the generative answerer. Empty: extractive."
    )
    llm_model: str = Field("local-model", description="Model name sent to the OpenAI-compatible endpoint.")
    llm_api_key: str = Field("not-needed", description="API key for the endpoint (local servers ignore it).")
    llm_timeout_s: float = Field(30.0, gt=0, description="Per-request timeout for the generative answerer.")
    host: str = Field(
        "127.0.0.1", description="Address the web app binds to. Use 0.0.0.0 only behind a proxy."
    )
    port: int = Field(7860, ge=1, le=65535, description="Port of the web app.")
    officer_token: str = Field(
        "", description="Bearer token for the officer audience on the API. Empty: no officer API."
    )
    officer_username: str = Field("officer", description="Username for the officer area login.")
    officer_password: str = Field(
        "", description="Password for the officer area login. Empty: officer area disabled."
    )
    officer_auth_header: str = Field(
        "",
        description="Header a trusted reverse proxy sets with the signed-in officer's name (e.g. X-Forwarded-User); "
        "when set, the officer area trusts it instead of its own login. Only safe when the app is reachable solely "
        "through that proxy, which must strip the header from client requests.",
    )
    max_question_chars: int = Field(1000, ge=10, description="Longest question accepted.")
    max_upload_mb: float = Field(25.0, gt=0, description="Largest upload accepted in the officer area.")
    widget_rate_limit_per_min: int = Field(
        10, ge=1, description="Questions per minute per client on the widget/API."
    )
    feedback_db: Path = Field(
        Path("data/feedback.sqlite3"), description="SQLite file for feedback and the audit log."
    )

    def chunking(self) -> ChunkingConfig:
        return ChunkingConfig(
            max_tokens=self.chunk_size_tokens,
            overlap_tokens=self.chunk_overlap_tokens,
            min_tokens=self.chunk_min_tokens,
        )

    def store(self) -> StoreConfig:
        return StoreConfig(index_dir=self.index_dir, chroma_url=self.chroma_url, chunking=self.chunking())

    def ingest(self) -> IngestConfig:
        return IngestConfig(
            chunking=self.chunking(),
            max_file_size_mb=self.max_file_size_mb,
            per_file_timeout_s=self.per_file_timeout_s,
            parse_workers=self.ingest_parse_workers,
        )


def load_settings(**overrides: object) -> Settings:
    apply_offline_env()
    return Settings(**overrides)  # type: ignore[arg-type]
