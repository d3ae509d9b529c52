"""Briefs that arrive on their own: `python -m desasadar laporan` builds the national, Kantor Wilayah and
Kantor Cabang briefs on the current snapshot and e-mails each to its recipients (or writes .eml files).

- penerima: recipients by role and scope from config/akses.toml.
- nasional_pdf: Direksi's national brief.  surat: the briefs and the messages.  kirim: SMTP / .eml.
"""
