"""xAPI 1.0.3 statements for the activity log, forwarding to a Learning Record Store."""
