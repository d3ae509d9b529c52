"""Shared fixtures: the demo data (built once, cached by content), a tmp data dir, the app."""
from __future__ import annotations

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
OUTPUT = ROOT / "test-output"


def pytest_configure(config):
    """Under xdist, the controller builds a missing demo series in a background process while the workers run
    the tests that do not read it (ordered first, below): a fresh clone's first run otherwise had one worker
    building for about two minutes and the other waiting on its lock."""
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput") and not demo_cache.built():
        import subprocess
        import sys

        config._demo_build = subprocess.Popen([sys.executable, "-m", "tests.demo_cache"], cwd=ROOT)


def pytest_unconfigure(config):
    build = getattr(config, "_demo_build", None)
    if build is not None and build.poll() is None:
        build.terminate()  # the run ended first (-x, Ctrl-C): the next run builds it again
        build.wait()


def pytest_collection_modifyitems(config, items):
    """Files that do not read the demo series first, then those that do; within each, the longest first, so the
    last files to finish are short ones. Estimated seconds a test: 30 if marked slow, 5 in a browser file, else 1.
    scripts/test.sh passes --no-loadscope-reorder so that xdist keeps this order."""
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)

    def seconds(item) -> int:
        return 30 if item.get_closest_marker("slow") else 5 if "/browser/" in item.nodeid else 1

    def weight(name: str) -> tuple:
        its = files[name]
        return any("demo_dir" in it.fixturenames for it in its), -sum(map(seconds, its)), name

    items[:] = [it for name in sorted(files, key=weight) for it in files[name]]


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
