"""Shared fixtures: the demo data (built once, cached by content), a tmp data dir, the app."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from desasadar import db, paths, snapshots

from . import demo_cache

ROOT = paths.ROOT


def _scan_installed_components_once() -> None:
    """Every AppTest.run scans all installed packages' metadata for Streamlit components (about
    0.5-1 s each time on this machine: a few minutes over the suite). A server does it once at
    start; the installed packages do not change during a test run, so the tests scan once too."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


_scan_installed_components_once()
# Warm the national first view only (desasadar/warm.py): most tests open a data folder of their own, and the
# regions' first views would cost each of them about 3 s of CPU (the suite 25-45% longer in files of such
# tests). tests/test_warm_first_view.py warms the regions as a server does by default. Set before any server
# a test starts, which inherits it.
os.environ.setdefault("DSJS_WARM", "national")
OUTPUT = ROOT / "test-output"


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    """A data dir holding the full demo series (read-only for tests). Cached under .cache/ (tests/demo_cache.py)."""
    return demo_cache.ensure()


@pytest.fixture
def demo_env(demo_dir, monkeypatch) -> Path:
    """Point the app and data layer at the demo data."""
    monkeypatch.setenv("DSJS_DATA_DIR", str(demo_dir))
    return demo_dir


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty data dir of this test's own (publish, ingest, fault tests)."""
    monkeypatch.setenv("DSJS_DATA_DIR", str(tmp_path))
    db.clear_caches()
    yield tmp_path
    db.clear_caches()


@pytest.fixture
def output_dir() -> Path:
    """Where tests save screenshots and generated files for people to look at."""
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


def app(path: str = "dashboard.py", **query):
    """An AppTest of the entrypoint with URL parameters; run it with .run()."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / path), default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    return at


@pytest.fixture
def make_app(demo_env):
    return app


def published(base):
    return snapshots.published(base)
