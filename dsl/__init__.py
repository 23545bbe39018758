"""Pure data for Lemmata: source-text models, statement IR, proof sketches.

Nothing in this package starts a process or touches a checker; every layer
above may import it freely.
"""
