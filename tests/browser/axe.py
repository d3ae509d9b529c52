"""axe-core (npm registry) for the accessibility test: installed once into .cache/, injected into a page.

The package is fetched by npm into a cache folder (never committed); the pinned version makes every run
check against the same rules. KNOWN lists what Streamlit itself renders and the project cannot change,
each with the reason, so a violation in the project's own content always fails.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_VERSION = "4.14.1"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING = ("serious", "critical")

# (rule id, CSS selector of the element Streamlit renders, why it is not the project's to fix)
KNOWN: list[tuple[str, str, str]] = []


def axe_source() -> str:
    """axe.min.js of AXE_VERSION, installed with npm into .cache/axe-core-<version>/ when missing."""
    home = ROOT / ".cache" / f"axe-core-{AXE_VERSION}"
    js = home / "node_modules" / "axe-core" / "axe.min.js"
    if not js.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm not found: apt-get install -y npm (scripts/test.sh does this as root)")
        tmp = home.with_name(f"{home.name}.build-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run([npm, "install", "--prefix", str(tmp), "--no-save", "--no-package-lock", "--no-audit",
                        "--no-fund", "--ignore-scripts", f"axe-core@{AXE_VERSION}"], check=True,
                       stdout=subprocess.DEVNULL, timeout=300)
        try:
            os.rename(tmp, home)
        except OSError:  # another test process finished first
            shutil.rmtree(tmp, ignore_errors=True)
    version = json.loads((js.parent / "package.json").read_text())["version"]
    assert version == AXE_VERSION, version
    return js.read_text()


def run(page) -> list[dict]:
    """axe's violations on the page as it is now (WCAG 2.1 A/AA and best practice)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS)
    return result["violations"]


def known_reason(page, rule: str, target: list) -> str | None:
    """The reason a node is listed as Streamlit's own, or None when it is the project's."""
    selector = target[-1] if target and isinstance(target[-1], str) else None
    if selector is None:
        return None
    for rule_id, inside, reason in KNOWN:
        if rule_id == rule and page.evaluate("([s, k]) => !!document.querySelector(s)?.closest(k)", [selector, inside]):
            return reason
    return None


def split(page, violations: list[dict]) -> tuple[list[dict], list[dict]]:
    """(own, known): serious/critical nodes, each {rule, impact, target, html, summary[, reason]}."""
    own, known = [], []
    for v in violations:
        if v["impact"] not in FAILING:
            continue
        for n in v["nodes"]:
            item = {"rule": v["id"], "impact": v["impact"], "target": n["target"], "html": n["html"][:200],
                    "summary": n.get("failureSummary", "")[:300]}
            reason = known_reason(page, v["id"], n["target"])
            if reason:
                known.append(dict(item, reason=reason))
            else:
                own.append(item)
    return own, known
