"""Benchmarks: suites, runners and the measured numbers in RESULTS.md."""
