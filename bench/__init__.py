"""`make bench`: speed measurements written to BENCHMARKS.md (see bench/run.py)."""
