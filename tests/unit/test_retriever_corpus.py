"""A small synthetic corpus for retrieval tests, ingested with the hashing embedding into a real Chroma on tmp_path.

Other retrieval test modules import `write_corpus`, `ingest` and `searcher_for` from here; the tests below check
that the corpus itself is what those tests assume (classifications, dates, collections).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

TODAY = dt.date(2026, 11, 23)
REPO_ROOT = Path(__file__).resolve().parents[2]

# Sentences that occur in exactly one document, so a test can tell where a hit came from.
CANARY = "The zebra-striped envelope for Quillfeather residential placements holds 4,271,993 pounds."
DRAFT_CANARY = "Marmalade heron protocol: the draft Tarnwick staffing review is not for release."
BURY_2223 = "Social Care Teams received a total of 118 complaints during the 2022/23 financial year."
BURY_2324 = "Social Care Teams received a total of 117 complaints during the 2023/24 financial year."
BURY_PLAN = "The post-inspection action plan must be submitted to Ofsted by 5 November 2025."
STOCKTON_PLAN = "Ofsted required Stockton's action plan to be submitted by 16 August 2023."

DOCS: dict[str, tuple[dict[str, str], str]] = {
    # path: (sidecar fields, text)
    "bury-cabinet-2025-09-10.md": (
        {
            "title": "Ofsted Standard Inspection of Children's Services in Bury",
            "council": "Bury Council",
            "body": "Cabinet",
            "doc_type": "cabinet report",
            "date": "2025-09-10",
            "classification": "open",
        },
        f"# Summary\n\nOfsted judged Bury's children's services as requires improvement to be good. {BURY_PLAN}\n\n"
        f"# Complaints\n\n{BURY_2324} Most complaints came from parents and carers.\n",
    ),
    "formats/bury-cabinet-2025-09-10.txt": (  # the same paper in another file, laid out differently
        {
            "title": "Ofsted Standard Inspection of Children's Services in Bury",
            "council": "Bury Council",
            "body": "Cabinet",
            "doc_type": "cabinet report",
            "date": "2025-09-10",
            "classification": "open",
        },
        f"Summary\nOfsted judged Bury's children's services as requires improvement to be good.\n{BURY_PLAN}\n"
        f"Complaints\n{BURY_2324}\nMost complaints came from parents and carers.\n",
    ),
    "bury-scrutiny-2023-02-02.md": (
        {
            "title": "Children and Young People Scrutiny Committee minutes",
            "council": "Bury Council",
            "body": "Children and Young People Scrutiny Committee",
            "doc_type": "scrutiny minutes",
            "date": "2023-02-02",
            "classification": "open",
        },
        f"# Complaints\n\n{BURY_2223} Caseloads were 22 per social worker.\n",
    ),
    "stockton-cabinet-2023-06-15.md": (
        {
            "title": "ILACS outcomes and action plan",
            "council": "Stockton-on-Tees Borough Council",
            "body": "Cabinet",
            "doc_type": "cabinet report",
            "date": "2023-06-15",
            "classification": "open",
        },
        f"# Outcome\n\nOfsted judged Stockton's children's services good. {STOCKTON_PLAN}\n",
    ),
    "devon-complaints-2021-07-01.md": (
        {
            "title": "Annual complaints report 2020/21",
            "council": "Devon County Council",
            "body": "Children's Scrutiny Committee",
            "doc_type": "complaints report",
            "date": "2021-07-01",
            "classification": "open",
        },
        "# Stage 2\n\nDevon allows 25 working days for a Stage 2 complaint investigation, extendable to 65.\n",
    ),
    "guidance-undated.md": (
        {
            "title": "Guidance on complaints procedures",
            "council": "Ofsted",
            "body": "Ofsted",
            "doc_type": "guidance",
            "classification": "open",
        },
        "# Guidance\n\nA Stage 1 complaint should be answered within ten working days.\n",
    ),
    "bury-exempt-2025-10-01.md": (  # exempt through the sidecar
        {
            "title": "Placements budget (Part B)",
            "council": "Bury Council",
            "body": "Cabinet",
            "doc_type": "cabinet report",
            "date": "2025-10-01",
            "classification": "exempt",
        },
        f"# Budget\n\n{CANARY} Complaints about placements are handled separately.\n",
    ),
}
# Exempt through its front matter, with no sidecar entry.
DRAFT_PATH = "bury-draft-review.md"
DRAFT_TEXT = (
    "---\ntitle: Draft staffing review\ncouncil: Bury Council\ndate: 2025-11-01\nclassification: exempt\n---\n\n"
    f"# Draft\n\n{DRAFT_CANARY} Complaints staffing is under review.\n"
)


def write_corpus(root: Path, overrides: dict[str, dict[str, str]] | None = None) -> Path:
    """Write the corpus and its `metadata.yaml` under ``root``; ``overrides`` change sidecar fields per path."""
    files: dict[str, Any] = {}
    for rel, (fields, text) in DOCS.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        files[rel] = {**fields, **(overrides or {}).get(rel, {})}
    (root / DRAFT_PATH).write_text(DRAFT_TEXT, encoding="utf-8")
    (root / "metadata.yaml").write_text(yaml.safe_dump({"files": files}, sort_keys=True), encoding="utf-8")
    return root


def settings_for(tmp_path: Path) -> Any:
    from assistant.settings import load_settings

    return load_settings(index_dir=tmp_path / "index", feedback_db=tmp_path / "feedback.sqlite3")


def ingest(settings: Any, corpus: Path, prune: bool = True) -> Any:
    """Ingest ``corpus`` with a fresh Store (as a separate `council ingest` run would)."""
    from tests.fakes import fake_store
    from vectorstore.indexer import Indexer

    report = Indexer(fake_store(settings)).sync([corpus], prune=prune)
    assert not report.skipped, report.summary_lines()
    return report


def searcher_for(settings: Any) -> Any:
    """A new searcher over a new Store, as a freshly started app would have."""
    from tests.fakes import fake_store
    from vectorstore.retriever import HybridSearcher

    return HybridSearcher(fake_store(settings), today=TODAY)


def test_corpus_lands_in_the_expected_collections(tmp_path: Path) -> None:
    from tests.fakes import fake_store

    settings = settings_for(tmp_path)
    ingest(settings, write_corpus(tmp_path / "corpus"))
    store = fake_store(settings)
    open_docs = {m["doc_id"] for _, _, m in store.iter_chunks("open")}
    exempt_docs = {m["doc_id"] for _, _, m in store.iter_chunks("exempt")}
    assert exempt_docs == {"bury-exempt-2025-10-01.md", DRAFT_PATH}
    assert open_docs == set(DOCS) - {"bury-exempt-2025-10-01.md"}
    dates = {m["doc_id"]: m["date"] for _, _, m in store.iter_chunks("open")}
    assert dates["guidance-undated.md"] == ""
