"""Streamlit pages of the app; they call the ``advisor`` API only."""
