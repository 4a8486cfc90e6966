"""Open Badges 3.0: path certificates as OpenBadgeCredentials."""
