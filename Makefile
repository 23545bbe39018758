# Quickstart: `make demo` and `make test`; both set everything up first.
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared/data

.PHONY: setup demo test test-fast test-llm bench-sampling bench-coq bench-prove bench-daemon bench-dafny bench-steps clean

setup:
	@bash scripts/setup.sh

demo: setup
	$(BIN)/lemmata doctor
	@bash examples/run_demo.sh $(BIN)/lemmata

# Both use the two cores; README "Development" says when to run which.
test: setup
	$(BIN)/python -m pytest -q -n 2 -m "not llm"

test-fast: setup
	$(BIN)/python -m pytest -q -n 2 -m "not slow and not llm"

# A real model end to end (README "Local models"): builds llama.cpp (about 11 minutes on 2 cores, once; built
# for the common x86-64 baseline: a -march=native build can die with SIGILL on virtual machines) and fetches
# Gemma 3 270M (about 250 MB).
test-llm: setup
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip install -q --no-cache-dir -e ".[llm-test]"
	$(BIN)/python -m pytest -q -m llm tests/llm

bench-coq: setup
	$(BIN)/python -m lemmata.benchmarks.measure.coq_throughput --data $(SHARED)/minif2f/rocq/valid

bench-prove: setup
	$(BIN)/lemmata bench minif2f-rocq --split valid --data $(SHARED)/minif2f/rocq --no-llm --workers 2 \
		--out benchmarks/out/nollm_rocq_valid.jsonl
	$(BIN)/lemmata report benchmarks/out/nollm_rocq_valid.jsonl --md benchmarks/out/nollm_rocq_valid.md \
		--plot benchmarks/nollm_rocq_valid.png

bench-daemon: setup
	$(BIN)/python -m lemmata.benchmarks.measure.daemon_throughput --data $(SHARED)/minif2f/rocq/valid

bench-dafny: setup
	$(BIN)/python -m lemmata.benchmarks.measure.dafnybench --data $(SHARED)/dafnybench --workers 2 \
		--out benchmarks/out/dafnybench.json

bench-steps: setup
	$(BIN)/python -m lemmata.benchmarks.measure.steps_mrgsm8k --data $(SHARED)/steps/mr-gsm8k --workers 2 \
		--out benchmarks/out/steps_mrgsm8k.json
	$(BIN)/python -m lemmata.benchmarks.measure.steps_stream --sizes-mb 100 1000 --workers 2

bench-sampling: setup
	$(BIN)/python -m lemmata.benchmarks.measure.sampling_throughput --samples 32

clean:
	rm -rf $(VENV) .pytest_cache
