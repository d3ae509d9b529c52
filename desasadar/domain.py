"""The programme's vocabulary: statuses, segments, occupations, programme eligibility."""
from __future__ import annotations

import re

# Kemendagri village code: province.regency.district.village, e.g. 21.01.10.2002.
VILLAGE_CODE_PATTERN = r"\d{2}\.\d{2}\.\d{2}\.\d{4}"
VILLAGE_CODE = re.compile(VILLAGE_CODE_PATTERN, re.ASCII)  # use fullmatch

# Pipeline of a village; 'revoked' only ever follows 'certified'.
STATUSES = ("none", "proposed", "verified", "certified", "revoked")
PIPELINE = ("proposed", "verified", "certified", "revoked")
NEXT_CEREMONIES = 15  # villages the Desa page lists as the next ceremonies (desa_hampir), warmed at start

# Participant segments: PU wage earners, BPU informal workers, Jakon construction, PMI migrants.
SEGMENTS = ("PU", "BPU", "JAKON", "PMI")
PROGRAMMES = ("jkk", "jkm", "jht", "jp")

# Which programmes a segment may hold (JKK and JKM are the base of every segment).
ELIGIBLE = {
    "PU": {"jkk", "jkm", "jht", "jp"},
    "BPU": {"jkk", "jkm", "jht"},
    "JAKON": {"jkk", "jkm"},
    "PMI": {"jkk", "jkm", "jht"},
}

# The one "aparatur desa" of every page, slide and brief: the kepala desa and the perangkat desa, the
# officials the certification criteria name (queries/derive/facts_desa.sql aparatur_active).
APARATUR = ("kepala_desa", "perangkat_desa")
OFFICIALS = APARATUR
# RT/RW heads and other (non-civil-servant) village staff: counted and labelled apart (rtrw_staf_active).
# The seed's 1,450 in Kab. Bintan is the Bupati's wider count: APARATUR + RTRW_STAF (README).
RTRW_STAF = ("ketua_rt_rw", "pegawai_non_pns")
# Only a desa has a kepala desa and perangkat desa; a kelurahan (lurah, civil servants) is outside the programme.
DESA_ONLY_OCCUPATIONS = APARATUR
OCCUPATIONS = APARATUR + RTRW_STAF + (
    "guru_ngaji",
    "penjaga_makam",
    "petugas_kebersihan",
    "nelayan",
    "petani",
    "pedagang",
    "buruh",
    "pekerja_konstruksi",
    "pekerja_migran",
    "lainnya",
)
