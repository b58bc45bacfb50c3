"""What makes a search quicker must not change what it finds: the dense hits' texts read from the keyword index.
On a real Chroma (tmp_path) with the hashing embedding."""

from __future__ import annotations

from typing import Any

import pytest

import vectorstore.dense as dense
from tests.unit.test_retriever import FILTERS
from tests.unit.test_retriever_corpus import ingest, searcher_for, settings_for, write_corpus
from vectorstore.audience import Audience
from vectorstore.retriever import SearchFilters

QUERIES = (
    "When must the post-inspection action plan be submitted to Ofsted?",
    "How many complaints did Bury social care teams receive in 2022/23?",
    "placement sufficiency guidance",
    "SEND EHCP timeliness",
    "zzz nothing matches this",
)


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("latency")
    settings = settings_for(root)
    ingest(settings, write_corpus(root / "corpus"))
    return settings


# ------------------------------------------------------------------------------------------------ dense texts


@pytest.mark.parametrize("filters", [None, *FILTERS])
def test_dense_texts_from_the_keyword_index_are_chromas(settings: Any, filters: SearchFilters | None) -> None:
    searcher = searcher_for(settings)
    versions = searcher.catalog.snapshot()
    for query in QUERIES:
        vector = searcher.store.embeddings.embed_query(query)
        args = (searcher.store, vector, Audience.OFFICER, 10, filters, versions)
        from_keyword = dense.dense_search(*args, searcher.keyword.stored)
        from_chroma = dense.dense_search(*args)
        assert [vars(p) for p in from_keyword] == [vars(p) for p in from_chroma], (query, filters)


def test_dense_reads_from_chroma_what_the_keyword_index_lacks(settings: Any) -> None:
    """A version Chroma holds that the keyword index does not have yet (written there next)."""
    searcher = searcher_for(settings)
    versions = searcher.catalog.snapshot()
    vector = searcher.store.embeddings.embed_query(QUERIES[0])
    asked: list[str] = []

    def half(classification: str, ids: list[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        asked.extend(ids)
        return searcher.keyword.stored(classification, ids[::2])

    args = (searcher.store, vector, Audience.OFFICER, 10, None, versions)
    got = dense.dense_search(*args, half)
    assert asked and [vars(p) for p in got] == [vars(p) for p in dense.dense_search(*args)]


def test_stored_skips_ids_the_index_does_not_hold(settings: Any) -> None:
    searcher = searcher_for(settings)
    rows = searcher.store.collection("open").get(limit=3, include=["documents", "metadatas"])
    got = searcher.keyword.stored("open", [*rows["ids"], "no-such-doc::000000000000::0000"])
    assert got == {
        cid: (text, meta)
        for cid, text, meta in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
    }
    assert searcher.keyword.stored("open", []) == {}
