"""Service: running analyses for many people (workers) and measuring speed (bench)."""
