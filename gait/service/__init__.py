"""Service: analyses as jobs for many people (jobs, on Dramatiq; cluster, a local broker and workers) and speed (bench)."""
