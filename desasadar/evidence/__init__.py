"""Evidence per village (bukti): the certificate, the berita acara and ceremony photos.

- checks: type by content, size limit, photo metadata removed, GPS read for the distance flag.
- store: content-addressed files and the append-only metadata log under <data>/evidence/.
- attach: add and hand out evidence within a viewer's scope (through desasadar.db.run).
- cli: `python -m desasadar bukti ...` for one file or a batch listed in a CSV.
"""
