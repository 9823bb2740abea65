"""Advice: exercises, the back-to-running plan, the safety screen and the filming guide."""
