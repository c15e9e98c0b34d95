"""sweeps (in progress)."""
