#!/usr/bin/env bash
# Idempotent set-up for `make demo` / `make test`: Debian packages for the
# checkers and solvers, then a virtualenv with Lemmata and its extras.
# Takes seconds when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
EXTRAS=${LEMMATA_EXTRAS:-dev,smt,distributed,server}

# command-or-path  debian-package
REQUIRED=(
  "coqc coq"
  "/usr/lib/ocaml/coq/user-contrib/Coquelicot libcoq-coquelicot"
  "/usr/lib/ocaml/coq/user-contrib/Hammer libcoq-hammer"
  "csdp coinor-csdp"  # psatz's certificate search
  "/usr/lib/ocaml/coq/user-contrib/Interval libcoq-interval"  # bounds with sqrt, ln, exp, PI
  "/usr/lib/ocaml/coq/user-contrib/Coqprime libcoq-coqprime"  # primality certificates
  "z3 z3"
  "eprover eprover"
  "dafny dafny"
  "chromium chromium"  # the status page of `lemmata serve` is tested in a real headless browser
)
missing=()
for entry in "${REQUIRED[@]}"; do
  probe=${entry% *}; pkg=${entry#* }
  if [[ $probe == /* ]]; then [[ -e $probe ]] && continue; else command -v "$probe" >/dev/null 2>&1 && continue; fi
  missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing packages: ${missing[*]}" >&2
    echo "setup: install them with: sudo apt-get install ${missing[*]}" >&2
    exit 2
  fi
fi

stamp="$VENV/.lemmata-installed"
if [[ ! -x $VENV/bin/python ]]; then
  "$PYTHON" -m venv "$VENV"
fi
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
  echo "setup: installing lemmata[$EXTRAS] into $VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$VENV/bin/python" -m pip install -q -e ".[$EXTRAS]"
  touch "$stamp"
fi
echo "setup: ok"
