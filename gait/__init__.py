"""SpringCheck's gait analysis: phone clip -> pose -> steps -> measures -> findings -> advice.

Pure Python; nothing here imports Streamlit.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
