"""The validation, tune and fresh question sets, the paper split and the fresh papers: the rules they must keep.

Every answerable question's required facts are checked against the text of its papers as ingestion reads them
(PDFs too), so a fact that is not in the paper, or a typo in a quoted figure, fails here rather than in a report.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from evals.matching import all_present, contains
from evals.paper_split import HALVES, load_split, question_split_problems, stem_of
from evals.questions import NO_ANSWER_KINDS, PHRASINGS, Question, load_questions
from evals.suites import (
    EVAL_SETS,
    FRESH2_CORPUS,
    FRESH3_CORPUS,
    FRESH_CORPUS,
    TUNE2_CORPUS,
    TUNE3_CORPUS,
    TUNE4_CORPUS,
)
from ingest.documents import DocType
from ingest.loaders import SUPPORTED_SUFFIXES, load_file

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "data" / "corpus"
NEW_SETS = ("validation", "tune", "fresh", "fresh2", "tune2", "tune3", "tune4", "fresh3")
MINIMUM = {
    "validation": 150,
    "tune": 60,
    "fresh": 60,
    "fresh2": 60,
    "tune2": 60,
    "tune3": 50,
    "tune4": 60,
    "fresh3": 60,
}
# folder, papers, councils (at least) of the sets on papers outside the sample corpus; each set's councils are in
# no earlier set's folder
FRESH = {
    "fresh": (FRESH_CORPUS, 20, 15),
    "fresh2": (FRESH2_CORPUS, 15, 12),
    "tune2": (TUNE2_CORPUS, 15, 10),
    "tune3": (TUNE3_CORPUS, 15, 8),
    "tune4": (TUNE4_CORPUS, 20, 10),
    "fresh3": (FRESH3_CORPUS, 20, 11),
}


@cache
def questions(name: str) -> tuple[Question, ...]:
    return tuple(load_questions(EVAL_SETS[name].path))


def papers_under(root: Path) -> dict[str, Path]:
    """Stem -> file for every paper under `root` (a PDF and its DOCX copy share a stem)."""
    return {
        stem_of(p.name): p
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and p.name != "metadata.yaml"
    }


@cache
def paper_text(stem: str) -> str:
    papers = papers_under(CORPUS) | {
        s: p for folder, _, _ in FRESH.values() for s, p in papers_under(folder).items()
    }
    return "\n\n".join(block.text for block in load_file(papers[stem]).blocks)


# --- the paper split ----------------------------------------------------------------------------


def test_split_covers_every_paper_of_the_sample_corpus() -> None:
    split = load_split()  # also checks every half against the split rules
    files = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file()} - {"metadata.yaml"}
    assert set(split.papers) == files
    assert split.rationale and split.home_council == "Bury Council"


def test_split_is_balanced_and_keeps_the_seed_papers_in_tune() -> None:
    split = load_split()
    halves = Counter(p.half for p in split.papers.values())
    assert abs(halves["tune"] - halves["validation"]) <= 4
    for path, paper in split.papers.items():
        if path.startswith(("seeds/", "formats/")):
            assert paper.half == "tune", path
    # both halves hold home-council papers, Ofsted reports and other councils' papers
    for half in HALVES:
        kept = [p for p in split.papers.values() if p.half == half]
        assert sum(p.council == split.home_council for p in kept) >= 8
        assert sum(p.doc_type == "inspection report" for p in kept) >= 6
        assert len({p.council for p in kept}) >= 15


@pytest.mark.parametrize("name", ["validation", "tune"])
def test_questions_keep_to_their_half(name: str) -> None:
    split = load_split()
    pairs = [(q.id, q.papers) for q in questions(name)]
    assert question_split_problems(split, name, pairs) == []
    assert all(q.split == name for q in questions(name))


def test_validation_questions_are_mostly_about_validation_papers() -> None:
    split = load_split()
    qs = questions("validation")
    only_validation = [q for q in qs if all(split.half_of_stem(s) == "validation" for s in q.papers)]
    assert len(only_validation) >= 0.9 * len(qs)


# --- the fresh papers ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", FRESH)
def test_fresh_papers_are_councils_not_in_the_sample_corpus_or_an_earlier_fresh_set(name: str) -> None:
    folder, least_papers, least_councils = FRESH[name]
    meta = yaml.safe_load((folder / "metadata.yaml").read_text(encoding="utf-8"))["files"]
    files = {p.name for p in folder.iterdir() if p.is_file() and p.name != "metadata.yaml"}
    assert set(meta) == files and len(files) >= least_papers
    sample_councils = {p.council for p in load_split().papers.values()}
    fresh_councils = {m["council"] for m in meta.values()}
    assert len(fresh_councils) >= least_councils
    assert not fresh_councils & sample_councils
    for other in list(FRESH)[: list(FRESH).index(name)]:
        earlier = yaml.safe_load((FRESH[other][0] / "metadata.yaml").read_text(encoding="utf-8"))["files"]
        assert not fresh_councils & {m["council"] for m in earlier.values()}, other
    kinds = {t.value for t in DocType}
    for file, m in meta.items():
        assert m["source_url"].startswith("http"), file
        assert m["doc_type"] in kinds, f"{file}: ingestion skips a paper of doc_type {m['doc_type']!r}"
        text = (folder / file).read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
        assert {"source", "title", "date", "publisher", "licence_note"} <= set(front), file
    others = set(papers_under(CORPUS)) | {
        s for n, f in FRESH.items() if n != name for s in papers_under(f[0])
    }
    assert not set(papers_under(folder)) & others  # no stem answers for two papers


@pytest.mark.parametrize("name", FRESH)
def test_fresh_questions_are_about_fresh_papers_and_name_their_council(name: str) -> None:
    fresh = set(papers_under(FRESH[name][0]))
    for q in questions(name):
        assert fresh & set(q.papers), f"{q.id} is about no paper of {name}"
        if q.kind != "followup":
            assert "bury" not in q.question.casefold() or fresh & set(q.papers), q.id


# --- every new set ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NEW_SETS)
def test_set_size_kinds_and_phrasings(name: str) -> None:
    qs = questions(name)
    assert len(qs) >= MINIMUM[name]
    kinds = Counter(q.kind for q in qs)
    assert kinds["unanswerable"] / len(qs) >= 0.15, "at least 15% must be unanswerable"
    for kind in ("temporal", "comparison", "followup", "guardrail"):
        assert kinds[kind] >= 3, kind
    assert {q.phrasing for q in qs} == set(PHRASINGS)
    assert sum("multi-part" in q.tags for q in qs) >= 5


@pytest.mark.parametrize("name", NEW_SETS)
def test_no_question_repeats_the_dev_set(name: str) -> None:
    dev = {q.question.casefold().strip() for q in questions("dev")}
    repeated = [q.id for q in questions(name) if q.question.casefold().strip() in dev]
    assert repeated == []
    texts = [q.question.casefold() for q in questions(name)]
    assert len(texts) == len(set(texts))


def _ids(name: str) -> list[Question]:
    return list(questions(name))


@pytest.mark.parametrize("question", [q for n in NEW_SETS for q in _ids(n)], ids=lambda q: q.id)
def test_question_is_grounded_in_its_papers(question: Question) -> None:
    if question.kind in NO_ANSWER_KINDS:
        assert question.about, "say which papers an unanswerable or guardrail question is about"
        for stem in question.about:
            assert paper_text(stem)
        return
    assert question.must_contain and question.expected_sources
    ok, missing = all_present(question.answer, question.must_contain)
    assert ok, f"the reference answer lacks {missing}"
    quoted = [item for item in question.must_contain if item not in question.computed]
    for item in quoted:
        assert any(contains(paper_text(s), item) for s in question.expected_sources), (
            f"{item!r} is not in any of {list(question.expected_sources)}"
        )
    if question.kind == "comparison":
        assert len(question.expected_sources) >= 2
        for stem in question.expected_sources:
            assert any(contains(paper_text(stem), item) for item in quoted), f"{stem} holds no required item"
