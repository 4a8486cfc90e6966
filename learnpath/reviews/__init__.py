"""Spaced review (FSRS) of the knowledge-check questions a person answered (DESIGN.md 6a)."""
