"""Lint, run by the test command (so by CI): ruff on the Python (rules in pyproject.toml) and sqlfluff on
queries/ (DuckDB dialect, rules in .sqlfluff). A failure prints what to fix."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the venv's ruff and sqlfluff (requirements-dev.txt)


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / cmd[0]), *cmd[1:]], cwd=ROOT, capture_output=True, text=True, check=False)


def test_python_passes_ruff():
    r = _run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert r.returncode == 0, r.stdout + r.stderr


def test_query_files_pass_sqlfluff():
    r = _run("sqlfluff", "lint", "queries", "--nocolor", "--disable-progress-bar")
    assert r.returncode == 0, r.stdout + r.stderr
