"""Skills, their levels, a person's skills, and the author pages for skills."""
