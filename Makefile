# Quickstart: `make demo` and `make test`; both set everything up first.
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared/data

.PHONY: setup demo test bench-coq bench-prove clean

setup:
	@bash scripts/setup.sh

demo: setup
	$(BIN)/lemmata doctor
	@bash examples/run_demo.sh $(BIN)/lemmata

test: setup
	$(BIN)/python -m pytest -q

bench-coq: setup
	$(BIN)/python -m benchmarks.coq_throughput --data $(SHARED)/minif2f/rocq/valid

bench-prove: setup
	$(BIN)/python -m benchmarks.prove_minif2f --data $(SHARED)/minif2f/rocq/valid --out benchmarks/out/prove_rocq.json

clean:
	rm -rf $(VENV) .pytest_cache
