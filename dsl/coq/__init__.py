"""Coq/Rocq source text: sentences and declarations, read without running Coq."""
