"""F* source read lexically: tokens and top-level declarations (``source.py``), the audit's rules (``audit.py``)."""
