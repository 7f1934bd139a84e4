"""Demo county data (placeholder while the generator is written)."""
