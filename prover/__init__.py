"""The prover layer: LLM clients (``llm``), the proving agent (``agent``), step verification (``steps``), the table of
languages (``languages``), the one way to prove a problem (``proving``) and the functions ``import lemmata`` offers
(``api``)."""
