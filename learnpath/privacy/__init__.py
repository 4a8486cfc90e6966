"""Personal data lifecycle: registry, export, erasure, retention and the audit log."""
