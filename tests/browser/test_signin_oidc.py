"""Real sign-in: a running OpenID Connect provider (oidc-provider-mock, its own process on loopback),
the dashboard started with a temporary secrets.toml pointing at it, and Debian chromium signing in
through the provider's own login form as each kind of user in config/akses.toml and a few who are not.

One provider and one dashboard serve every identity of the module; each identity gets a fresh
browser context (its own cookies). A second dashboard, on an empty data folder and set up wrongly
on purpose, shows the messages for the usual deployment mistakes. Nothing is written into the
repository: secrets.toml and the access list are temporary files handed to the server.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import pandas as pd
import pytest
from playwright.sync_api import expect

from desasadar import audit

from .conftest import ROOT, block_outside, free_port, screenshot, settle, start_server, stop_server

pytestmark = pytest.mark.browser

DOMAIN = "contoh.bpjsketenagakerjaan.go.id"
RUN = uuid4().hex[:6]  # subjects unique to this run: the audit is read back by subject


def _sub(name: str) -> str:
    return f"uji-{name}-{RUN}"


# subject -> claims the provider puts in the ID token
USERS = {
    _sub("direksi"): {"email": f"direksi@{DOMAIN}", "email_verified": True, "name": "Direksi Uji"},
    _sub("deputi"): {"email": f"deputi.sumbarriau@{DOMAIN}", "email_verified": True, "name": "Deputi Uji"},
    _sub("kc"): {"email": f"kc.tanjungpinang@{DOMAIN}", "email_verified": True, "name": "KC Uji"},
    _sub("petugas"): {"email": f"data.pusat@{DOMAIN}", "email_verified": True, "name": "Petugas Uji"},
    _sub("asing"): {"email": f"orang.asing@{DOMAIN}", "email_verified": True, "name": "Asing"},
    _sub("grup"): {"email": f"anggota.grup@{DOMAIN}", "email_verified": True, "groups": ["dsjs-direksi"]},
    _sub("huruf"): {"email": f"KC.TanjungPinang@{DOMAIN.upper()}", "email_verified": True},
    _sub("palsu"): {"email": f"direksi@{DOMAIN}", "email_verified": False},
}
ROLE = {"direksi": "Direksi", "deputi": "Deputi Direktur Wilayah", "kc": "Kepala Kantor Cabang",
        "petugas": "Petugas data"}
DEEP = "/peringkat?wilayah=sumbarriau&cabang=tanjung-pinang&snapshot=2018-08-01"
OUTSIDE_BRANCH = "31.71.01.1001"  # a village in Jakarta: outside KC Tanjung Pinang


def _wait_http(url: str, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited:\n" + proc.stdout.read().decode(errors="replace"))
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer in 60 s")


def _put_user(base: str, sub: str, claims: dict) -> None:
    req = urllib.request.Request(f"{base}/users/{sub}", data=json.dumps(claims).encode(), method="PUT",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 204


def _secrets(folder: Path, metadata_url: str, redirect_host: str = "127.0.0.1") -> Path:
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://{redirect_host}:{{port}}/oauth2callback"\n'
        f'cookie_secret = "{uuid4().hex}{uuid4().hex}"\n'
        'client_id = "dsjs-dashboard"\n'
        'client_secret = "rahasia-uji"\n'
        f'server_metadata_url = "{metadata_url}"\n', encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def provider():
    """oidc-provider-mock in its own process on a free loopback port, with the test users."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ, NO_COLOR="1"))
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_http(base + "/.well-known/openid-configuration", proc, "oidc-provider-mock")
        for sub, claims in USERS.items():
            _put_user(base, sub, claims)
        yield base
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def signin(provider, demo_dir, tmp_path_factory):
    """The dashboard on the demo data with sign-in through the provider; its own akses.toml copy."""
    folder = tmp_path_factory.mktemp("signin")
    akses = folder / "akses.toml"
    shutil.copy(ROOT / "config" / "akses.toml", akses)
    secrets = _secrets(folder, provider + "/.well-known/openid-configuration")
    proc, url = start_server(demo_dir, env_extra={"DSJS_AKSES_FILE": str(akses)},
                             args=["--secrets.files", str(secrets)])
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    yield {"url": url, "akses": akses, "data": demo_dir, "started": started}
    stop_server(proc)
    assert not (ROOT / ".streamlit" / "secrets.toml").exists(), "a test left a secrets.toml in the repository"


@pytest.fixture
def person(browser):
    """A fresh browser (own cookies) with outside hosts blocked."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, locale="id-ID")
    blocked = block_outside(ctx)
    pg = ctx.new_page()
    pg.blocked = blocked
    yield pg
    ctx.close()


# --- steps --------------------------------------------------------------------------------------------
def _sign_in_screen(page) -> None:
    settle(page)
    expect(page.get_by_role("button", name="Masuk")).to_be_visible()
    # nothing offered before sign-in: no page list, no data stamp
    expect(page.locator("[data-testid='stSidebarNav']")).to_have_count(0)
    expect(page.get_by_text("Data per", exact=False)).to_have_count(0)


def _through_provider(page, app: str, sub: str) -> None:
    """Click Masuk, type the subject into the provider's own form, come back signed in."""
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r".*/oauth2/authorize\?.*"), timeout=30_000)
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.locator("input[name='sub']").fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(lambda u: u.startswith(app) and "oauth2callback" not in u, timeout=30_000)
    settle(page)


def _sign_in(page, app: str, sub: str, path: str = "/") -> None:
    page.goto(app + path)
    _sign_in_screen(page)
    _through_provider(page, app, sub)


def _identity(page, email: str, role: str) -> None:
    expect(page.locator("[data-testid='stSidebar']").get_by_text(f"Masuk sebagai {email} ({role})")).to_be_visible()


def _nav(page) -> list[str]:
    links = page.locator("[data-testid='stSidebarNav'] a")
    expect(links.first).to_be_visible()
    return [t.strip().split("\n")[-1].strip() for t in links.all_inner_texts()]  # the title, not the icon's name


def _stamp(page) -> str:
    stamp = page.get_by_text(re.compile(r"^Data per .* · snapshot ")).first
    expect(stamp).to_be_visible()
    return stamp.inner_text()


def _cabang_options(page, typed: str = "") -> list[str]:
    """The branch filter's options (typing narrows the list; it only draws the first few)."""
    box = page.locator("[data-testid='stSidebar'] .st-key-f_cabang")
    if typed:
        box.get_by_role("combobox").fill(typed)
    else:
        box.get_by_role("button", name="Open").click()
    if not typed:
        expect(page.get_by_role("listbox")).to_be_visible()
    page.wait_for_timeout(500)  # the list filters as it is typed into (with no match it may not open at all)
    texts = [t.strip() for t in page.get_by_role("option").all_inner_texts()]
    page.keyboard.press("Escape")
    return [t for t in texts if t.startswith("KC ") or t == "Seluruh cakupan Anda"]


def _branches_of(region: str) -> set[str]:
    cab = pd.read_csv(ROOT / "data" / "reference" / "cabang.csv")
    return {"KC " + n for n in cab.loc[cab.region_code == region, "name"]}


def _sign_out(page, app: str) -> None:
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile(r".*/oauth2/end_session.*"), timeout=30_000)
    page.get_by_role("button", name="End session").click()  # the provider's own sign-out page
    page.wait_for_url(lambda u: u.startswith(app) and "oauth2callback" not in u, timeout=30_000)
    _sign_in_screen(page)
    page.goto(app + "/peringkat")  # the next visit asks again
    _sign_in_screen(page)


def _no_error(page) -> None:
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    # the mock provider's own pages link a stylesheet on a CDN (blocked: they show unstyled); the dashboard nothing
    blocked = [u for u in page.blocked if "/@picocss/pico" not in u]
    assert not blocked, f"requests to outside hosts: {blocked}"


# --- the people in config/akses.toml ---------------------------------------------------------------------
@pytest.mark.slow
def test_director_shared_link_survives_sign_in(signin, person):
    app = signin["url"]
    _sign_in(person, app, _sub("direksi"), DEEP)
    person.wait_for_url(re.compile(r".*/peringkat\?.*"), timeout=30_000)
    settle(person)
    url = urlsplit(person.url)
    assert url.path == "/peringkat"
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    # exactly the link's parameters (the page adds its own defaults, such as ?ukuran=)
    assert {k: query.get(k) for k in ("wilayah", "cabang", "snapshot")} == {
        "wilayah": "sumbarriau", "cabang": "tanjung-pinang", "snapshot": "2018-08-01"}
    _identity(person, USERS[_sub("direksi")]["email"], ROLE["direksi"])
    expect(person.get_by_role("heading", name="Peringkat", exact=True)).to_be_visible()
    assert "KC Tanjung Pinang" in _stamp(person)
    assert "Data" not in _nav(person)
    screenshot(person, "signin-direksi-tautan")
    person.goto(app + "/peringkat?snapshot=2018-08-01")
    settle(person)
    assert "Nasional" in _stamp(person)
    _no_error(person)
    _sign_out(person, app)


@pytest.mark.slow
def test_deputy_sees_only_sumbarriau_and_loses_access_when_removed(signin, person):
    app = signin["url"]
    _sign_in(person, app, _sub("deputi"))
    _identity(person, USERS[_sub("deputi")]["email"], ROLE["deputi"])
    person.goto(app + "/peringkat?snapshot=2018-08-01")
    settle(person)
    assert "Kanwil Sumbarriau" in _stamp(person)
    sumbarriau = _branches_of("sumbarriau")
    options = _cabang_options(person)
    assert options[0] == "Seluruh cakupan Anda" and len(options) > 3 and set(options[1:]) <= sumbarriau
    assert _cabang_options(person, "Tanjung") == ["KC Tanjung Pinang"]
    assert _cabang_options(person, "Balikpapan") == []
    assert "Data" not in _nav(person)
    # another region in the link does not widen the scope
    person.goto(app + "/peringkat?snapshot=2018-08-01&wilayah=kalimantan")
    settle(person)
    expect(person.get_by_text("wilayah=kalimantan", exact=False).first).to_be_visible()
    assert "Kanwil Sumbarriau" in _stamp(person)
    assert set(_cabang_options(person)[1:]) <= sumbarriau
    # typing the Data page's address: refused, not shown
    person.goto(app + "/data")
    settle(person)
    expect(person.get_by_text("hanya untuk petugas data", exact=False)).to_be_visible()
    expect(person.get_by_text("Unggah", exact=False)).to_have_count(0)
    screenshot(person, "signin-deputi-data-ditolak")
    # the administrator removes the deputy from akses.toml: no access on the next page load
    akses = signin["akses"]
    original = akses.read_text(encoding="utf-8")
    try:
        akses.write_text(original.replace('email = "deputi.sumbarriau@', 'email = "dihapus.deputi.sumbarriau@'),
                         encoding="utf-8")
        person.goto(app + "/peringkat")
        settle(person)
        expect(person.get_by_role("heading", name="Tidak ada akses")).to_be_visible()
        expect(person.get_by_text("Data per", exact=False)).to_have_count(0)
    finally:
        akses.write_text(original, encoding="utf-8")
    person.goto(app + "/peringkat")
    settle(person)
    assert "Kanwil Sumbarriau" in _stamp(person)
    _no_error(person)
    _sign_out(person, app)


@pytest.mark.slow
def test_branch_head_sees_only_tanjung_pinang(signin, person):
    app = signin["url"]
    _sign_in(person, app, _sub("kc"))
    _identity(person, USERS[_sub("kc")]["email"], ROLE["kc"])
    person.goto(app + "/peringkat?snapshot=2018-08-01&wilayah=kalimantan&cabang=balikpapan")
    settle(person)
    assert "KC Tanjung Pinang" in _stamp(person)
    assert _cabang_options(person) == ["Seluruh cakupan Anda", "KC Tanjung Pinang"]
    assert "Data" not in _nav(person)
    person.goto(app + f"/desa?desa={OUTSIDE_BRANCH}")
    settle(person)
    expect(person.get_by_text("Desa tidak ditemukan")).to_be_visible()
    screenshot(person, "signin-kc")
    _no_error(person)
    _sign_out(person, app)


def test_data_officer_gets_the_data_page(signin, person):
    app = signin["url"]
    _sign_in(person, app, _sub("petugas"))
    _identity(person, USERS[_sub("petugas")]["email"], ROLE["petugas"])
    assert "Data" in _nav(person)
    person.goto(app + "/data")
    settle(person)
    expect(person.get_by_role("heading", name="Data", exact=True)).to_be_visible()
    expect(person.get_by_text("hanya untuk petugas data", exact=False)).to_have_count(0)
    person.goto(app + "/peringkat?snapshot=2018-08-01")
    settle(person)
    assert "Nasional" in _stamp(person)
    _no_error(person)
    _sign_out(person, app)


# --- people not in the list by e-mail ----------------------------------------------------------------------
def test_unknown_email_gets_the_no_access_page(signin, person):
    app = signin["url"]
    _sign_in(person, app, _sub("asing"))
    expect(person.get_by_role("heading", name="Tidak ada akses")).to_be_visible()
    expect(person.get_by_text(f"orang.asing@{DOMAIN}", exact=False)).to_be_visible()
    expect(person.get_by_text("Data per", exact=False)).to_have_count(0)
    expect(person.locator("[data-testid='stSidebarNav']")).to_have_count(0)
    screenshot(person, "signin-tanpa-akses")
    person.get_by_role("button", name="Keluar").click()
    person.wait_for_url(re.compile(r".*/oauth2/end_session.*"), timeout=30_000)


def test_unverified_email_gets_no_role(signin, person):
    app = signin["url"]
    _sign_in(person, app, _sub("palsu"))  # the director's address, email_verified = false
    expect(person.get_by_role("heading", name="Tidak ada akses")).to_be_visible()
    expect(person.get_by_text("belum menyatakan alamat", exact=False)).to_be_visible()
    expect(person.get_by_text("Data per", exact=False)).to_have_count(0)


def test_group_claim_gives_its_role(signin, person):
    app = signin["url"]
    _sign_in(person, app, _sub("grup"))
    _identity(person, f"anggota.grup@{DOMAIN}", ROLE["direksi"])
    person.goto(app + "/peringkat?snapshot=2018-08-01")
    settle(person)
    assert "Nasional" in _stamp(person)
    assert "Data" not in _nav(person)
    _no_error(person)


def test_mixed_case_email_matches(signin, person):
    app = signin["url"]
    _sign_in(person, app, _sub("huruf"))
    _identity(person, f"kc.tanjungpinang@{DOMAIN}", ROLE["kc"])
    person.goto(app + "/peringkat?snapshot=2018-08-01")
    settle(person)
    assert "KC Tanjung Pinang" in _stamp(person)
    _no_error(person)


def test_garbled_cookie_says_sign_in_again(signin, person):
    app = signin["url"]
    person.context.add_cookies([{"name": "_streamlit_user", "value": "rusak|bukan-tanda-tangan", "url": app}])
    person.goto(app + "/")
    _sign_in_screen(person)
    expect(person.get_by_text("tidak berlaku lagi", exact=False)).to_be_visible()
    screenshot(person, "signin-cookie-rusak")
    _through_provider(person, app, _sub("direksi"))
    _identity(person, USERS[_sub("direksi")]["email"], ROLE["direksi"])
    expect(person.get_by_text("tidak berlaku lagi", exact=False)).to_have_count(0)


# --- the audit of all of the above ------------------------------------------------------------------------
def test_audit_is_honest(signin):
    ours = {sub for sub in USERS}
    events = [e for e in audit.read(signin["data"]) if e["at"] >= signin["started"] and e.get("sub") in ours]
    sign_ins = [e["sub"] for e in events if e["action"] == "sign_in"]
    # one per sign-in, however many pages each person opened (the director signed in twice)
    assert sorted(sign_ins) == sorted([*USERS, _sub("direksi")])
    first = next(e for e in events if e["action"] == "sign_in" and e["sub"] == _sub("deputi"))
    assert first["iss"].startswith("http://127.0.0.1:") and first["role"] == "deputi_wilayah"
    sign_outs = sorted(e["sub"] for e in events if e["action"] == "sign_out")
    assert sign_outs == sorted([_sub("direksi"), _sub("deputi"), _sub("kc"), _sub("petugas"), _sub("asing")])
    denied = {(e["sub"], e.get("param"), e.get("value"), e.get("reason")) for e in events if e["action"] == "denied"}
    assert (_sub("deputi"), "wilayah", "kalimantan", None) in denied
    assert (_sub("deputi"), "page", "data", None) in denied
    assert (_sub("kc"), "desa", OUTSIDE_BRANCH, None) in denied
    assert (_sub("kc"), "wilayah", "kalimantan", None) in denied
    assert (_sub("asing"), None, None, "no_role") in denied
    assert (_sub("palsu"), None, None, "email_unverified") in denied
    assert (_sub("deputi"), None, None, "no_role") in denied  # after removal from akses.toml


# --- deployment mistakes, on a second server with an empty data folder ------------------------------------
@pytest.fixture(scope="module")
def misconfigured(tmp_path_factory):
    """redirect_uri names `localhost`, the provider's port is closed, and there is no data yet."""
    folder = tmp_path_factory.mktemp("salah")
    data = folder / "data"
    data.mkdir()
    secrets = _secrets(folder, f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration",
                       redirect_host="localhost")
    proc, url = start_server(data, args=["--secrets.files", str(secrets)])
    yield {"url": url, "data": data}
    stop_server(proc)


def test_anonymous_visitor_starts_nothing(misconfigured, person):
    app = misconfigured["url"].replace("127.0.0.1", "localhost")
    person.goto(app + "/peringkat")
    _sign_in_screen(person)
    expect(person.locator("[data-testid='stStatusWidget'], [data-testid='stProgress']")).to_have_count(0)
    assert not (misconfigured["data"] / "snapshots").exists() and not (misconfigured["data"] / "CURRENT").exists()
    # the provider cannot be reached: a sentence that says what to check
    person.get_by_role("button", name="Masuk").click()
    expect(person.get_by_text("Penyedia identitas tidak dapat dihubungi", exact=False)).to_be_visible(timeout=30_000)
    expect(person.get_by_text("server_metadata_url", exact=False)).to_be_visible()
    assert person.url.startswith(app)
    screenshot(person, "signin-penyedia-mati")
    _no_error(person)


def test_host_differs_from_redirect_uri(misconfigured, person):
    app = misconfigured["url"]  # 127.0.0.1, while redirect_uri says localhost
    person.goto(app + "/")
    settle(person)
    expect(person.get_by_text("redirect_uri", exact=False)).to_be_visible()
    expect(person.get_by_text("localhost", exact=False).first).to_be_visible()
    expect(person.get_by_role("button", name="Masuk")).to_have_count(0)
    expect(person.locator("[data-testid='stSidebarNav']")).to_have_count(0)
    screenshot(person, "signin-host-beda")
    _no_error(person)
