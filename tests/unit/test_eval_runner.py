"""The eval runner with a fake answer function, the report it writes, and `council eval` end to end (hashing)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from assistant.answer import Answer, Citation, Status
from evals.cli import eval_index_dir, floors_for, load_floors, run_eval
from evals.metrics import ALL, check_floors
from evals.questions import Question, load_questions
from evals.report import EvalRun, render_markdown, report_stem, to_json, write_report
from evals.runner import RecordingSearcher, assistant_answer_fn, run_questions
from vectorstore.passage import Passage
from vectorstore.retriever import SearchResult

REPORT = "bury-cabinet-2025-09-10-ofsted-standard-inspection-report"
PASSAGE = "The post-inspection action plan must be sent to Ofsted by 5 November 2025."


def q(id: str, kind: str = "date", must: tuple[str, ...] = ("5 November 2025",), **kw: Any) -> Question:
    no_answer = kind in ("unanswerable", "guardrail")
    return Question(
        id=id,
        question=kw.get("question", f"Question {id}?"),
        answer="By 5 November 2025.",
        must_contain=() if no_answer else must,
        expected_sources=() if no_answer else (REPORT,),
        kind=kind,
        audience=kw.get("audience", "public"),
        history=kw.get("history", ()),
    )


def citation(quote: str = PASSAGE, passage: str = PASSAGE) -> Citation:
    return Citation(
        n=1, doc_id=f"seeds/{REPORT}.md", chunk_id="c1", title="Ofsted Standard Inspection",
        date=dt.date(2025, 9, 10), body="Cabinet", doc_type="cabinet report", page=3, section="Next steps",
        quote=quote, passage_text=passage, source_url="",
    )  # fmt: skip


QUESTIONS = [
    q("right"),
    q("wrong"),
    q("declined"),
    q("crash"),
    q("refused-ok", kind="unanswerable"),
    q("answered-bad", kind="guardrail"),
    q("follow", kind="followup", history=("What did Ofsted find?",)),
]
SCRIPT: dict[str, tuple[Status, str, list[Citation]]] = {
    "right": (Status.ANSWERED, "By 5 November 2025 [1].", [citation()]),
    "wrong": (Status.ANSWERED, "By 12 December 2025 [1].", [citation("Ofsted", "Ofsted visited.")]),
    "declined": (Status.NOT_FOUND, "The papers held do not answer this.", []),
    "refused-ok": (Status.NOT_FOUND, "The papers held do not answer this.", []),
    "answered-bad": (Status.ANSWERED, "Her name is on page 2 [1].", [citation()]),
    "follow": (Status.PARTIAL, "5/11/2025 [1].", [citation()]),
    "What did Ofsted find": (Status.ANSWERED, "Requires improvement to be good [1].", [citation()]),
}


class FakeAssistant:
    """Stands in for `Assistant.ask`: scripted answers, and a record of how it was called."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def ask(
        self, question: str, audience: str = "public", history: list[dict[str, str]] | None = None
    ) -> Answer:
        self.calls.append({"question": question, "audience": audience, "history": history})
        key = question.removeprefix("Question ").rstrip("?")
        if key == "crash":
            raise RuntimeError("the index went away")
        status, text, cites = SCRIPT[key]
        return Answer(question, text, status, citations=cites)


class FakeClock:
    def __init__(self, step_s: float = 0.1) -> None:
        self.now = 0.0
        self.step = step_s

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def fake_run(retrieved: list[str] | None = None) -> tuple[Any, FakeAssistant]:
    bot = FakeAssistant()
    answer = assistant_answer_fn(bot)  # type: ignore[arg-type]
    got = run_questions(QUESTIONS, answer, retrieved_fn=(lambda: retrieved) if retrieved is not None else None,
                        clock=FakeClock())  # fmt: skip
    return got, bot


# --- runner -------------------------------------------------------------------------------------


def test_runner_asks_with_audience_and_history_as_conversation() -> None:
    """A follow-up's earlier questions are asked first, and their answers passed as the chat passes them; the
    follow-up's time is its own."""
    run, bot = fake_run()
    follow = next(c for c in bot.calls if c["question"] == "Question follow?")
    assert follow["history"] == [
        {"question": "What did Ofsted find?", "answer": "Requires improvement to be good [1]."}
    ]
    earlier = next(c for c in bot.calls if c["question"] == "What did Ofsted find?")
    assert earlier["history"] == []
    assert all(c["audience"] == "public" for c in bot.calls)
    assert bot.calls[0]["history"] == []
    by_id = {r.question.id: r for r in run.records}
    assert by_id["follow"].latency_ms == pytest.approx(100.0)  # one tick: the earlier question is not timed


def test_a_followups_passages_are_its_own_not_its_earlier_questions() -> None:
    """The searches made answering the earlier questions are taken away before the follow-up is timed."""
    taken: list[str] = []

    def retrieved() -> list[str]:
        taken.append("take")
        return ["a.md"]

    bot = FakeAssistant()
    run_questions([QUESTIONS[-1]], assistant_answer_fn(bot), retrieved_fn=retrieved)  # type: ignore[arg-type]
    assert taken == ["take", "take"]  # once after the earlier question, once for the follow-up


def test_runner_scores_each_question() -> None:
    run, _ = fake_run()
    by_id = {r.question.id: r for r in run.records}
    assert [r.question.id for r in run.records] == [x.id for x in QUESTIONS]  # order kept
    assert {i: r.score.crag for i, r in by_id.items()} == {
        "right": 1, "wrong": -1, "declined": 0, "crash": -1, "refused-ok": 1, "answered-bad": -1, "follow": 1,
    }  # fmt: skip
    assert by_id["crash"].status == "error" and "the index went away" in by_id["crash"].error
    assert by_id["right"].latency_ms == pytest.approx(100.0)  # one tick of the fake clock
    assert by_id["wrong"].score.citation_precision == 0.0
    assert by_id["right"].citations[0]["quote"] == PASSAGE
    assert [r.question.id for r in run.failures] == ["wrong", "declined", "crash", "answered-bad"]
    assert by_id["declined"].reason() == "declined an answerable question (status not_found)"
    assert by_id["answered-bad"].reason().startswith("should have declined")
    assert "'5 November 2025'" in by_id["wrong"].reason()
    assert by_id["crash"].reason().startswith("error: RuntimeError")
    every = run.summary[ALL]
    assert every.n == 7 and every.answer_accuracy == pytest.approx(3 / 7)
    assert every.refusal_accuracy == 0.5 and every.false_refusal_rate == pytest.approx(1 / 5)
    assert every.hits[1] is None  # retrieval not measured without a retrieved_fn


def test_runner_measures_retrieval_from_recorded_searches() -> None:
    run, _ = fake_run(retrieved=["public/other.md", f"formats/{REPORT}.pdf"])
    s = run.summary["date"]
    assert s.hits[1] == 0.0 and s.hits[3] == 1.0 and s.mrr == 0.5


def passage(doc_id: str) -> Passage:
    return Passage(chunk_id=doc_id + "#0", doc_id=doc_id, text="t", title="", date=None, body="", doc_type="",
                   council="", source_url="", classification="open", path=doc_id)  # fmt: skip


class FakeSearcher:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.candidate_k = 40

    def search(self, query: str, audience: str = "public", k: int = 5, *rest: Any, **kw: Any) -> SearchResult:
        self.calls.append((query, audience, k, rest, kw))
        return SearchResult([passage(f"{query}-1.md"), passage(f"{query}-2.md")])


def test_recording_searcher_passes_through_and_keeps_the_first_search() -> None:
    inner = FakeSearcher()
    rec = RecordingSearcher(inner)
    assert rec.take() is None  # nothing searched yet
    result = rec.search("a", "officer", 6, None, mode="dense")
    assert [p.doc_id for p in result.passages] == ["a-1.md", "a-2.md"]
    assert inner.calls == [("a", "officer", 6, (None,), {"mode": "dense"})]
    rec.search("b")
    assert rec.take() == ["a-1.md", "a-2.md"]
    assert rec.take() is None  # taken: cleared
    assert rec.candidate_k == 40  # anything else is the inner searcher's


# --- report -------------------------------------------------------------------------------------


def make_run(tmp_path: Path, baseline: bool = True) -> EvalRun:
    ours, _ = fake_run(retrieved=[f"seeds/{REPORT}.md"])
    systems = [ours]
    if baseline:
        base, _ = fake_run(retrieved=["public/other.md"])
        base.name, base.label = "baseline", "Baseline (LangChain recipe)"
        systems.append(base)
    set_path = tmp_path / "set.jsonl"
    set_path.write_text("{}\n")
    return EvalRun(
        started=dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), seconds=75.0, set_path="set.jsonl",
        set_sha256="ab" * 32, questions=len(QUESTIONS), corpus="data/corpus", documents=3,
        today=dt.date(2026, 11, 23), config={"embeddings": "hashing"}, systems=systems,
        floors=check_floors(ours.summary, {"min": {"all.answer_accuracy": 0.9}}), floors_file="floors.json",
    )  # fmt: skip


def test_markdown_report_compares_and_lists_every_failure(tmp_path: Path) -> None:
    md = render_markdown(make_run(tmp_path), ["acc.png", "lat.png"])
    assert md.startswith("# Council Q&A evaluation — 23 November 2026")
    assert "| Answer accuracy | 42.9% | 42.9% | +0.0 pts |" in md
    assert "| Retrieval hit@1 | 100.0% | 0.0% | +100.0 pts |" in md
    assert "| CRAG score (−1…+1) | +0.00 | +0.00 | +0.000 |" in md
    assert "![Answer accuracy by kind](acc.png)" in md and "![Latency distribution](lat.png)" in md
    assert "## Floors (1 floor(s) broken)" in md and "**BROKEN**" in md
    assert "## Failed questions: Council Q&A (4 of 7)" in md
    for failed in ("wrong", "declined", "crash", "answered-bad"):
        assert f"#### {failed} (" in md
    # the answer given and its citations, so a person can see why
    assert "- Given (answered, 100 ms): By 12 December 2025 [1]." in md
    assert "  - [1] Ofsted Standard Inspection (2025-09-10, p. 3)" in md and "“Ofsted”" in md
    assert "- `wrong` (date): missing from the answer" in md  # baseline failures, compactly


def test_markdown_without_baseline(tmp_path: Path) -> None:
    md = render_markdown(make_run(tmp_path, baseline=False))
    assert "## Headline: Council Q&A\n" in md and "Baseline" not in md
    assert "| Answer accuracy | 42.9% |" in md


def test_write_report_files_and_json(tmp_path: Path) -> None:
    run = make_run(tmp_path)
    paths = write_report(run, tmp_path / "reports", "eval-2026-11-23")
    assert [p.name for p in paths] == [
        "eval-2026-11-23.md", "eval-2026-11-23.json", "eval-2026-11-23-accuracy.png",
        "eval-2026-11-23-latency.png",
    ]  # fmt: skip
    for p in paths[2:]:
        assert p.read_bytes().startswith(b"\x89PNG")
    data = json.loads(paths[1].read_text())
    assert data == json.loads(json.dumps(to_json(run)))
    assert set(data["systems"]) == {"ours", "baseline"}
    assert data["headline"]["ours"]["answer_accuracy"] == pytest.approx(3 / 7)
    wrong = next(x for x in data["systems"]["ours"]["questions"] if x["id"] == "wrong")
    assert wrong["answer"] == "By 12 December 2025 [1]." and wrong["citations"][0]["quote"] == "Ofsted"
    assert wrong["reason"].startswith("missing from the answer")
    assert data["floors"]["results"][0]["ok"] is False


def test_report_stem(tmp_path: Path) -> None:
    default = tmp_path / "dev.jsonl"
    default.write_text("")
    assert report_stem(dt.date(2026, 11, 23), default, default) == "eval-2026-11-23"
    assert report_stem(dt.date(2026, 11, 23), tmp_path / "unseen.jsonl", default) == "eval-2026-11-23-unseen"


def test_eval_index_is_per_corpus_and_under_out(tmp_path: Path) -> None:
    a = eval_index_dir(tmp_path / "reports", tmp_path / "papers")
    assert a.parent == tmp_path / "reports" / ".eval-index" and a.name.startswith("papers-")
    assert a == eval_index_dir(
        tmp_path / "reports", tmp_path / "x" / ".." / "papers"
    )  # same folder, same key
    assert a != eval_index_dir(tmp_path / "reports", tmp_path / "other" / "papers")
    both = eval_index_dir(tmp_path / "reports", [tmp_path / "papers", tmp_path / "fresh"])
    assert both.name.startswith("papers+fresh-") and both != a  # the folders answered from together


def test_load_floors_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read the floors file"):
        load_floors(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    with pytest.raises(ValueError, match="bad JSON"):
        load_floors(bad)
    bad.write_text("[]")
    with pytest.raises(ValueError, match="'min' and/or 'max'"):
        load_floors(bad)
    bad.write_text(json.dumps({"sets": {"validation": {"set": "v.jsonl"}}}))
    with pytest.raises(ValueError, match="set 'validation': expected an object with 'min' and/or 'max'"):
        load_floors(bad)
    bad.write_text(json.dumps({"sets": {}}))
    with pytest.raises(ValueError, match="'sets' must map set names"):
        load_floors(bad)


def test_floors_for_picks_the_set_section() -> None:
    per_set = {"sets": {"dev": {"min": {"all.crag": 0.3}}, "validation": {"max": {"all.crag": 1.0}}}}
    assert floors_for(per_set, "validation") == {"max": {"all.crag": 1.0}}
    assert floors_for(per_set, "fresh") is None
    single = {"min": {"all.crag": 0.3}}
    assert floors_for(single, "anything") == single  # a single-set file applies to the set it is given for


def test_bundled_floors_file_is_valid() -> None:
    floors = load_floors()
    assert set(floors["sets"]) >= {"dev", "validation"}
    run, _ = fake_run(retrieved=[])
    for name, section in floors["sets"].items():
        assert Path(section["set"]).name == f"{name}.jsonl" and section["min"]
        assert {r.name for r in check_floors(run.summary, section)} == set(section["min"]) | set(
            section.get("max", {})
        )


# --- `council eval` end to end, on the hashing embedding -----------------------------------------

UNSEEN = [
    {"id": "window", "question": "When is Bury's next Ofsted standard inspection window?",
     "answer": "Between December 2027 and December 2028.", "must_contain": ["December 2027", "December 2028"],
     "expected_sources": [REPORT], "kind": "date", "audience": "public", "history": []},
    {"id": "mars", "question": "How many people live on Mars?", "answer": "Not in the papers.", "must_contain": [],
     "expected_sources": [], "kind": "unanswerable", "audience": "public", "history": []},
]  # fmt: skip


def test_council_eval_on_an_unseen_set_and_corpus(
    eval_cli: typer.Typer, small_corpus: Path, tmp_path: Path
) -> None:
    set_path = tmp_path / "unseen.jsonl"
    set_path.write_text("".join(json.dumps(r) + "\n" for r in UNSEEN))
    out = tmp_path / "out"
    args = [
        "--set",
        str(set_path),
        "--corpus",
        str(small_corpus),
        "--out",
        str(out),
        "--today",
        "2026-11-23",
        "-q",
    ]
    result = CliRunner().invoke(eval_cli, args)
    assert result.exit_code == 0, result.output
    assert "answer_accuracy" in result.stdout and "Baseline (LangChain recipe)" in result.stdout
    stem = f"eval-{dt.date.today().isoformat()}-unseen"
    data = json.loads((out / f"{stem}.json").read_text())
    assert set(data["systems"]) == {"ours", "baseline"} and data["questions"] == 2
    assert data["today"] == "2026-11-23" and data["documents"] == 2
    for name in ("md", "json"):
        assert (out / f"{stem}.{name}").is_file()
    assert (out / f"{stem}-accuracy.png").is_file() and (out / f"{stem}-latency.png").is_file()
    assert not (tmp_path / "user-index").exists()  # never the user's index
    assert next(iter((out / ".eval-index").iterdir())).name.startswith("corpus-")
    # a second run reuses the eval index; --check-floors with an impossible floor fails with exit 1
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"min": {"all.answer_accuracy": 1.01}}))
    again = CliRunner().invoke(eval_cli, [*args, "--no-baseline", "--check-floors", "--floors", str(floors)])
    assert again.exit_code == 1, again.output
    assert "Floor broken: all.answer_accuracy" in again.output
    assert "Ingesting" in again.output and "2 unchanged" in again.output


def test_council_eval_rejects_a_bad_set(eval_cli: typer.Typer, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n')
    result = CliRunner().invoke(eval_cli, ["--set", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "bad.jsonl, line 1: missing fields" in result.output


def test_run_eval_gathers_ours_then_baseline(unit_settings: Any, small_corpus: Path, tmp_path: Path) -> None:
    from assistant.service import Assistant
    from evals.baseline import build_baseline
    from tests.fakes import fake_store
    from vectorstore.indexer import Indexer

    store = fake_store(unit_settings)
    Indexer(store).sync([small_corpus])
    bot = Assistant.from_settings(unit_settings, store=store, today=dt.date(2026, 11, 23))
    searcher, skipped = build_baseline(small_corpus, store.embeddings, tmp_path / "baseline")
    assert skipped == []
    set_path = tmp_path / "s.jsonl"
    set_path.write_text(json.dumps(UNSEEN[0]) + "\n")
    questions = load_questions(set_path)
    run = run_eval(bot, questions, set_path=set_path, corpus=small_corpus, baseline_searcher=searcher,
                   retrieval=True, floors={"min": {"all.hit@4": 0.0}})  # fmt: skip
    assert [s.name for s in run.systems] == ["ours", "baseline"]
    ours, base = (s.records[0] for s in run.systems)
    assert ours.retrieved and base.retrieved is not None and len(base.retrieved) <= 4  # the recipe's top 4
    assert all(c["doc_id"].startswith("seeds/") for c in base.citations)
    assert run.retrieval is not None and "## Retrieval" in run.retrieval_markdown
    assert run.floors is not None and run.floors[0].ok
