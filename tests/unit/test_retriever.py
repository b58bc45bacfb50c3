"""HybridSearcher on a real Chroma (tmp_path) with the hashing embedding: modes, filters on both paths, dates,
de-duplication of the same paper in two files, superseded figures and the LangChain face."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.text import stem
from tests.unit.test_retriever_corpus import (
    BURY_2223,
    BURY_2324,
    BURY_PLAN,
    STOCKTON_PLAN,
    TODAY,
    ingest,
    searcher_for,
    settings_for,
    write_corpus,
)
from vectorstore.recency import superseded
from vectorstore.retriever import (
    MODES,
    HybridSearcher,
    Mode,
    SearchFilters,
    SearchResult,
    query_terms,
    without_furniture,
)

D = dt.date


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> HybridSearcher:
    root = tmp_path_factory.mktemp("retriever")
    settings = settings_for(root)
    ingest(settings, write_corpus(root / "corpus"))
    result: HybridSearcher = searcher_for(settings)
    return result


def _everything(
    searcher: HybridSearcher,
    mode: str,
    filters: SearchFilters | None = None,
    query: str = "complaints Ofsted action plan Bury Stockton Devon guidance",
) -> SearchResult:
    return searcher.search(query, "officer", k=50, filters=filters, mode=mode)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------ modes


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_finds_the_passage(searcher: HybridSearcher, mode: Mode) -> None:
    result = searcher.search("When must the post-inspection action plan be submitted to Ofsted?", mode=mode)
    assert result.passages
    assert BURY_PLAN in result.passages[0].text
    assert result.timings_ms["total_ms"] > 0


def test_modes_record_what_they_ran(searcher: HybridSearcher) -> None:
    dense = searcher.search("action plan", mode="dense")
    keyword = searcher.search("action plan", mode="keyword")
    hybrid = searcher.search("action plan", mode="hybrid")
    assert "keyword_ms" not in dense.timings_ms and "embed_ms" in dense.timings_ms
    assert "embed_ms" not in keyword.timings_ms and "keyword_ms" in keyword.timings_ms
    assert {"embed_ms", "dense_ms", "keyword_ms", "fuse_ms"} <= set(hybrid.timings_ms)
    top = hybrid.passages[0].scores
    assert "dense_rank" in top or "keyword_rank" in top


def test_hybrid_is_a_fusion_of_both(searcher: HybridSearcher) -> None:
    hybrid = searcher.search("Stockton action plan deadline", mode="hybrid", k=10)
    ranked_by = {name for p in hybrid.passages for name in ("dense_rank", "keyword_rank") if name in p.scores}
    assert ranked_by == {"dense_rank", "keyword_rank"}
    assert [p.score for p in hybrid.passages] == sorted((p.score for p in hybrid.passages), reverse=True)


@pytest.mark.parametrize(("audience", "mode"), [("everyone", "hybrid"), ("public", "semantic")])
def test_rejects_unknown_audience_and_mode(searcher: HybridSearcher, audience: str, mode: str) -> None:
    with pytest.raises(ValueError):
        searcher.search("complaints", audience, mode=mode)  # type: ignore[arg-type]


def test_query_with_no_known_words(searcher: HybridSearcher) -> None:
    assert searcher.search("xyzzy plugh", mode="keyword").passages == []
    assert searcher.search("", mode="keyword").passages == []


def test_query_vectors_are_cached(searcher: HybridSearcher, monkeypatch: pytest.MonkeyPatch) -> None:
    searcher.search("a question asked twice", mode="dense")
    calls: list[str] = []

    def embed(query: str) -> list[float]:
        calls.append(query)
        return [0.0] * 256

    monkeypatch.setattr(searcher.store.embeddings, "embed_query", embed)
    searcher.search("a question asked twice", mode="hybrid")
    assert calls == []


# ------------------------------------------------------------------------------------------------ query terms


def test_query_terms_weights_expansions_below_the_question() -> None:
    terms = dict(query_terms("EHCP deadline", ["education, health and care plan", "due"], 0.5))
    assert terms["ehcp"] == 1.0
    assert terms[stem("deadline")] == 1.0
    assert terms["due"] == pytest.approx(0.5)
    # A four-word long form shares its weight: each word counts 0.5 / sqrt(4).
    assert terms[stem("education")] == pytest.approx(0.25)
    assert terms["plan"] == pytest.approx(0.25)


def test_query_terms_keep_the_question_weight_for_repeated_words() -> None:
    terms = dict(query_terms("care plan", ["education, health and care plan"], 0.5))
    assert terms["care"] == 1.0 and terms["plan"] == 1.0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("What was the action plan deadline?", ["due", "submitted by", "timescale"]),
        ("How was Bury rated?", ["judged"]),
        ("What grade did Ofsted give?", ["judgement", "judged"]),
        ("What number do I ring to complain?", ["complaint", "telephone"]),
        ("Deadlines for action plans", ["due", "submitted by", "timescale"]),  # plurals too
        ("Is the deadline due soon?", ["submitted by", "timescale"]),  # nothing the question already has
        ("What was the judgement?", []),  # one way only: papers' words are not turned into everyday ones
        ("A gradebook and a ringtone", []),  # whole words only
    ],
)
def test_plain_word_expansions(query: str, expected: list[str]) -> None:
    from vectorstore.glossary import plain_word_expansions

    assert plain_word_expansions(query) == expected


def test_glossary_expansion_reaches_the_long_form(searcher: HybridSearcher) -> None:
    result = searcher.search("What is the RI position?", mode="keyword")
    assert result.expanded_query.startswith("What is the RI position?")
    assert "requires improvement" in result.expanded_query
    assert any("requires improvement" in p.text for p in result.passages)


# ------------------------------------------------------------------------------------------------ filters

FILTERS = [
    SearchFilters(councils=("Stockton-on-Tees Borough Council",)),
    SearchFilters(bodies=("Cabinet",)),
    SearchFilters(doc_types=("complaints report", "guidance")),
    SearchFilters(date_from=D(2023, 1, 1)),
    SearchFilters(date_to=D(2023, 12, 31)),
    SearchFilters(date_from=D(2023, 1, 1), date_to=D(2023, 12, 31), bodies=("Cabinet",)),
    SearchFilters(councils=("No Such Council",)),
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("mode", MODES)
def test_filters_hold_in_every_mode(searcher: HybridSearcher, filters: SearchFilters, mode: str) -> None:
    everything = _everything(searcher, mode)
    filtered = _everything(searcher, mode, filters)
    for p in filtered.passages:
        assert filters.accepts(_meta(p)), (p.doc_id, p.date, p.body, p.doc_type, p.council)
    # Nothing the filters allow is lost (compared as documents: de-duplication may pick another copy).
    allowed = {p.doc_id for p in everything.passages if filters.accepts(_meta(p))}
    assert {p.doc_id for p in filtered.passages} == allowed


def test_filter_finds_what_the_unfiltered_search_ranks_low(searcher: HybridSearcher) -> None:
    filters = SearchFilters(councils=("Devon County Council",))
    for mode in MODES:
        result = searcher.search("How many complaints were received?", k=1, filters=filters, mode=mode)
        assert [p.council for p in result.passages] == ["Devon County Council"], mode


def test_date_filters_leave_out_undated_papers(searcher: HybridSearcher) -> None:
    for filters in (SearchFilters(date_from=D(2000, 1, 1)), SearchFilters(date_to=D(2100, 1, 1))):
        for mode in MODES:
            docs = {p.doc_id for p in _everything(searcher, mode, filters).passages}
            assert "guidance-undated.md" not in docs, (filters, mode)


def _meta(p: Any) -> dict[str, Any]:
    return {
        "date_ord": int(p.date.strftime("%Y%m%d")) if p.date else 0,
        "body": p.body,
        "doc_type": p.doc_type,
        "council": p.council,
    }


_VALUES = st.sampled_from(["Cabinet", "Bury Council", "guidance", "complaints report", "x", ""])
_DATES = st.one_of(st.none(), st.dates(min_value=D(2019, 1, 1), max_value=D(2027, 1, 1)))


@settings(max_examples=150, database=None, deadline=None)
@given(
    date_from=_DATES,
    date_to=_DATES,
    bodies=st.lists(_VALUES, max_size=2),
    doc_types=st.lists(_VALUES, max_size=2),
    councils=st.lists(_VALUES, max_size=2),
    metas=st.lists(
        st.fixed_dictionaries(
            {
                "date_ord": st.one_of(st.just(0), st.integers(20190101, 20270101)),
                "body": _VALUES,
                "doc_type": _VALUES,
                "council": _VALUES,
            }
        ),
        min_size=1,
        max_size=20,
    ),
)
def test_keyword_filter_agrees_with_accepts(
    date_from: dt.date | None,
    date_to: dt.date | None,
    bodies: list[str],
    doc_types: list[str],
    councils: list[str],
    metas: list[dict[str, Any]],
) -> None:
    from vectorstore.keyword import KeywordIndex

    filters = SearchFilters(date_from, date_to, tuple(bodies), tuple(doc_types), tuple(councils))
    index = KeywordIndex.build((str(i), "placement", {**m, "doc_id": str(i)}) for i, m in enumerate(metas))
    found = {hit.chunk_id for hit in index.search("placement", len(metas), filters)}
    assert found == {str(i) for i, m in enumerate(metas) if filters.accepts(m)}


def test_chroma_where_agrees_with_accepts(searcher: HybridSearcher) -> None:
    collection = searcher.store.collection("open")
    every = collection.get(include=["metadatas"])
    for filters in FILTERS:
        where = filters.chroma_where()
        assert where is not None
        got = set(collection.get(where=where)["ids"])
        expected = {
            cid for cid, m in zip(every["ids"], every["metadatas"], strict=True) if filters.accepts(m)
        }
        assert got == expected, filters


@pytest.mark.parametrize(
    "margin",
    [None, 1e9, 1e-6, "read-all"],
    ids=["default", "names-the-ids", "falls-back-to-where", "reads-nearest"],
)
@pytest.mark.parametrize("filters", FILTERS)
def test_filtered_dense_search_is_chromas_where(
    searcher: HybridSearcher, filters: SearchFilters, margin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The filtered dense search through the catalog returns what Chroma's own where returns, by each of its paths:
    naming the passing chunks' ids, reading the nearest chunks by distance, or falling back to the where."""
    import vectorstore.dense as dense
    from vectorstore.audience import Audience

    collection = searcher.store.collection("open")
    if margin == "read-all":  # the nearest-chunks path, reading every chunk: exact whatever the filter
        n_all = collection.count() + 1  # more than it holds: Chroma returns every chunk
        real = dense._nearest_passing
        monkeypatch.setattr(dense, "_query", lambda *a, **kw: pytest.fail("the ids path was taken"))
        monkeypatch.setattr(dense, "_nearest_passing", lambda c, v, k, n, p: real(c, v, k, n_all, p))
        monkeypatch.setattr(dense, "MARGIN", 0.0)
    elif margin is not None:
        monkeypatch.setattr(dense, "MARGIN", margin)
    versions = searcher.catalog.snapshot()
    for query in ("complaints received", "Ofsted action plan", "placement sufficiency guidance"):
        vector = searcher.store.embeddings.embed_query(query)
        ref = collection.query(
            query_embeddings=[vector],
            n_results=4,
            where=filters.chroma_where(),
            include=["metadatas", "distances"],
        )
        expected = [
            (cid, round(d, 5))
            for cid, m, d in zip(ref["ids"][0], ref["metadatas"][0], ref["distances"][0], strict=True)
            if versions.active.get(str(m["doc_id"])) == m["content_hash"]
        ]
        if margin == "read-all" and not expected:
            continue  # nothing passes: the catalog answers without reading Chroma
        got = dense.dense_search(searcher.store, vector, Audience.PUBLIC, 4, filters, versions)
        assert sorted(round(1.0 - p.score, 5) for p in got) == sorted(d for _, d in expected), (
            query,
            filters,
        )
        assert {p.chunk_id for p in got} == {cid for cid, _ in expected}, (query, filters)
        assert all(filters.accepts(_meta(p)) for p in got)


def test_no_filters_cost_nothing() -> None:
    assert SearchFilters().empty
    assert SearchFilters().chroma_where() is None


# ------------------------------------------------------------------------------------------------ dates


def test_named_period_prefers_the_passage_that_names_it(searcher: HybridSearcher) -> None:
    both = {BURY_2223, BURY_2324}
    for year, wanted in (("2022/23", BURY_2223), ("2023-24", BURY_2324)):
        result = searcher.search(f"How many complaints did Bury social care teams receive in {year}?")
        assert result.period is not None
        top = next(p for p in result.passages if any(s in p.text for s in both))
        assert wanted in top.text, year
        assert top.scores["recency"] > 1.0


def test_without_a_period_newer_papers_move_up(searcher: HybridSearcher) -> None:
    query = "What was the action plan deadline?"
    dated = searcher.search(query, k=10)
    plain = searcher.search(query, k=10, mode="hybrid")
    assert dated.period is None
    assert all("recency" not in p.scores for p in plain.passages)

    def ratio(result: SearchResult) -> float:
        score = {t: p.score for p in result.passages for t in (BURY_PLAN, STOCKTON_PLAN) if t in p.text}
        return score[BURY_PLAN] / score[STOCKTON_PLAN]

    assert ratio(dated) > ratio(plain)  # the 2025 paper gains on the 2023 one
    factors = {p.date: p.scores["recency"] for p in dated.passages if p.date}
    assert factors[D(2025, 9, 10)] > factors[D(2023, 6, 15)] > 1.0


def test_use_period_false_ignores_dates_in_the_question(searcher: HybridSearcher) -> None:
    assert searcher.search("complaints in 2022/23", use_period=False).period is None


# ------------------------------------------------------------------------------------------------ dedup


@pytest.mark.parametrize("mode", MODES)
def test_the_same_paper_in_two_files_is_shown_once(searcher: HybridSearcher, mode: Mode) -> None:
    result = searcher.search("Bury action plan submitted to Ofsted requires improvement", k=10, mode=mode)
    with_plan = [p for p in result.passages if BURY_PLAN in p.text]
    assert len(with_plan) == 1, [p.doc_id for p in with_plan]


def test_at_most_three_passages_of_one_paper_while_others_remain(searcher: HybridSearcher) -> None:
    result = searcher.search("complaints", k=5)
    papers = [(p.title, p.date) for p in result.passages]
    assert max(papers.count(x) for x in papers) <= 3


# ------------------------------------------------------------------------------------------------ superseded


def test_superseded_figures_among_the_passages(searcher: HybridSearcher) -> None:
    result = searcher.search("How many complaints did Bury Social Care Teams receive?", k=10)
    found = [(old, new) for old, new, measure in superseded(result.passages) if measure == "complaints"]
    assert found
    for old, new in found:
        assert old.date < new.date  # type: ignore[operator]
    assert any(BURY_2223 in old.text for old, _ in found)


def test_searcher_on_an_empty_store(tmp_path: Path) -> None:
    from tests.fakes import fake_store

    store = fake_store(settings_for(tmp_path))
    for mode in MODES:
        assert HybridSearcher(store, today=TODAY).search("anything", mode=mode).passages == []


def test_a_chunk_of_a_word_or_two_is_never_a_passage() -> None:
    from tests.fakes import make_passage

    page = [
        make_passage("Newsroom"),
        make_passage("Rated requires improvement overall, good for care leavers."),
    ]
    assert [p.text for p in without_furniture(page)] == [page[1].text]
    assert without_furniture([make_passage("Inspection dates: 1 May 2023")]) != []
