/-
`lemmata-check`: the trusted final acceptance of a Lean proof, outside the candidate's environment.

    lake env .lake/build/bin/lemmata-check REFERENCE.olean CANDIDATE.olean TARGET [AXIOM ...]

REFERENCE is the problem file compiled to `.olean` (its theorem may be `sorry`), CANDIDATE the proof file
compiled the same way (`lake env lean -o`). Nothing the candidate's own code did while it was elaborated
is trusted: this program starts from the candidate's imports, replays every declaration of the candidate
through the kernel (`Environment.replay`), and then, by its own traversal of the replayed environment,
1. compares TARGET's type and universe parameters with the reference's (`Expr` equality);
2. requires every other declaration of the reference (the problem's definitions) to exist in the
   candidate with the same kind, type and, for definitions, the same value;
3. collects the axioms TARGET depends on, which must all be among the AXIOM arguments;
4. refuses `unsafe` and `partial` declarations and imports that differ from the reference's.
It prints one JSON line: {"verdict": "accepted" | "rejected", "reasons": [...], "axioms": [...]}.
REFERENCE may be `-` (no reference: only the replay and the axiom check).

Written for Lean v4.24; it has not been compiled on the machines Lemmata is developed on (they have no
Lean), so `lemmata setup lean` builds it and the integration tests exercise it wherever Lean exists.
-/
import Lean
import Lean.Replay
import Lean.Util.CollectAxioms

open Lean

namespace LemmataCheck

/-- The module's own declarations, by name. -/
def declarationsOf (mod : ModuleData) : Std.HashMap Name ConstantInfo := Id.run do
  let mut out : Std.HashMap Name ConstantInfo := {}
  for name in mod.constNames, info in mod.constants do
    out := out.insert name info
  return out

def kindOf : ConstantInfo → String
  | .axiomInfo _ => "axiom"
  | .defnInfo _ => "definition"
  | .thmInfo _ => "theorem"
  | .opaqueInfo _ => "opaque"
  | .quotInfo _ => "quotient"
  | .inductInfo _ => "inductive"
  | .ctorInfo _ => "constructor"
  | .recInfo _ => "recursor"

/-- Whether the candidate's `c` declares what the reference's `r` declares (values only for definitions). -/
def sameDeclaration (r c : ConstantInfo) : Bool :=
  kindOf r == kindOf c && r.type == c.type && r.levelParams == c.levelParams &&
    match r, c with
    | .defnInfo rv, .defnInfo cv => rv.value == cv.value
    | .opaqueInfo rv, .opaqueInfo cv => rv.value == cv.value
    | _, _ => true

/-- Axioms `name` depends on in `env`, by a traversal of the replayed declarations. -/
def axiomsOf (env : Environment) (name : Name) : Array Name :=
  let (_, state) := ((CollectAxioms.collect name).run env).run {}
  state.axioms

def quote (s : String) : String := Json.compress (Json.str s)

def report (accepted : Bool) (reasons : Array String) (axioms : Array Name) : IO UInt32 := do
  let rs := ",".intercalate (reasons.toList.map quote)
  let axs := ",".intercalate (axioms.toList.map (quote ∘ toString))
  IO.println s!"\{\"verdict\": {quote (if accepted then "accepted" else "rejected")}, \"reasons\": [{rs}], \"axioms\": [{axs}]}"
  return if accepted then 0 else 1

def run (reference candidate : System.FilePath) (target : Name) (allowed : List Name) : IO UInt32 := do
  let (cand, _) ← readModuleData candidate
  let mut reasons : Array String := #[]
  let declared := declarationsOf cand
  for (name, info) in declared.toList do
    if info.isUnsafe then reasons := reasons.push s!"{name} is unsafe"
    if info.isPartial then reasons := reasons.push s!"{name} is partial"
  let base ← importModules cand.imports {} 0
  -- the kernel checks every declaration of the candidate again, in a fresh environment
  let env ← try base.replay declared
    catch e => return (← report false #[s!"the kernel refuses the candidate: {e}"] #[])
  let some got := env.find? target
    | return (← report false #[s!"the candidate declares no {target}"] #[])
  unless got matches .thmInfo _ do
    reasons := reasons.push s!"{target} is a {kindOf got}, not a theorem"
  if reference.toString != "-" then
    let (ref, _) ← readModuleData reference
    if ref.imports.map (·.module) != cand.imports.map (·.module) then
      reasons := reasons.push "the candidate's imports differ from the reference's"
    for (name, wanted) in (declarationsOf ref).toList do
      if name.isInternal then continue
      match declared.get? name with
      | none => reasons := reasons.push s!"{name} of the reference is missing"
      | some given =>
        if name == target then
          unless wanted.type == given.type && wanted.levelParams == given.levelParams do
            reasons := reasons.push s!"{target} does not state exactly the reference statement"
        else unless sameDeclaration wanted given do
          reasons := reasons.push s!"{name} differs from the reference's {kindOf wanted}"
  let axioms := axiomsOf env target
  for a in axioms do
    unless allowed.contains a do
      reasons := reasons.push s!"{target} rests on an assumption outside the allow-list: {a}"
  report reasons.isEmpty reasons axioms

end LemmataCheck

def main (args : List String) : IO UInt32 := do
  match args with
  | reference :: candidate :: target :: allowed =>
    initSearchPath (← findSysroot)
    LemmataCheck.run reference candidate target.toName (allowed.map String.toName)
  | _ =>
    IO.eprintln "usage: lemmata-check REFERENCE.olean|- CANDIDATE.olean TARGET [AXIOM ...]"
    return 2
