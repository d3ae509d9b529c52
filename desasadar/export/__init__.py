"""Briefs to take away from a ceremony or a meeting, and the pieces the ceremony view shows.

- facts: the numbers of one village / branch / region (query files queries/peresmian_*.sql), as plain data.
- images: the national gauge (same Altair spec as the pages, via vl-convert) as PNG.
- static_map: an offline locator map drawn with Pillow from the bundled GeoJSON boundaries.
- qr: QR code to a village's live page, only when a public base URL is configured.
- brief_pdf / brief_png: the one-page village PDF (A4), the 1080x1350 PNG for messaging, the branch/region PDF.
- slide: the HTML of the ceremony slides (village, branch, region, nation).
- cli: `python -m desasadar briefs --cabang <slug> --snapshot <id> --out DIR`, every brief of a branch in one go.

Importable without Streamlit; every function takes its data (or a `run(name, **params)` callable) as input.
"""
