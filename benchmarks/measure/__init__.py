"""Scripts that measure one part of Lemmata (checker throughput, SMT coverage, step checking), apart from the
`lemmata bench` pipeline; each runs as ``python -m lemmata.benchmarks.measure.NAME`` and records what
``benchmarks/RESULTS.md`` quotes."""
