"""Desa Sadar Jaminan Sosial: data layer and domain logic (importable without Streamlit)."""
