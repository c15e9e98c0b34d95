"""coalitions (in progress)."""
