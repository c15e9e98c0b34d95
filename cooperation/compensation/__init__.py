"""compensation (in progress)."""
