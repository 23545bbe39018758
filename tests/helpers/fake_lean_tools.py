"""Stand-ins for the two commands of the trusted Lean check, scripted by the test.

    python fake_lean_tools.py lean -o OUT.olean IN.lean
    python fake_lean_tools.py check REFERENCE.olean|- CANDIDATE.olean TARGET AXIOM...

`lean` copies the source to the ".olean" (or fails with Lean-like output when the source holds
``__compile_error__``); `check` prints ``LEMMATA_FAKE_TRUSTED`` (a JSON verdict, default: accepted, with
the three standard axioms). With ``LEMMATA_FAKE_TRUSTED_LOG`` set, each call's arguments are appended there as JSON.
These only show that Lemmata drives the commands as it means to: the real lemmata-check has never run here.
"""

import json
import os
import shutil
import sys


def main() -> int:
    tool, args = sys.argv[1], sys.argv[2:]
    if log := os.environ.get("LEMMATA_FAKE_TRUSTED_LOG"):
        with open(log, "a", encoding="utf-8") as out:
            out.write(json.dumps([tool, *args]) + "\n")
    if tool == "lean":
        out, source = args[1], args[2]
        if "__compile_error__" in open(source, encoding="utf-8").read():
            print(f"{source}:3:2: error: unknown identifier '__compile_error__'")
            return 1
        shutil.copy(source, out)
        return 0
    print("Replaying ...")
    print(os.environ.get("LEMMATA_FAKE_TRUSTED", json.dumps({"verdict": "accepted", "reasons": [],
                                                              "axioms": ["propext", "Classical.choice", "Quot.sound"]})))
    return 0 if '"accepted"' in os.environ.get("LEMMATA_FAKE_TRUSTED", '"accepted"') else 1


if __name__ == "__main__":
    sys.exit(main())
