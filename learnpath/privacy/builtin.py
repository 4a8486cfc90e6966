"""Registrations for the tables that existed before the registry (filled in below)."""
