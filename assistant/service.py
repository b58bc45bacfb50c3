"""The assistant every surface calls: search, answer, and what the index covers."""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from assistant.answer import Answer
from assistant.errors import NoIndexError
from assistant.settings import Settings
from vectorstore.audience import Audience
from vectorstore.catalog import Catalog
from vectorstore.filters import SearchFilters
from vectorstore.passage import Passage
from vectorstore.retriever import HybridSearcher, SearchResult
from vectorstore.store import Store

PAPERS_CACHED = 256  # papers whose chunks the answer step keeps (a few MB)
_PAPERS_LOCK = threading.Lock()


@dataclass
class Assistant:
    settings: Settings
    store: Store
    searcher: HybridSearcher
    today: dt.date | None = None
    _extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        store: Store | None = None,
        today: dt.date | None = None,
        catalog: Catalog | None = None,
    ) -> Assistant:
        """The assistant over `store` (default: the one the settings name); `catalog` shares a caller's."""
        from assistant.factory import store_for

        store = store or store_for(settings)
        if not store.exists():
            where = settings.chroma_url or settings.index_dir
            # e.g. an index built before the chunking changed: the papers must be ingested again
            if store.other_indexes():
                raise NoIndexError(
                    f"the index under {where} was built by another version or other settings (chunking or "
                    "embedding model), which this version cannot read; nothing is lost, but the papers must be "
                    "ingested again"
                )
            raise NoIndexError(f"nothing indexed under {where}")
        searcher = HybridSearcher(store, today=today, candidate_k=settings.candidate_k, catalog=catalog)
        return cls(settings=settings, store=store, searcher=searcher, today=today)

    @property
    def catalog(self) -> Catalog:
        """What the index holds (documents, summary, places), shared with the searcher (a searcher that keeps none,
        such as the evals' baseline, gets one of the store's)."""
        found = getattr(self.searcher, "catalog", None)
        if isinstance(found, Catalog):
            return found
        if "catalog" not in self._extra:
            self._extra["catalog"] = Catalog(self.store)
        catalog: Catalog = self._extra["catalog"]
        return catalog

    def search(
        self,
        question: str,
        audience: Audience | str = Audience.PUBLIC,
        filters: SearchFilters | None = None,
        k: int | None = None,
        mode: str = "hybrid+recency",
    ) -> SearchResult:
        return self.searcher.search(question, audience, k or self.settings.top_k, filters, mode)  # type: ignore[arg-type]

    # ------------------------------------------------------------ pieces the answer pipeline is given

    def embed_texts(self, texts: list[str]) -> list[list[float]]:
        """Embeddings for short texts (question and candidate sentences), cached: sentences repeat a lot."""
        cache: dict[str, list[float]] = self._extra.setdefault("sentence_vectors", {})
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            if len(cache) > 20000:
                cache.clear()
            for text, vec in zip(missing, self.store.embeddings.embed_documents(missing), strict=True):
                cache[text] = vec
        return [cache[t] for t in texts]

    def similarity(self, a: str, b: str) -> float:
        from assistant.candidates import cosine

        va, vb = self.embed_texts([a, b[:2000]])
        return cosine(va, vb)

    def places(self, audience: Audience | str) -> list[str]:
        """Council place names in the papers `audience` may read ("Bury", "Bath and North East Somerset"), so a
        question naming one is answered only from papers about it."""
        return self.catalog.places(audience)

    def chat_model(self) -> Any:
        if "chat_model" not in self._extra:
            from assistant.generative import make_chat_model

            s = self.settings
            self._extra["chat_model"] = make_chat_model(
                s.llm_base_url, s.llm_model, s.llm_api_key, s.llm_timeout_s
            )
        return self._extra["chat_model"]

    def pipeline(self) -> Any:
        """The answer pipeline, built once: it receives the searcher, embeddings and places, and calls nothing
        back into this object."""
        if "pipeline" not in self._extra:
            from assistant.pipeline import AnswerPipeline, PipelineConfig

            s = self.settings
            config = PipelineConfig(
                home_council=s.home_council,
                max_question_chars=s.max_question_chars,
                top_k=s.top_k,
                min_answerability=s.min_answerability,
                llm_label=s.llm_model,
            )
            self._extra["pipeline"] = AnswerPipeline(
                search=lambda q, audience, filters, k: self.search(q, audience, filters, k),
                embed=self.embed_texts,
                places=self.place_index,
                coverage=self.coverage,
                config=config,
                similarity=self.similarity,
                chat_model=self.chat_model if s.llm_base_url else None,
                idf=getattr(self.searcher, "idf", None),  # the baseline searcher of the evals has none
                frequencies=getattr(self.searcher, "frequencies", None),
                record=self.inspection_record,
                documents=self.catalog.get,
                papers=self.catalog.documents,
                paper_passages=self.paper_passages,
                today=self.today,
            )
        return self._extra["pipeline"]

    def paper_passages(self, doc_id: str, audience: Audience | str) -> list[Passage]:
        """The live chunks of one paper `audience` may read, in reading order (none for a paper it may not read
        or that is gone); kept for the papers asked about most recently."""
        doc = self.catalog.get(doc_id)
        if doc is None or doc.classification not in Audience.parse(audience).classifications:
            return []
        cache: dict[tuple[str, str], list[Passage]] = self._extra.setdefault("paper_passages", {})
        key = (doc.doc_id, doc.content_hash)
        with _PAPERS_LOCK:
            held = cache.get(key)
        if held is not None:
            return held
        rows = self.store.chunks_of(doc.classification, doc.doc_id, doc.content_hash)
        rows.sort(key=lambda r: int((r[2] or {}).get("ordinal", 0)))
        passages = [Passage.from_metadata(i, t or "", m or {}) for i, t, m in rows]
        with _PAPERS_LOCK:
            while len(cache) >= PAPERS_CACHED:
                cache.pop(next(iter(cache)))
            cache[key] = passages
        return passages

    def inspection_record(self, audience: Audience | str) -> Any:
        """The inspection record this audience may see, built again when the index changes (None if none is kept)."""
        from assistant.record import InspectionRecord

        key = f"record:{Audience.parse(audience)}"
        generation = self.store.generation()
        cached = self._extra.get(key)
        if cached is None or cached[0] != generation:
            cached = (generation, InspectionRecord.from_store(self.store, str(Audience.parse(audience))))
            self._extra[key] = cached
        return cached[1]

    def place_index(self, audience: Audience | str) -> Any:
        """Councils whose papers this audience can reach, by place (the catalog caches per index generation)."""
        from assistant.scope import Places

        return Places.from_councils(self.catalog.councils(audience))

    def coverage(self, audience: Audience | str) -> Any:
        """What the papers this audience can reach cover, for refusals."""
        from assistant.pipeline import Coverage

        summary = self.catalog.summary(audience)
        bodies = sorted(summary.by_body, key=lambda b: -summary.by_body[b])
        papers = [(d.council, d.body, d.date) for d in summary.documents]
        return Coverage(bodies, summary.earliest, summary.latest, papers)

    def ask(
        self,
        question: str,
        audience: Audience | str = Audience.PUBLIC,
        filters: SearchFilters | None = None,
        k: int | None = None,
        history: list[dict[str, str]] | None = None,
    ) -> Answer:
        answer: Answer = self.pipeline().answer(question, Audience.parse(audience), filters, k, history or [])
        self.add_site_details(answer)
        return answer

    def add_site_details(self, answer: Answer) -> None:
        """Papers synced from a committee site: each citation gets its agenda item and the links from the item to
        its meeting page, minutes, decision and issue history (kept on the document's record, not its chunks)."""
        cited = [*answer.citations, *answer.closest]
        details = self.store.document_details(c.doc_id for c in cited) if cited else {}
        for c in cited:
            record = details.get(c.doc_id, {})
            c.agenda_item = str(record.get("agenda_item", ""))
            c.links = json.loads(record["links"]) if record.get("links") else {}
