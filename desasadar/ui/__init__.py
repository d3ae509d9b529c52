"""Streamlit glue shared by dashboard.py and pages/ (the only part of the package that imports Streamlit)."""
