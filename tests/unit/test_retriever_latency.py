"""What makes a search quicker must not change what it finds: the dense hits' texts read from the keyword index,
and the filter's passing documents worked out once per snapshot. On a real Chroma (tmp_path) with the hashing
embedding."""

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


# ------------------------------------------------------------------------------------------------ memo


def test_the_passing_documents_are_worked_out_once_per_snapshot_and_filters(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    searcher = searcher_for(settings)
    calls: list[tuple[str, SearchFilters]] = []
    real = dense._select

    def counting(versions: Any, filters: SearchFilters, classification: str) -> Any:
        calls.append((classification, filters))
        return real(versions, filters, classification)

    monkeypatch.setattr(dense, "_select", counting)
    cabinet, stockton = FILTERS[1], FILTERS[0]
    for _ in range(3):
        for filters in (cabinet, stockton, SearchFilters(bodies=("Cabinet",))):  # equal filters share one
            searcher.search(QUERIES[0], "officer", filters=filters, mode="dense")
    assert sorted(calls, key=repr) == sorted(
        [(c, f) for f in (cabinet, stockton) for c in ("open", "exempt")], key=repr
    )


def test_memo_keeps_one_value_per_key_and_starts_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    import vectorstore.catalog as catalog

    monkeypatch.setattr(catalog, "MEMO_SIZE", 3)
    snap = catalog.Snapshot("1", {}, {}, {})
    built: list[int] = []

    def build(i: int) -> Any:
        return lambda: built.append(i) or i

    assert [snap.memo(i, build(i)) for i in (0, 1, 0, 2, 1)] == [0, 1, 0, 2, 1]
    assert built == [0, 1, 2]
    assert snap.memo(3, build(3)) == 3 and snap.memo(0, build(0)) == 0  # full at 3: the memo started again
    assert built == [0, 1, 2, 3, 0]
    assert catalog.Snapshot("1", {}, {}, {}) == snap  # the memo is not part of what a snapshot is
