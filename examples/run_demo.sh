#!/usr/bin/env bash
# The demo job: prove the bundled problems (no model: automation, SMT,
# symbolic splitting; then a recorded model answer whose wrong step the
# checker-guided repair fixes); check the bundled proofs against their
# problems and show what Lemmata accepts, what it refuses and why; decide two
# statements with SMT (one proved, one refuted with a checked counterexample).
set -u
lemmata=$(realpath "${1:-$(command -v lemmata)}")
cd "$(dirname "$0")/coq"
status=0
run() {
  local expect=$1; shift
  echo
  echo "\$ lemmata $*"
  "$lemmata" "$@"
  local rc=$?
  if [[ $rc -ne $expect ]]; then
    echo "demo: expected exit code $expect, got $rc" >&2
    status=1
  fi
}
run 0 prove linear_system_problem.v --no-llm
run 1 prove zmod_sign.v --no-llm
run 1 prove sum_odd_problem.v --no-llm --tactics lia,nia
run 0 prove sum_odd_problem.v --replay sum_odd.replay.jsonl --tactics lia,nia
run 0 check sum_odd_proof.v --statement sum_odd_problem.v
run 0 check linear_system_proof.v --statement linear_system_problem.v
run 1 check linear_system_wrong_step.v --statement linear_system_problem.v
run 1 check linear_system_cheat.v --statement linear_system_problem.v
run 1 check linear_system_problem.v

echo
echo "\$ lemmata smt ../lean/int_division.lean --cross-check"
"$lemmata" smt ../lean/int_division.lean --cross-check || status=1
echo
echo "\$ lemmata smt zmod_sign.v"
"$lemmata" smt zmod_sign.v || status=1
exit $status
