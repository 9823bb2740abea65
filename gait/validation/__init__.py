"""Validation: the engine scored against ground truth (hand annotations, rendered walkers)."""
