"""Compare two `council eval` JSON reports question by question, for changes meant to preserve behaviour.

    python scripts/compare_eval_runs.py reports/before.json reports/after.json [--fields answer,status,citations]

Prints each question whose chosen fields differ (default: the answer's text, its status and its citations) and
exits 1 if any do. Latencies never count. Note: the last retrieved passages can differ between two runs of the same
code (embedded Chroma's dense search is not exactly repeatable across processes), which is why `retrieved` is not a
default field.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

DEFAULT_FIELDS = ("answer", "status", "citations")


def questions(path: Path, system: str) -> dict[str, dict[str, Any]]:
    report = json.loads(path.read_text(encoding="utf-8"))
    return {q["id"]: q for q in report["systems"][system]["questions"]}


def differences(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], fields: tuple[str, ...]
) -> list[str]:
    """One line per question and field that differ (a question missing on either side is one line)."""
    lines = [f"{qid}: only in one report" for qid in sorted(set(before) ^ set(after))]
    for qid in before.keys() & after.keys():
        lines += [
            f"{qid}: {field} differs" for field in fields if before[qid].get(field) != after[qid].get(field)
        ]
    return sorted(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--fields", default=",".join(DEFAULT_FIELDS), help="comma-separated question fields")
    parser.add_argument("--system", default="ours", help="which system of the reports to compare")
    args = parser.parse_args(argv)
    fields = tuple(f for f in args.fields.split(",") if f)
    before, after = questions(args.before, args.system), questions(args.after, args.system)
    lines = differences(before, after, fields)
    for line in lines:
        print(line)
    print(
        f"{len(before.keys() & after.keys())} questions compared on {', '.join(fields)}: {len(lines)} differences"
    )
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
