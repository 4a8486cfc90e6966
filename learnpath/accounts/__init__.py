"""People, teams, roles, signing in and the admin of people."""
