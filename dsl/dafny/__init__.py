"""Dafny as data: tokens, the declarations of a program, and the spec-preserving audit's comparison."""
