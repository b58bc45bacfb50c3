"""`make bench --only ...` keeps what it did not measure: the machine lines say which sections were re-measured,
and the summary is built from every section's raw numbers, including those read back from reports/bench.json."""

from __future__ import annotations

from pathlib import Path

from bench.run import _partial_run_lines, summary

RUN = {"started": "2026-12-05T20:01:00+00:00", "load_start": [0.03, 0.9, 1.5], "load_end": [1.47, 1.2, 1.5]}


def test_a_partial_run_keeps_the_whole_runs_lines_and_says_what_it_measured(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    out.write_text(
        "# Benchmarks\n\n## Machine and run\n\n- Date: 2026-12-05 04:13 UTC; whole run 31.4 min.\n"
        "- Re-measured with `--only answer`: old line\n\n## Answer latency\n\nold\n",
        encoding="utf-8",
    )
    lines = _partial_run_lines(out, ["answer"], {**RUN, "revision": "abc1234"})
    assert lines[0] == "- Date: 2026-12-05 04:13 UTC; whole run 31.4 min."
    assert (
        sum("Re-measured" in line for line in lines) == 1
    )  # the earlier line for the same sections is replaced
    assert '"Answer latency"' in lines[-1] and "abc1234" in lines[-1] and "0.03 → 1.47" in lines[-1]


def test_the_summary_reads_numbers_kept_from_an_earlier_run() -> None:
    kept = {  # as read back from JSON: the retrieval sizes are text keys
        "retrieval": {
            "sizes": {
                "100000": {
                    "first_query_after_write_ms": 131,
                    "replica_first_query_after_write_ms": 264,
                    "p95_ms": 66,
                    "filtered_p95_ms": 80,
                }
            },
            "rss_growth_mb_per_100k": 286,
        },
        "answer": {"ask_p95_ms": 186.4},
    }
    text = "\n".join(summary(kept, "auto"))
    assert "| retrieval p95 at 100,000 chunks | < 30 ms, with filters | 66 ms; with filters 80 ms |" in text
    assert "| extractive answer p95 | < 300 ms on 2 cores (issue 12) | 186 ms |" in text
