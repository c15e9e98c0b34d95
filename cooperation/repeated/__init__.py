"""repeated (in progress)."""
