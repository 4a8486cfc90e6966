"""Skills and growth paths."""
