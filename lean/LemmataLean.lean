-- Root of the Lean library Lemmata builds so that `import Mathlib` is cached.
import Mathlib
