"""Deciding the arithmetic and algebraic claims of reasoning steps: exact evaluation, algebra, SMT."""
