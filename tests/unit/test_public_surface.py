"""Each package's `__init__` names the few things other packages use, and every name it lists resolves."""

from __future__ import annotations

import importlib

import pytest

SURFACES = {
    "ingest": [
        "SUPPORTED_SUFFIXES",
        "Chunk",
        "ChunkingConfig",
        "Classification",
        "DocType",
        "DocumentMeta",
        "IngestConfig",
        "LoadError",
        "ParsedDocument",
        "SidecarError",
        "Skipped",
        "SourceFile",
        "SourceReader",
        "discover",
        "fmt_date",
        "load_file",
    ],
    "vectorstore": [
        "MODES",
        "Audience",
        "Catalog",
        "DocumentInfo",
        "FilterError",
        "HybridSearcher",
        "Indexer",
        "IngestReport",
        "LibrarySummary",
        "Passage",
        "SearchFilters",
        "SearchResult",
        "Store",
        "StoreConfig",
        "StoreUnavailable",
        "make_embeddings",
    ],
    "assistant": [
        "Answer",
        "Assistant",
        "BadFilterError",
        "BadQuestionError",
        "Citation",
        "CouncilQAError",
        "NoIndexError",
        "Settings",
        "Status",
        "clean_question",
        "load_settings",
        "store_for",
    ],
    "evals": ["Question", "QuestionFileError", "eval_command", "load_questions"],
    "web": ["Services", "create_app"],
}


@pytest.mark.parametrize("package", sorted(SURFACES))
def test_exported_members(package: str) -> None:
    module = importlib.import_module(package)
    assert sorted(module.__all__) == sorted(SURFACES[package])
    for name in module.__all__:
        value = getattr(module, name)
        home = getattr(value, "__module__", None)
        assert home is None or home.startswith(package + "."), (name, home)  # defined in the package
