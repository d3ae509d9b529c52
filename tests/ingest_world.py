"""The tiny world the ingest tests start from: a base snapshot on 31 Jul 2018 (hand-written)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from .helpers import participant, publish, village

FIX = Path(__file__).parent / "fixtures" / "ingest"
EKANG, MALANG_RAPAT, GUNUNG_KIJANG, DABO = "21.01.10.2002", "21.01.04.2002", "21.01.04.2001", "21.04.01.2008"  # DABO: desa Batu Berdaun (a desa, not the kelurahan Dabo)
AS_OF = date(2018, 8, 1)
BASE_AS_OF = date(2018, 7, 31)


def base_villages():
    """Ekang Anculai verified, Malang Rapat proposed, Gunung Kijang not in the programme, Batu Berdaun certified in 2017."""
    return [
        village(EKANG, "verified", proposed_on=date(2018, 5, 14), verified_on=date(2018, 6, 20), workforce_estimate=1400),
        village(MALANG_RAPAT, "proposed", proposed_on=date(2018, 7, 1), workforce_estimate=2300),
        village(GUNUNG_KIJANG, "none", workforce_estimate=850),
        village(DABO, "certified", proposed_on=date(2017, 2, 1), verified_on=date(2017, 3, 1),
                certified_on=date(2017, 4, 10), head_enrolled=True, officials_total=3, officials_enrolled=3,
                agent_appointed=True, village_regulation=True, workforce_estimate=500),
    ]


def base_enrollments():
    return [
        participant("P1", EKANG, occupation="kepala_desa", enrolled_on=date(2018, 3, 1)),
        participant("P2", EKANG, occupation="perangkat_desa", enrolled_on=date(2018, 3, 2)),
        participant("P3", DABO, segment="PU", occupation="buruh", jht=True, jp=True, enrolled_on=date(2017, 4, 1)),
        participant("P4", MALANG_RAPAT, occupation="nelayan", enrolled_on=date(2018, 1, 1)),
    ]


def publish_base(data_dir):
    return publish(data_dir, BASE_AS_OF, base_villages(), base_enrollments())
