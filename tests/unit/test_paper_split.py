"""The paper split's rules as a pure function, its file's checks, and the question rules it enforces."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from evals.paper_split import Paper, SplitError, assign_halves, load_split, question_split_problems, unit_of

HOME = "Home Council"


def papers() -> list[Paper]:
    out = [Paper(f"public/home-minutes-{i}.md", HOME, "scrutiny minutes") for i in range(6)]
    out += [Paper("seeds/home-report.md", HOME, "cabinet report", "seed"),
            Paper("formats/home-report.pdf", HOME, "cabinet report", "seed")]  # fmt: skip
    for council in ("Aton", "Beton", "Ceton", "Deton"):
        out += [
            Paper(f"ofsted/{council.lower()}-{y}.pdf", council, "inspection report") for y in (2019, 2024)
        ]
    out += [Paper(f"public/national-{i}.md", "national", "guidance") for i in range(4)]
    return out


def test_units_keep_groups_and_other_councils_series_together() -> None:
    p = papers()
    assert unit_of(p[6], HOME) == unit_of(p[7], HOME) == "group:seed"
    assert unit_of(p[8], HOME) == unit_of(p[9], HOME) == "series:Aton|inspection report"
    assert unit_of(p[0], HOME) != unit_of(p[1], HOME)  # the home council's papers one by one
    assert unit_of(p[-1], HOME) == "paper:public/national-3.md"  # national bodies' papers too


def test_assignment_is_deterministic_balanced_and_respects_pins_and_units() -> None:
    halves = assign_halves(papers(), HOME, "salt", {"group:seed": "tune"})
    assert halves == assign_halves(list(reversed(papers())), HOME, "salt", {"group:seed": "tune"})
    assert halves["seeds/home-report.md"] == halves["formats/home-report.pdf"] == "tune"
    for council in ("aton", "beton", "ceton", "deton"):
        assert halves[f"ofsted/{council}-2019.pdf"] == halves[f"ofsted/{council}-2024.pdf"]
    by_type: dict[str, Counter[str]] = {}
    for paper in papers():
        by_type.setdefault(paper.doc_type, Counter())[halves[paper.path]] += 1
    assert by_type["scrutiny minutes"] == Counter(tune=3, validation=3)  # stratified within the home council
    assert by_type["inspection report"] == Counter(tune=4, validation=4)  # whole councils, two each side
    assert by_type["guidance"] == Counter(tune=2, validation=2)


def test_a_different_salt_gives_a_different_but_still_balanced_split() -> None:
    splits = [assign_halves(papers(), HOME, salt, {}) for salt in ("a", "b", "c", "d")]
    assert len({tuple(sorted(s.items())) for s in splits}) > 1
    for s in splits:
        counts = Counter(s.values())
        assert abs(counts["tune"] - counts["validation"]) <= 2


def test_pins_must_name_a_unit_and_a_half() -> None:
    with pytest.raises(SplitError, match="pinned unit"):
        assign_halves(papers(), HOME, "s", {"group:nothing": "tune"})
    with pytest.raises(SplitError, match="unknown half 'test'"):
        assign_halves(papers(), HOME, "s", {"group:seed": "test"})


def write_split(tmp_path: Path, **change: Any) -> Path:
    ps = papers()
    halves = assign_halves(ps, HOME, "salt", {"group:seed": "tune"})
    data: dict[str, Any] = {
        "rationale": "why", "home_council": HOME, "salt": "salt", "pins": {"group:seed": "tune"},
        "papers": {p.path: {"council": p.council, "doc_type": p.doc_type, **({"group": p.group} if p.group else {}),
                            "half": halves[p.path]} for p in ps},
    }  # fmt: skip
    data.update(change)
    path = tmp_path / "split.json"
    path.write_text(json.dumps(data))
    return path


def test_load_split_reads_a_consistent_file(tmp_path: Path) -> None:
    split = load_split(write_split(tmp_path))
    assert split.half_of_stem("home-report") == "tune"  # the .md and .pdf share a stem and a half
    assert split.half_of_stem("no-such-paper") is None
    assert "home-minutes-0" in split.stems("tune") | split.stems("validation")


def test_load_split_rejects_a_hand_edited_half(tmp_path: Path) -> None:
    path = write_split(tmp_path)
    data = json.loads(path.read_text())
    first = "public/home-minutes-0.md"
    data["papers"][first]["half"] = "validation" if data["papers"][first]["half"] == "tune" else "tune"
    path.write_text(json.dumps(data))
    with pytest.raises(
        SplitError, match=r"not in the half the split rules give, first 'public/home-minutes-0\.md'"
    ):
        load_split(path)


@pytest.mark.parametrize(
    ("papers_field", "problem"),
    [
        ({"a.md": {"council": "X", "doc_type": "t"}}, "'half' must be a non-empty string"),
        ({"a.md": {"council": "X", "doc_type": "t", "half": "later"}}, "unknown half 'later'"),
        (
            {"a.md": {"council": "X", "doc_type": "t", "half": "tune", "colour": "red"}},
            "unknown field(s) colour",
        ),
        ({"a.md": "tune"}, "expected an object"),
    ],
)
def test_load_split_names_a_bad_entry(tmp_path: Path, papers_field: dict[str, Any], problem: str) -> None:
    with pytest.raises(SplitError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        load_split(write_split(tmp_path, papers=papers_field, pins={}))


def test_load_split_file_errors(tmp_path: Path) -> None:
    with pytest.raises(SplitError, match="cannot read the split file"):
        load_split(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(SplitError, match="bad JSON"):
        load_split(bad)


def test_question_rules(tmp_path: Path) -> None:
    split = load_split(write_split(tmp_path))
    tune = next(s for s in split.stems("tune") if s.startswith("home-minutes"))
    val = next(s for s in split.stems("validation") if s.startswith("home-minutes"))
    ok = [("t1", (tune,)), ("t2", ("home-report",))]
    assert question_split_problems(split, "tune", ok) == []
    assert question_split_problems(split, "tune", [("t3", (tune, val))]) == [
        f"t3: a tune question uses validation paper(s) {val}"
    ]
    assert question_split_problems(split, "validation", [("v1", (val, tune))]) == []  # may combine with tune
    assert question_split_problems(split, "validation", [("v2", (tune,))]) == [
        "v2: a validation question about tune papers only"
    ]
    assert question_split_problems(split, "validation", [("v3", ())]) == [
        "v3: names no paper (give expected_sources or 'about')"
    ]
    assert question_split_problems(split, "validation", [("v4", ("ghost",))]) == [
        "v4: paper(s) not in the split: ghost"
    ]
