from prover.cli import run

run()
