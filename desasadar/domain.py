"""The programme's vocabulary: statuses, segments, occupations, programme eligibility."""
from __future__ import annotations

# Pipeline of a village; 'revoked' only ever follows 'certified'.
STATUSES = ("none", "proposed", "verified", "certified", "revoked")
PIPELINE = ("proposed", "verified", "certified", "revoked")

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

# Village officials ("aparatur desa"): RT/RW heads up to the village head, non-civil-servant staff.
APARATUR = ("kepala_desa", "perangkat_desa", "ketua_rt_rw", "pegawai_non_pns")
# Officials counted by the certification criterion "perangkat desa terdaftar".
OFFICIALS = ("kepala_desa", "perangkat_desa")
OCCUPATIONS = APARATUR + (
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
