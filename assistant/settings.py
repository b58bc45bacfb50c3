"""The one place that reads the environment. Everything else receives plain config objects.

Every field has a default, a unit in its name where it has one, and a description; `docs/configuration.md`
lists them all (a test checks this).
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.chunking import ChunkingConfig
from ingest.config import IngestConfig
from ingest.moderngov.options import SyncOptions
from vectorstore.config import StoreConfig

MIN_PASSWORD_CHARS = 12
MIN_TOKEN_CHARS = 24

# Offline by default: no hub downloads, no telemetry, no analytics. Set before heavy imports elsewhere.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio of `#rrggbb` against white."""

    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


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
    min_answerability: float | None = Field(
        None,
        ge=0,
        le=1,
        description=(
            "Answer only when the answerability score reaches this (0..1); empty: the threshold calibrated on "
            "the tuning questions (assistant/data/answerability.json). Higher refuses more."
        ),
    )
    home_council: str = Field(
        "Bury Council",
        description=(
            "The deployment's own council: a question naming no council is answered from its papers (and national "
            "bodies' papers). Empty: answer from every paper held."
        ),
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
        "",
        description=f"Bearer token for the officer audience on the API (at least {MIN_TOKEN_CHARS} characters, "
        "e.g. `openssl rand -hex 24`). Empty: no officer API.",
    )
    officer_username: str = Field("officer", description="Username for the officer area login.")
    officer_password: str = Field(
        "",
        description=f"Password for the officer area login (at least {MIN_PASSWORD_CHARS} characters). Empty: "
        "officer area disabled.",
    )
    officer_auth_header: str = Field(
        "",
        description="Header a trusted reverse proxy sets with the signed-in officer's name (e.g. X-Forwarded-User); "
        "when set, the officer area trusts it instead of its own login. Only safe when the app is reachable solely "
        "through that proxy, which must strip the header from client requests.",
    )
    public_url: str = Field(
        "",
        description="The address people reach the app at (e.g. https://qa.example.gov.uk). Links in API answers are "
        "built from it, and the officer area accepts requests only from this origin. Empty: the request's own "
        "address (fine on one machine; set it behind a proxy).",
    )
    cors_origins: str = Field(
        "",
        description="Other sites allowed to call the public pages and API from a browser (comma-separated origins, "
        "e.g. https://www.example.gov.uk for the widget's web component). Empty: same origin only. Never applies "
        "to the officer area.",
    )
    trusted_proxies: str = Field(
        "",
        description="Addresses or networks (comma-separated, e.g. 127.0.0.1,10.0.0.0/8) of reverse proxies whose "
        "X-Forwarded-For header names the client. Empty: the header is ignored and the connecting address is the "
        "client (rate limits and sign-in throttling are keyed by it).",
    )
    max_question_chars: int = Field(1000, ge=10, description="Longest question accepted.")
    max_upload_mb: float = Field(25.0, gt=0, description="Largest upload accepted in the officer area.")
    widget_rate_limit_per_min: int = Field(
        10, ge=1, description="Questions per minute per client on the widget and the public API."
    )
    feedback_db: Path = Field(
        Path("data/feedback.sqlite3"), description="SQLite file for feedback and the audit log."
    )
    sync_url: str = Field(
        "",
        description="The council's Modern.Gov site (e.g. https://democracy.example.gov.uk), synced by `council "
        "serve` every COUNCIL_SYNC_INTERVAL_H hours. Empty: no scheduled sync.",
    )
    sync_interval_h: float = Field(
        0.0, ge=0, description="Hours between the background syncs `council serve` runs (0: off)."
    )
    sync_dir: Path = Field(
        Path("data/corpus/moderngov"),
        description="Where synced papers and their metadata sidecars are written, one folder per site. Inside "
        "COUNCIL_CORPUS_DIR, so `council ingest` of the corpus takes them too.",
    )
    sync_council: str = Field(
        "",
        description="The council's name, written into each synced paper's metadata. Empty: the site's host.",
    )
    sync_filters_file: str = Field(
        "",
        description="YAML of the committees, item keywords and restricted-title markers to sync. Empty: the "
        "packaged children's services defaults (ingest/moderngov/children_services.yaml).",
    )
    sync_lookback_days: int = Field(
        730, ge=1, description="How far back meetings are synced when `--since` is not given."
    )
    sync_request_interval_s: float = Field(
        1.0, ge=0, description="Least time between two requests to the council's site (politeness)."
    )
    sync_timeout_s: float = Field(
        60.0, gt=0, description="How long one request to the council's site may take."
    )
    sync_attempts: int = Field(
        3,
        ge=1,
        le=10,
        description="Tries per request before it counts as failed (timeouts, 429 and 5xx answers).",
    )
    sync_backoff_s: float = Field(
        2.0,
        ge=0,
        description="Wait after a failed try, doubled after each (a Retry-After header is honoured).",
    )
    sync_contact: str = Field(
        "", description="An e-mail or web address added to the sync's User-Agent, so the site can reach you."
    )
    sync_auth_token: str = Field(
        "",
        description="A `Header: value` line (e.g. `Cookie: ...` of a signed-in councillor's session) sent only "
        "when fetching restricted (Part B) papers, which are then written as `exempt`. Empty: restricted papers "
        "are never fetched.",
    )
    chat_rate_limit_per_min: int = Field(
        60,
        ge=1,
        description="Questions per minute per client in the councillors' chat (its own, higher limit: a committee "
        "room may share one address).",
    )
    log_retention_days: int = Field(
        90,
        ge=1,
        description="Days a logged question, its answer and any feedback are kept; older ones are deleted "
        "(hourly while the server runs, and by `council purge-log`). The privacy notice states it.",
    )
    brand_name: str = Field(
        "",
        max_length=120,
        description="The council's name shown in the widget and the notices (e.g. Bury Council). Empty: the names "
        "of the councils whose papers are held.",
    )
    brand_logo_url: str = Field(
        "",
        description="Address of the council's logo for the widget header (https://... or a path on this server). "
        "Empty: no logo.",
    )
    brand_colour: str = Field(
        "#1d4ed8",
        pattern=r"^#[0-9a-fA-F]{6}$",
        description="The widget's main colour (#rrggbb): buttons, links, focus ring. Must have a contrast of at least "
        "4.5:1 with white (checked at start).",
    )
    contact_email: str = Field(
        "",
        max_length=200,
        description="Where people report an accessibility problem or ask about their data (named in the "
        "accessibility statement and the privacy notice). Empty: the notices say to contact the council.",
    )

    @field_validator("officer_password")
    @classmethod
    def _long_password(cls, value: str) -> str:
        if value and len(value) < MIN_PASSWORD_CHARS:
            raise ValueError(
                f"the officer password must be at least {MIN_PASSWORD_CHARS} characters (or empty: off)"
            )
        return value

    @field_validator("officer_token")
    @classmethod
    def _long_token(cls, value: str) -> str:
        if value and len(value) < MIN_TOKEN_CHARS:
            raise ValueError(
                f"the officer token must be at least {MIN_TOKEN_CHARS} characters (or empty: off); "
                "make one with `openssl rand -hex 24`"
            )
        return value

    @field_validator("public_url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not re.fullmatch(r"https?://[^/\s?#]+", value):
            raise ValueError("the public URL must be a scheme and host only, e.g. https://qa.example.gov.uk")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for part in filter(None, (p.strip() for p in value.split(","))):
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ValueError(
                    f"{part!r} is not an address or network (e.g. 127.0.0.1 or 10.0.0.0/8)"
                ) from None
        return value

    @field_validator("brand_colour")
    @classmethod
    def _readable_on_white(cls, value: str) -> str:
        ratio = contrast_with_white(value)
        if ratio < 4.5:
            raise ValueError(
                f"{value} has a contrast of {ratio:.1f}:1 with white; WCAG AA needs 4.5:1 for text"
            )
        return value

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

    def moderngov(self, site_url: str = "", **overrides: Any) -> SyncOptions:
        """What a sync of a Modern.Gov site needs, from these settings (`overrides` from the command line)."""
        options = SyncOptions(
            site_url=site_url or self.sync_url,
            dest_dir=self.sync_dir,
            council=self.sync_council,
            filters_file=Path(self.sync_filters_file) if self.sync_filters_file else None,
            lookback_days=self.sync_lookback_days,
            request_interval_s=self.sync_request_interval_s,
            timeout_s=self.sync_timeout_s,
            attempts=self.sync_attempts,
            backoff_s=self.sync_backoff_s,
            contact=self.sync_contact,
            auth_header=self.sync_auth_token,
            max_document_bytes=int(self.max_file_size_mb * 1e6),
        )
        return replace(options, **{k: v for k, v in overrides.items() if v not in (None, "", ())})


def load_settings(**overrides: object) -> Settings:
    apply_offline_env()
    return Settings(**overrides)  # type: ignore[arg-type]
