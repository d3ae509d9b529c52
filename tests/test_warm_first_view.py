"""No visitor pays for a query on the national first view: after warm.warm() (what the server does at start
and after a publish), opening Ringkasan and Peringkat runs no query against the database."""
from __future__ import annotations

import threading

import pytest

from desasadar import db, warm


@pytest.mark.parametrize("page", ["pages/ringkasan.py", "pages/peringkat.py", "pages/peta.py", "pages/desa.py", "pages/peresmian.py"])
def test_the_national_first_view_is_answered_from_the_warm_cache(make_app, demo_env, monkeypatch, page):
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
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert ran == [], f"{len(ran)} queries ran for the first visitor: {ran}"
