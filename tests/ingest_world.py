"""The tiny world the ingest tests start from: a base snapshot on 31 Jul 2018 (hand-written)."""
from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from desasadar import reference, snapshots

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


_published: dict[str, Path] = {}  # reference version -> a folder holding the published base


def publish_base(data_dir):
    """Publish the base snapshot into `data_dir`. It is published for real once per test process (and
    reference version) and copied from there: about 70 tests start from it, and a publish costs 2-7 s
    where a copy costs milliseconds. Nothing in a published folder names the folder it lives in."""
    ref = reference.version()
    if ref not in _published:
        folder = Path(tempfile.mkdtemp(prefix="dsjs-base-"))
        publish(folder, BASE_AS_OF, base_villages(), base_enrollments())
        _published[ref] = folder
    shutil.copytree(_published[ref], data_dir, dirs_exist_ok=True)
    return next(s for s in snapshots.published(Path(data_dir)) if s.id == BASE_AS_OF.isoformat())
