"""Papers on disk: finding them, and turning one file into its metadata and chunks.

Nothing here stores anything: `vectorstore.indexer` embeds and writes what `SourceReader.read` returns. A file that
cannot be used raises `LoadError` or `SidecarError` with a one-line reason a person can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.chunking import chunk_document
from ingest.config import IngestConfig
from ingest.documents import Chunk, DocumentMeta, ParsedDocument
from ingest.loaders import SUPPORTED_SUFFIXES, LoadError
from ingest.metadata import SIDECAR_NAME, build_meta, content_hash, load_sidecar, sidecar_for
from ingest.sandbox import safe_load
from ingest.tokens import TokenCounter, approx_count

IGNORED_NAMES = {SIDECAR_NAME, ".DS_Store", "Thumbs.db"}


@dataclass
class Skipped:
    path: str
    reason: str


@dataclass(frozen=True)
class SourceFile:
    path: Path
    doc_id: str
    root: Path

    @property
    def supported(self) -> bool:
        return self.path.suffix.lower() in SUPPORTED_SUFFIXES


def discover(paths: list[Path]) -> tuple[list[SourceFile], list[Skipped]]:
    """Files under each path. Doc ids are paths relative to the folder given (a single file: its name)."""
    found: list[SourceFile] = []
    problems: list[Skipped] = []
    for raw in paths:
        root = raw.resolve()
        if not root.exists():
            problems.append(Skipped(str(raw), "no such file or folder"))
            continue
        if root.is_file():
            found.append(SourceFile(root, root.name, root.parent))
            continue
        for p in sorted(root.rglob("*")):
            if not p.is_file() or p.name in IGNORED_NAMES or p.name.endswith(".meta.yaml"):
                continue
            if any(part.startswith(".") for part in p.relative_to(root).parts):
                continue
            found.append(SourceFile(p, p.relative_to(root).as_posix(), root))
    return found, problems


@dataclass(frozen=True)
class ReadDocument:
    """One file, parsed, described and chunked: what the indexer embeds and writes."""

    parsed: ParsedDocument
    meta: DocumentMeta
    chunks: list[Chunk]


class SourceReader:
    """Reads source files under the limits of an `IngestConfig`; sidecar metadata is read once per folder."""

    def __init__(self, config: IngestConfig, count: TokenCounter = approx_count) -> None:
        self.config = config
        self.count = count
        self._sidecars: dict[Path, dict[str, dict[str, str]]] = {}

    def overrides(self, src: SourceFile) -> dict[str, str]:
        """The fields `metadata.yaml` (or the file's own `.meta.yaml`) sets for this file."""
        if src.root not in self._sidecars:
            self._sidecars[src.root] = load_sidecar(src.root)
        return sidecar_for(src.path, src.doc_id, self._sidecars[src.root])

    def fingerprint(self, src: SourceFile, overrides: dict[str, str]) -> str:
        """The content hash of the file and its metadata overrides; an oversized file is refused first."""
        max_bytes = self.config.max_bytes
        size = src.path.stat().st_size
        if size > max_bytes:
            raise LoadError(
                f"file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit (COUNCIL_MAX_FILE_SIZE_MB)"
            )
        with open(src.path, "rb") as fh:
            return content_hash(fh.read(), overrides)

    def read(self, src: SourceFile, file_hash: str, overrides: dict[str, str]) -> ReadDocument:
        """Parse in the sandbox (time and memory limits), infer the metadata, cut the chunks."""
        parsed = safe_load(
            src.path, max_bytes=self.config.max_bytes, timeout_s=self.config.per_file_timeout_s
        )
        meta = build_meta(parsed, src.doc_id, file_hash, overrides)
        return ReadDocument(parsed, meta, chunk_document(parsed, meta, self.config.chunking, self.count))
