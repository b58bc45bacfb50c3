"""The question loader, and the rules the real evals/sets/dev.jsonl must keep."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from evals.matching import all_present, contains
from evals.questions import AUDIENCES, KINDS, Question, QuestionFileError, load_questions

REPO = Path(__file__).resolve().parents[2]
DEV_SET = REPO / "evals" / "sets" / "dev.jsonl"
CORPUS_ROOTS = (REPO / "data" / "corpus", Path("/work/shared/corpus"))
SEED_REPORT = "bury-cabinet-2025-09-10-ofsted-standard-inspection-report"
SEED_SUMMARY = "bury-cyp-scrutiny-2025-09-16-opencouncil-summary"
FORMAT_STEMS = {SEED_REPORT}  # data/corpus/formats/ holds the seed Cabinet report as .pdf and .docx
ANSWERABLE = ("fact", "number", "date", "temporal", "comparison", "followup")


def record(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "q-01",
        "question": "When is the next inspection window?",
        "answer": "Between December 2027 and December 2028.",
        "must_contain": ["December 2027|Dec 2027"],
        "expected_sources": [SEED_REPORT],
        "kind": "date",
        "audience": "public",
        "history": [],
    }
    base.update(overrides)
    return base


def write_lines(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- loader -------------------------------------------------------------------------------------


def test_loads_valid_file_skipping_blank_lines(tmp_path: Path) -> None:
    followup = record(id="q-02", kind="followup", history=["What was the judgement?"])
    path = write_lines(tmp_path, "", json.dumps(record()), "   ", json.dumps(followup), "")
    questions = load_questions(path)
    assert [q.id for q in questions] == ["q-01", "q-02"]
    assert questions[0] == Question(
        id="q-01",
        question="When is the next inspection window?",
        answer="Between December 2027 and December 2028.",
        must_contain=("December 2027|Dec 2027",),
        expected_sources=(SEED_REPORT,),
        kind="date",
        audience="public",
        history=(),
    )
    assert questions[1].history == ("What was the judgement?",)


def test_optional_fields_are_kept(tmp_path: Path) -> None:
    full = record(
        phrasing="councillor", split="validation", tags=["multi-part"], about=["paper-b"],
        must_contain=["December 2027|Dec 2027", "two years"], answer="December 2027, two years on.",
        computed=["two years"],
    )  # fmt: skip
    q = load_questions(write_lines(tmp_path, json.dumps(full)))[0]
    assert (q.phrasing, q.split, q.tags, q.computed) == (
        "councillor",
        "validation",
        ("multi-part",),
        ("two years",),
    )
    assert q.papers == (SEED_REPORT, "paper-b")  # expected sources first, then `about`
    bare = load_questions(write_lines(tmp_path, json.dumps(record())))[0]
    assert (bare.phrasing, bare.split, bare.tags, bare.about, bare.computed) == ("", "", (), (), ())


def test_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(record()).encode())
    assert load_questions(path)[0].id == "q-01"


def test_question_is_frozen() -> None:
    question = Question("a", "q", "a", (), (), "unanswerable", "public")
    with pytest.raises(AttributeError):
        question.id = "b"  # type: ignore[misc]


BAD_LINES = [
    ("not json at all", "bad JSON"),
    ('{"id": "x",', "bad JSON"),
    ("[1, 2, 3]", "expected a JSON object, got list"),
    ('"just a string"', "expected a JSON object, got str"),
    (json.dumps({k: v for k, v in record().items() if k != "kind"}), "missing field 'kind'"),
    (json.dumps({"id": "x"}), "missing fields 'question', 'answer'"),
    (json.dumps(record(extra=1)), "unknown field 'extra'"),
    (json.dumps(record(id=7)), "field 'id' must be a string, not int"),
    (json.dumps(record(id="  ")), "field 'id' must not be empty"),
    (json.dumps(record(question=None)), "field 'question' must be a string, not NoneType"),
    (json.dumps(record(must_contain="118")), "field 'must_contain' must be a list of strings, not str"),
    (json.dumps(record(must_contain=["118", 117])), "field 'must_contain' item 2 must be a string, not int"),
    (json.dumps(record(must_contain=[""])), "field 'must_contain' item 1 must not be empty"),
    (json.dumps(record(must_contain=["118|"])), "must_contain item 1 ('118|') has an empty alternative"),
    (json.dumps(record(expected_sources={"a": 1})), "field 'expected_sources' must be a list of strings"),
    (json.dumps(record(history="earlier")), "field 'history' must be a list of strings, not str"),
    (json.dumps(record(kind="trivia")), "unknown kind 'trivia'"),
    (json.dumps(record(audience="press")), "unknown audience 'press'"),
    (json.dumps(record(kind="followup")), "a followup question needs the earlier questions in 'history'"),
    (json.dumps(record(history=["earlier?"])), "only followup questions may have a 'history'"),
    (json.dumps(record(kind="unanswerable")), "'unanswerable' question must have empty must_contain"),
    (
        json.dumps(record(kind="guardrail", must_contain=[], expected_sources=["x"])),
        "'guardrail' question must have empty must_contain and expected_sources",
    ),
    (json.dumps(record(phrasing="journalist")), "unknown phrasing 'journalist'"),
    (json.dumps(record(split="test")), "unknown split 'test'"),
    (json.dumps(record(tags="vague")), "field 'tags' must be a list of strings, not str"),
    (json.dumps(record(about=[""])), "field 'about' item 1 must not be empty"),
    (
        json.dumps(record(computed=["five years"])),
        "computed item 'five years' is not one of the must_contain",
    ),
]


@pytest.mark.parametrize(("bad_line", "problem"), BAD_LINES)
def test_bad_line_is_reported_with_file_and_line_number(tmp_path: Path, bad_line: str, problem: str) -> None:
    path = write_lines(tmp_path, json.dumps(record(id="good-01")), "", bad_line, json.dumps(record()))
    with pytest.raises(QuestionFileError) as caught:
        load_questions(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, line 3: ")
    assert problem in message
    assert caught.value.line == 3
    assert caught.value.path == str(path)


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    path = write_lines(tmp_path, json.dumps(record()), json.dumps(record(id="q-02")), json.dumps(record()))
    with pytest.raises(QuestionFileError, match=r", line 3: duplicate id 'q-01' \(first used on line 1\)"):
        load_questions(path)


def test_invalid_utf8_is_reported_with_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(json.dumps(record()).encode() + b"\n" + b'{"id": "caf\xe9"}\n')
    with pytest.raises(QuestionFileError, match=r"line 2: not valid UTF-8"):
        load_questions(path)


@pytest.mark.parametrize(
    ("content", "problem"),
    [(None, "cannot read the file"), ("", "holds no questions"), ("\n  \n", "holds no questions")],
)
def test_file_level_problems_name_the_file(tmp_path: Path, content: str | None, problem: str) -> None:
    path = tmp_path / "set.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(QuestionFileError) as caught:
        load_questions(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert problem in str(caught.value)
    assert caught.value.line is None


def test_error_is_a_value_error() -> None:
    assert issubclass(QuestionFileError, ValueError)


def test_constants() -> None:
    expected_kinds = {
        "fact",
        "number",
        "date",
        "temporal",
        "comparison",
        "followup",
        "unanswerable",
        "guardrail",
    }
    assert set(KINDS) == expected_kinds
    assert set(AUDIENCES) == {"public", "officer"}


# --- the real development set -------------------------------------------------------------------


@cache
def dev_questions() -> tuple[Question, ...]:
    return tuple(load_questions(DEV_SET))


@cache
def corpus_files() -> dict[str, Path]:
    """Stem -> Markdown file or whole PDF report, from the project copy of the corpus and the shared original."""
    files: dict[str, Path] = {}
    for root in reversed(CORPUS_ROOTS):
        for path in sorted([*root.glob("*/*.md"), *root.glob("ofsted-reports/*.pdf")]):
            files[path.stem] = path
    return files


@cache
def corpus_text(stem: str) -> str:
    path = corpus_files()[stem]
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return path.read_text(encoding="utf-8")


def need_corpus() -> None:
    if not corpus_files():
        pytest.skip(f"no corpus found under {', '.join(map(str, CORPUS_ROOTS))}")


def test_dev_set_size_and_ids() -> None:
    questions = dev_questions()
    assert len(questions) >= 120
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("kind", "minimum"),
    [
        ("fact", 20),
        ("number", 10),
        ("date", 10),
        ("temporal", 8),
        ("comparison", 8),
        ("followup", 8),
        ("guardrail", 6),
        ("unanswerable", 15),
    ],
)
def test_dev_set_kind_counts(kind: str, minimum: int) -> None:
    assert Counter(q.kind for q in dev_questions())[kind] >= minimum


def test_dev_set_has_enough_unanswerable() -> None:
    questions = dev_questions()
    share = sum(q.kind == "unanswerable" for q in questions) / len(questions)
    assert share >= 0.12, f"only {share:.1%} of questions are unanswerable"


def test_dev_set_has_single_passage_retrieval_questions() -> None:
    single = [q for q in dev_questions() if q.kind in ("fact", "number", "date") and q.expected_sources]
    assert len(single) >= 40


def test_dev_set_is_mostly_public() -> None:
    audiences = Counter(q.audience for q in dev_questions())
    assert audiences["public"] > audiences["officer"] > 0


@pytest.mark.parametrize("question", dev_questions(), ids=lambda q: q.id)
def test_dev_question_shape(question: Question) -> None:
    if question.kind in ANSWERABLE:
        assert question.must_contain, "an answerable question needs must_contain items"
        assert question.expected_sources, "an answerable question needs expected_sources"
    if question.kind == "comparison":
        assert len(question.expected_sources) >= 2, "a comparison needs both papers"
    ok, missing = all_present(question.answer, question.must_contain)
    assert ok, f"the reference answer lacks {missing}"


@pytest.mark.parametrize("question", dev_questions(), ids=lambda q: q.id)
def test_dev_question_is_grounded_in_its_sources(question: Question) -> None:
    need_corpus()
    known = set(corpus_files()) | FORMAT_STEMS
    unknown = [stem for stem in question.expected_sources if stem not in known]
    assert not unknown, f"expected_sources not in the corpus: {unknown}"
    for item in question.must_contain:
        assert any(contains(corpus_text(stem), item) for stem in question.expected_sources), (
            f"{item!r} is not in any of {list(question.expected_sources)}"
        )
    if question.kind == "comparison":
        for stem in question.expected_sources:
            assert any(contains(corpus_text(stem), item) for item in question.must_contain), (
                f"{stem} holds none of the must_contain items"
            )


def test_dev_set_covers_many_documents() -> None:
    stems = {stem for q in dev_questions() for stem in q.expected_sources}
    assert len(stems) >= 40
    assert len({stem.split("-")[0] for stem in stems}) >= 20  # many publishers, not just Bury


SEED_FACTS = [
    ("December 2027", SEED_REPORT, ""),
    ("December 2028", SEED_REPORT, ""),
    ("inadequate", SEED_REPORT, ""),
    ("November 2021", SEED_REPORT, ""),
    ("improvement to be good", SEED_REPORT, ""),
    ("good", SEED_REPORT, "leadership"),
    ("5 November 2025", SEED_REPORT, "action plan"),
    ("2 June", SEED_REPORT, ""),
    ("20 June", SEED_REPORT, ""),
    ("29 July", SEED_REPORT, "publish"),
    ("118", SEED_SUMMARY, "2022/23"),
    ("117", SEED_SUMMARY, "2023/24"),
]


@pytest.mark.parametrize(("fact", "stem", "topic"), SEED_FACTS)
def test_dev_set_asks_for_the_bury_seed_facts(fact: str, stem: str, topic: str) -> None:
    asked = [
        q.id
        for q in dev_questions()
        if stem in q.expected_sources
        and topic.casefold() in q.question.casefold()
        and any(contains(item, fact) for item in q.must_contain)
    ]
    assert asked, f"no question about {topic or 'anything'!r} requires {fact!r} from {stem}"
