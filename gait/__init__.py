"""SpringCheck's gait analysis: phone clip -> pose -> steps -> measures -> findings -> advice.

Pure Python; nothing here imports Streamlit.
"""

import os

# Each analysis already has a core to itself (one clip per worker thread); OpenBLAS's own worker threads
# (scipy's linear algebra after the pose pass) only spin beside them: ~0.5 CPU s less on gait.bench's
# three clips at once, same results. Read when OpenBLAS loads, which is at scipy's first import, after this.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__all__ = ["__version__"]
__version__ = "0.1.0"
