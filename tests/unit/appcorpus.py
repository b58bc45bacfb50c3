"""The web app's unit-test corpus: two bundled papers, an exempt paper and a hostile paper, indexed with the
injected hashing embedding (see `tests.fakes`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.settings import Settings, load_settings
from tests.fakes import fake_store

EXEMPT_PAPER = """---
title: "Part B: Children's placements budget pressures (exempt)"
date: 2025-10-01
classification: exempt
---

# Placements budget

The placements budget is forecast to overspend by 2.4 million pounds in 2025/26 because of residential costs.
Officers propose a sufficiency strategy to open two council-run children's homes by March 2027.
"""

HOSTILE_PAPER = """---
title: "<script>alert('title')</script> Hostile [paper](javascript:alert(1))"
date: 2025-08-01
classification: open
---

# Hostile section <img src=x onerror=alert(1)>

The foster carer recruitment campaign recruited 14 new fostering households <script>alert(1)</script> in 2024/25.
See [the campaign page](javascript:alert(2)) for more about foster carer recruitment.
"""


def app_settings(tmp_path: Path, corpus: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "index_dir": tmp_path / "index",
        "feedback_db": tmp_path / "feedback.sqlite3",
        "corpus_dir": corpus,
        "officer_token": "officer-secret-token-0123456",
        "officer_password": "officer-password",
        "widget_rate_limit_per_min": 1000,
    }
    values.update(overrides)
    return load_settings(**values)


SEED_FILES = (
    "seeds/bury-cabinet-2025-09-10-ofsted-standard-inspection-report.md",
    "seeds/bury-cyp-scrutiny-2025-09-16-opencouncil-summary.md",
)
REPO = Path(__file__).resolve().parents[2]


def indexed_corpus(root: Path, **overrides: Any) -> Settings:
    """A private corpus (two bundled papers, an exempt paper, a hostile paper) indexed with the hashing embedding."""
    import shutil

    from vectorstore.indexer import Indexer

    corpus = root / "corpus"
    for rel in SEED_FILES:
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "data" / "corpus" / rel, corpus / rel)
    shutil.copy(REPO / "data" / "corpus" / "metadata.yaml", corpus / "metadata.yaml")
    add_papers(corpus)
    settings = app_settings(root, corpus, **overrides)
    report = Indexer(fake_store(settings)).sync([corpus])
    assert not report.skipped, report.summary_lines()
    return settings


def add_papers(corpus: Path) -> None:
    (corpus / "private").mkdir(exist_ok=True)
    (corpus / "private" / "placements-budget-part-b.md").write_text(EXEMPT_PAPER, encoding="utf-8")
    (corpus / "public").mkdir(exist_ok=True)
    (corpus / "public" / "hostile-paper.md").write_text(HOSTILE_PAPER, encoding="utf-8")
