"""F*: its JSON IDE protocol (``interface.py``); the backend over it is being built (issue 18)."""
