"""The test demo cache is rebuilt whenever the code that builds it changes."""
from __future__ import annotations

from . import demo_cache


def test_the_cache_key_covers_every_module_the_demo_build_runs():
    names = {p.name for p in demo_cache._build_modules()}
    # publish writes served.duckdb through a function-level import in snapshots.py: a change there must
    # not leave the tests on a demo built by the old code
    assert {"demo.py", "snapshots.py", "served.py", "validate.py", "offices.py", "reference.py"} <= names
    assert "db.py" not in names  # the data layer reads the demo, it does not build it


def test_the_cache_key_is_the_same_in_every_process(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "from tests import demo_cache; print(demo_cache.key())"],
                         cwd=demo_cache.ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert out == demo_cache.key()
