"""Who sees what: roles from config, scope enforced by the data layer, never widened from the URL."""
from __future__ import annotations

import pytest

from desasadar import access, audit, db
from desasadar.scope import Scope

from .conftest import app

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "c",
        "client_secret": "s", "server_metadata_url": "https://login.example/.well-known/openid-configuration"}
DEPUTY = "deputi.sumbarriau@contoh.bpjsketenagakerjaan.go.id"
KC_TP = "kc.tanjungpinang@contoh.bpjsketenagakerjaan.go.id"
OFFICER = "data.pusat@contoh.bpjsketenagakerjaan.go.id"


def signed_in(email: str | None, **query):
    at = app(**query)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "email_verified": True, "name": "Uji"} if email else {"is_logged_in": False}
    return at


def test_roles_map_to_scopes():
    assert access.viewer_for(DEPUTY).scope == Scope.of(regions=["sumbarriau"])
    assert access.viewer_for(KC_TP.upper()).scope == Scope.of(branches=["tanjung-pinang"])
    officer = access.viewer_for(OFFICER)
    assert officer.scope.all and officer.can_publish
    assert access.viewer_for("x@y.id", claims={"groups": ["dsjs-direksi"]}).role == "direksi"
    nobody = access.viewer_for("x@y.id", claims={"groups": "other"})
    assert nobody.role == "none" and not nobody.has_access
    assert not access.viewer_for(DEPUTY).can_publish


@pytest.mark.parametrize("entry", [
    {"peran": "raja"}, {"peran": "deputi_wilayah", "wilayah": ["atlantis"]}, {"peran": "kepala_cabang"},
])
def test_bad_config_entries_are_refused(entry):
    with pytest.raises(access.ConfigError):
        access.viewer_for("a@b.id", config={"pengguna": [dict(entry, email="a@b.id")]})


def test_demo_mode_is_national_and_read_only(demo_env):
    at = app(snapshot="2018-08-01").run()
    assert not at.exception
    assert any("Mode demo" in c.value for c in at.caption)
    demo = access.demo_viewer()
    assert demo.scope.all and not demo.can_publish


def test_sign_in_required_when_configured(demo_env):
    at = signed_in(None).run()
    assert [b.label for b in at.button] == ["Masuk"]
    assert not [c for c in at.caption if "Data per" in c.value]  # no data shown before sign-in


def test_user_without_role_sees_no_access(demo_env):
    at = signed_in("stranger@example.id").run()
    assert "belum memiliki peran" in at.error[0].value
    assert not [c for c in at.caption if "Data per" in c.value]
    assert audit.read(demo_env)[-1]["action"] == "denied"


@pytest.mark.parametrize("query", [
    {"wilayah": "kalimantan"}, {"cabang": "balikpapan"}, {"wilayah": "kalimantan", "cabang": "balikpapan"},
    {"cabang": "' OR 1=1 --"}, {"wilayah": "../../etc/passwd"}, {"snapshot": "2018-08-01'; DROP TABLE desa; --"},
])
def test_deputy_cannot_widen_scope_through_the_url(demo_env, query):
    at = signed_in(DEPUTY, **query).run()
    assert not at.exception
    ctx = at.session_state["_ctx"]
    assert ctx.scope == Scope.of(regions=["sumbarriau"])
    assert any("di luar akses" in i.value or "tidak dikenal" in i.value for i in at.info)
    assert "Kanwil Sumbarriau" in next(c.value for c in at.caption if "Data per" in c.value)


def test_branch_head_sees_only_its_branch(demo_env):
    at = signed_in(KC_TP, snapshot="2018-08-01").run()
    ctx = at.session_state["_ctx"]
    assert ctx.scope == Scope.of(branches=["tanjung-pinang"]) and ctx.cabang == "tanjung-pinang"
    cabang_box = next(s for s in at.selectbox if s.label == "Kantor Cabang")
    assert cabang_box.options == ["Seluruh cakupan Anda", "KC Tanjung Pinang"]
    offices = ctx.run("kantor_terpilih")
    assert list(offices.branch_code) == ["tanjung-pinang"]


def test_data_page_only_for_data_officers(demo_env):
    from desasadar.ui import auth
    assert "data" not in auth.pages_for(access.viewer_for(DEPUTY))
    assert "data" not in auth.pages_for(access.viewer_for(KC_TP))
    assert "data" in auth.pages_for(access.viewer_for(OFFICER))


def test_cache_entries_are_per_scope(demo_env):
    a = db.run("peta_kabupaten", Scope.of(regions=["sumbarriau"]), "2018-08-01")
    b = db.run("peta_kabupaten", Scope.of(regions=["kalimantan"]), "2018-08-01")
    assert set(a.regency_code).isdisjoint(b.regency_code)
    again = db.run("peta_kabupaten", Scope.of(branches=["tanjung-pinang"]), "2018-08-01")
    assert list(again.regency_code) == ["21.01", "21.04", "21.72"]


def test_views_are_audited(demo_env):
    before = len(audit.read(demo_env))  # the demo folder is shared: other test processes log views into it too
    signed_in(DEPUTY, snapshot="2018-08-01").run()
    mine = [e for e in audit.read(demo_env)[before:] if e["action"] == "view" and e["who"] == DEPUTY]
    assert mine, "the deputy's view was not logged"
    assert mine[-1]["scope"] == [False, ["sumbarriau"], []] and mine[-1]["snapshot"] == "2018-08-01"


def test_exports_publishes_and_rollbacks_are_audited(data_dir):
    from datetime import date

    from desasadar.ingest import publish as P
    from desasadar.ui import auth

    from .test_snapshots import earlier_villages, good_enrollments, good_villages
    from .helpers import publish

    publish(data_dir, date(2018, 7, 31), earlier_villages(), good_enrollments())
    publish(data_dir, date(2018, 8, 1), good_villages(), good_enrollments())
    P.rollback("2018-07-31", data_dir, who=OFFICER)
    event = audit.read(data_dir)[-1]
    assert (event["action"], event["who"], event["snapshot"], event["previous"]) == (
        "rollback", OFFICER, "2018-07-31", "2018-08-01")
    make = auth.audited("peringkat-cabang.csv", lambda: b"x")  # outside a session: who is unknown
    assert make() == b"x" and audit.read(data_dir)[-1]["what"] == "peringkat-cabang.csv"
    before = (data_dir / "audit" / "audit.jsonl").read_text()
    audit.record("view", DEPUTY, base=data_dir)
    assert (data_dir / "audit" / "audit.jsonl").read_text().startswith(before)  # appended, never rewritten
