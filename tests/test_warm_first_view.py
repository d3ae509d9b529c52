"""No visitor pays for a query on the national first view: after warm.warm() (what the server does at start
and after a publish), opening Ringkasan and Peringkat runs no query against the database."""
from __future__ import annotations

import threading

import pytest

from desasadar import db, warm


PAGES = ["pages/ringkasan.py", "pages/peringkat.py", "pages/peta.py", "pages/desa.py", "pages/peresmian.py"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("wilayah", [None, "sumbarriau", "kalimantan"])
def test_the_first_view_is_answered_from_the_warm_cache(make_app, demo_env, monkeypatch, page, wilayah):
    """The national first view, and each region's (a deputy signing in, or anyone choosing a region)."""
    monkeypatch.setenv("DSJS_WARM", "regions")  # a server's default (the tests' conftest warms national only)
    db.clear_caches()
    assert warm.warm(demo_env)
    ran: list[str] = []
    query = db._Database.query
    def counted(self, sql, scope, params):
        # the visitor's queries only: a warm-up watcher another test of this process started runs its own
        if threading.current_thread().name != "dsjs-warm":
            ran.append(sql[:80])
        return query(self, sql, scope, params)

    monkeypatch.setattr(db._Database, "query", counted)
    at = make_app()
    if wilayah:
        at.query_params["wilayah"] = wilayah
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert ran == [], f"{len(ran)} queries ran for the first visitor: {ran}"


def test_the_warm_up_covers_the_regions_unless_told_national_only(demo_env, monkeypatch):
    from desasadar.scope import Scope

    monkeypatch.setenv("DSJS_WARM", "regions")
    db.clear_caches()
    warm.warm(demo_env)
    scopes = {key[3] for key in db._results}
    assert Scope.national().key in scopes and Scope.of(regions=["sumbarriau"]).key in scopes
    assert len(scopes) >= 10  # the demo's regions with programme villages

    monkeypatch.setenv("DSJS_WARM", "national")
    db.clear_caches()
    warm.warm(demo_env)
    assert {key[3] for key in db._results} == {Scope.national().key}
    db.clear_caches()
