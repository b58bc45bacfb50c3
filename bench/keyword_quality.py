"""Keyword-only retrieval quality (hit@1, hit@5, MRR@5 of mode `keyword`) on question sets, over the bundled corpus.

    python -m bench.keyword_quality [--set evals/sets/dev.jsonl ...] [--json]

Keyword search needs no embedding model, so the corpus is chunked exactly as production chunks it (MiniLM's
word-piece counter) and stored with the weightless hashing embedding: the keyword mode's results are the product's.
Run it on two versions of the code (a checkout of each, this file copied in) to compare keyword indexes on the same
chunks and the same query terms; issue 16 compared bm25s (before) with tantivy (after).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-23"


class WordpieceHashing(Embeddings):
    """The hashing embedding, chunked by MiniLM's word-piece counts (so the chunks are production's)."""

    def __init__(self) -> None:
        from vectorstore.fake_embeddings import HashingEmbeddings

        self.inner = HashingEmbeddings()
        self.model_id = self.inner.model_id

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def token_counter(self) -> Any:
        from ingest.tokens import wordpiece_counter
        from vectorstore.embeddings import packaged_model_dir

        return wordpiece_counter(str(packaged_model_dir() / "tokenizer.json"))


def main(argv: list[str] | None = None) -> int:
    import datetime as dt

    from evals.questions import load_questions
    from evals.retrieval import retrieval_questions, run_retrieval_eval
    from vectorstore.config import StoreConfig
    from vectorstore.indexer import Indexer
    from vectorstore.retriever import HybridSearcher
    from vectorstore.store import Store

    parser = argparse.ArgumentParser(
        prog="python -m bench.keyword_quality", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--set", action="append", type=Path, default=[])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    sets = args.set or [REPO / "evals" / "sets" / "dev.jsonl"]
    with tempfile.TemporaryDirectory(prefix="council-kwq-") as tmp:
        store = Store(StoreConfig(index_dir=Path(tmp)), WordpieceHashing())
        Indexer(store).sync([REPO / "data" / "corpus"])
        searcher = HybridSearcher(store, today=dt.date.fromisoformat(TODAY))

        class Bot:
            def search(
                self,
                question: str,
                audience: str = "public",
                filters: Any = None,
                k: Any = 5,
                mode: str = "keyword",
            ) -> Any:
                return searcher.search(question, audience, k or 5, filters, mode)  # type: ignore[arg-type]

        out: dict[str, Any] = {}
        for path in sets:
            questions = retrieval_questions(load_questions(path))
            report = run_retrieval_eval(Bot(), questions, modes=("keyword",), k=5)
            s = report.scores["keyword"]
            missed = sorted(q.id for q in report.questions if q.ranks.get("keyword") is None)
            out[path.name] = {
                "missed": missed,
                "questions": s.questions,
                "hit_at_1": s.hit_at_1,
                "hit_at_5": s.hit_at_k,
                "mrr": s.mrr,
            }
    print(json.dumps(out, indent=None if args.json else 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
