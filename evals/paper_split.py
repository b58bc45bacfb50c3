"""The paper split: every paper of the sample corpus belongs to the `tune` or the `validation` half.

Rules and thresholds are tuned on questions about `tune` papers and judged on questions about `validation` papers
(evals/sets/tune.jsonl, evals/sets/validation.jsonl). The split itself is data (evals/sets/paper-split.json: each
paper's council, document type, optional group and half); `assign_halves` recomputes the halves from the rest of
that data, so the file can be checked and regenerated when papers are added:

1. Units: papers that must stay together form one unit: a named group (copies of one paper, a report and the minutes
   of the meeting that discussed it), or, for a council other than the home council, all its papers of one document
   type (so "has Rochdale improved since 2018?" stays within one half). Every other paper is a unit of its own.
2. Pinned units go to their half first (the seed papers, which the product's example questions are about, are
   pinned to `tune`).
3. The rest, stratum by stratum (council x document type, in sorted order), units ordered by a salted SHA-256 of
   their name: each unit goes to the half that has fewer units of its stratum so far, then fewer papers of its
   document type, then fewer papers overall; a remaining tie is broken by the hash.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from evals.jsonfile import read_json

__all__ = [
    "DEFAULT_SPLIT",
    "HALVES",
    "Paper",
    "PaperSplit",
    "SplitError",
    "assign_halves",
    "load_split",
    "question_split_problems",
    "stem_of",
]

HALVES: tuple[str, ...] = ("tune", "validation")
DEFAULT_SPLIT = Path(__file__).resolve().parent / "sets" / "paper-split.json"
_PAPER_FIELDS = {"council", "doc_type", "group", "half"}


class SplitError(ValueError):
    """A split file that cannot be used; the message says which entry and why."""


@dataclass(frozen=True)
class Paper:
    path: str  # relative to the corpus folder, forward slashes
    council: str
    doc_type: str
    group: str = ""
    half: str = ""

    @property
    def stem(self) -> str:
        return stem_of(self.path)


@dataclass(frozen=True)
class PaperSplit:
    home_council: str
    salt: str
    pins: dict[str, str]  # unit name -> half
    papers: dict[str, Paper]  # path -> paper
    rationale: str = ""

    def half_of_stem(self, stem: str) -> str | None:
        """The half of the paper(s) with this file stem (a PDF and its DOCX copy share one); None if unknown."""
        halves = {p.half for p in self.papers.values() if p.stem == stem.casefold()}
        if len(halves) > 1:
            raise SplitError(f"papers with the stem {stem!r} are in both halves")
        return next(iter(halves), None)

    def stems(self, half: str) -> set[str]:
        return {p.stem for p in self.papers.values() if p.half == half}


def stem_of(path_or_stem: str) -> str:
    """`public/foo.md` -> `foo` (case-folded), as `expected_sources` name papers."""
    return PurePosixPath(path_or_stem.replace("\\", "/")).stem.casefold()


def _digest(salt: str, name: str) -> str:
    return hashlib.sha256(f"{salt}\0{name}".encode()).hexdigest()


def unit_of(paper: Paper, home_council: str) -> str:
    """The unit a paper is assigned with (see the module docstring)."""
    if paper.group:
        return f"group:{paper.group}"
    if paper.council != home_council and paper.council != "national":
        return f"series:{paper.council}|{paper.doc_type}"
    return f"paper:{paper.path}"


def assign_halves(
    papers: Iterable[Paper], home_council: str, salt: str, pins: Mapping[str, str]
) -> dict[str, str]:
    """path -> half for every paper, by the rules in the module docstring. Deterministic for the same inputs."""
    units: dict[str, list[Paper]] = {}
    for paper in sorted(papers, key=lambda p: p.path):
        units.setdefault(unit_of(paper, home_council), []).append(paper)
    unknown = sorted(set(pins) - set(units))
    if unknown:
        raise SplitError(f"pinned unit(s) with no papers: {', '.join(unknown)}")
    halves: dict[str, str] = {}
    stratum_units: Counter[tuple[str, str, str]] = Counter()  # (council, doc_type, half)
    type_papers: Counter[tuple[str, str]] = Counter()  # (doc_type, half)
    total: Counter[str] = Counter()

    def place(unit: str, half: str) -> None:
        members = units[unit]
        first = members[0]
        stratum_units[(first.council, first.doc_type, half)] += 1
        for p in members:
            type_papers[(p.doc_type, half)] += 1
            total[half] += 1
            halves[p.path] = half

    for unit, half in sorted(pins.items()):
        if half not in HALVES:
            raise SplitError(f"pin {unit!r}: unknown half {half!r} (expected one of: {', '.join(HALVES)})")
        place(unit, half)
    free = [u for u in units if u not in pins]
    free.sort(key=lambda u: (units[u][0].council, units[u][0].doc_type, _digest(salt, u)))
    for unit in free:
        first = units[unit]
        parity = int(_digest(salt, unit), 16) % 2

        def load(half: str, first: Paper = first[0]) -> tuple[int, int, int]:
            return (
                stratum_units[(first.council, first.doc_type, half)],
                type_papers[(first.doc_type, half)],
                total[half],
            )

        a, b = HALVES
        if load(a) == load(b):
            place(unit, HALVES[parity])
        else:
            place(unit, a if load(a) < load(b) else b)
    return halves


def _paper(path: str, record: Any) -> Paper:
    if not isinstance(record, dict):
        raise SplitError(f"paper {path!r}: expected an object, got {type(record).__name__}")
    unknown = sorted(set(record) - _PAPER_FIELDS)
    if unknown:
        raise SplitError(f"paper {path!r}: unknown field(s) {', '.join(unknown)}")
    for name in ("council", "doc_type", "half"):
        if not isinstance(record.get(name), str) or not record[name].strip():
            raise SplitError(f"paper {path!r}: '{name}' must be a non-empty string")
    if record["half"] not in HALVES:
        raise SplitError(f"paper {path!r}: unknown half {record['half']!r}")
    return Paper(path, record["council"], record["doc_type"], str(record.get("group", "")), record["half"])


def load_split(path: Path = DEFAULT_SPLIT) -> PaperSplit:
    """Read and check a split file: every paper's half must be what `assign_halves` gives."""
    data = read_json(path, "split file", SplitError)
    if not isinstance(data, dict) or not isinstance(data.get("papers"), dict):
        raise SplitError(f"{path}: expected an object with 'papers'")
    papers = {p: _paper(p, r) for p, r in data["papers"].items()}
    split = PaperSplit(
        home_council=str(data.get("home_council", "")),
        salt=str(data.get("salt", "")),
        pins={str(k): str(v) for k, v in dict(data.get("pins", {})).items()},
        papers=papers,
        rationale=str(data.get("rationale", "")),
    )
    expected = assign_halves(papers.values(), split.home_council, split.salt, split.pins)
    wrong = sorted(p for p, paper in papers.items() if paper.half != expected[p])
    if wrong:
        raise SplitError(
            f"{path}: {len(wrong)} paper(s) are not in the half the split rules give, "
            f"first {wrong[0]!r} (file: {papers[wrong[0]].half}, rules: {expected[wrong[0]]})"
        )
    return split


def question_split_problems(
    split: PaperSplit, half: str, questions: Sequence[tuple[str, Sequence[str]]]
) -> list[str]:
    """For (question id, papers it is about) pairs of one question set: what breaks the split, in words.

    A `tune` question may only be about `tune` papers (the lead tunes on it). A `validation` question must be
    about at least one `validation` paper; it may also use `tune` papers (e.g. "has it improved since 2021?"
    combines an old and a new report)."""
    problems: list[str] = []
    for qid, stems in questions:
        halves = {s: split.half_of_stem(s) for s in stems}
        unknown = [s for s, h in halves.items() if h is None]
        if unknown:
            problems.append(f"{qid}: paper(s) not in the split: {', '.join(unknown)}")
            continue
        if not stems:
            problems.append(f"{qid}: names no paper (give expected_sources or 'about')")
        elif half == "tune" and any(h != "tune" for h in halves.values()):
            others = [s for s, h in halves.items() if h != "tune"]
            problems.append(f"{qid}: a tune question uses validation paper(s) {', '.join(others)}")
        elif half == "validation" and "validation" not in halves.values():
            problems.append(f"{qid}: a validation question about tune papers only")
    return problems
