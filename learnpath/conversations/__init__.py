"""Conversations: check-ins between a manager and a person (DESIGN.md section 6b)."""
