"""Sign-in rules without a browser: verified e-mails only, the return address after sign-in,
one audit line per sign-in. The real provider and browser are in tests/browser/test_signin_oidc.py."""
from __future__ import annotations

import os
import time

import pytest

from desasadar import access, audit
from desasadar.ui.auth import provider_problem, safe_target

DIRECTOR = "direksi@contoh.bpjsketenagakerjaan.go.id"


def test_only_a_verified_email_gives_its_role():
    cfg = access.load_config()
    claims = {"sub": "s1", "iss": "https://idp", "email": DIRECTOR}
    assert access.viewer_from_token(dict(claims, email_verified=True), cfg).role == "direksi"
    refused = access.viewer_from_token(dict(claims, email_verified=False), cfg)
    assert refused.role == "none" and not refused.has_access and refused.email_unverified
    assert refused.email == DIRECTOR and refused.subject == "s1" and refused.issuer == "https://idp"
    assert access.viewer_from_token(dict(claims, email_verified="false"), cfg).role == "none"
    assert access.viewer_from_token(dict(claims, email_verified="true"), cfg).role == "direksi"
    # no claim at all: refused by default, accepted only when the deployment says its provider never sends it
    assert access.viewer_from_token(claims, cfg).role == "none"
    lenient = dict(cfg, identitas={"terima_tanpa_email_verified": True})
    assert access.viewer_from_token(claims, lenient).role == "direksi"
    assert access.viewer_from_token(dict(claims, email_verified=False), lenient).role == "none"


def test_group_claim_counts_without_a_verified_email():
    v = access.viewer_from_token({"sub": "g", "email": "x@y.id", "groups": ["dsjs-direksi"]})
    assert v.role == "direksi" and v.has_access


def test_mixed_case_verified_email_matches():
    v = access.viewer_from_token({"sub": "m", "email": " KC.TanjungPinang@Contoh.BPJSKetenagakerjaan.go.id ",
                                  "email_verified": True})
    assert v.role == "kepala_cabang" and v.email == "kc.tanjungpinang@contoh.bpjsketenagakerjaan.go.id"


def test_access_file_is_read_on_every_call(tmp_path, monkeypatch):
    path = tmp_path / "akses.toml"
    path.write_text(f'[[pengguna]]\nemail = "{DIRECTOR}"\nperan = "direksi"\n', encoding="utf-8")
    monkeypatch.setenv("DSJS_AKSES_FILE", str(path))
    claims = {"sub": "s", "email": DIRECTOR, "email_verified": True}
    assert access.viewer_from_token(claims).role == "direksi"
    path.write_text("", encoding="utf-8")  # the administrator removes the entry
    assert access.viewer_from_token(claims).role == "none"


@pytest.mark.parametrize("raw, expected", [
    ("/peringkat?wilayah=sumbarriau&cabang=tanjung-pinang&snapshot=2018-08-01",
     "/peringkat?wilayah=sumbarriau&cabang=tanjung-pinang&snapshot=2018-08-01"),
    ("/desa?desa=21.01.10.2002", "/desa?desa=21.01.10.2002"),
    ("/?lang=en", "/?lang=en"),
    ("/", None), ("", None),
    ("https://elsewhere.example/peringkat", None), ("//elsewhere.example/peringkat", None),
    ("/admin?x=1", None), ("/../etc/passwd", None), ("javascript:alert(1)", None),
])
def test_return_address_is_a_known_page(raw, expected):
    assert safe_target(raw) == expected


def test_return_address_under_a_base_path():
    assert safe_target("/dsjs/peta?wilayah=jakarta", "dsjs") == "/dsjs/peta?wilayah=jakarta"
    assert safe_target("/dsjs/", "/dsjs/") is None


def test_one_sign_in_line_per_sign_in(tmp_path):
    assert audit.once("sign_in", "iss|sub|1700000000", base=tmp_path)
    assert not audit.once("sign_in", "iss|sub|1700000000", base=tmp_path)  # a reload, another tab, a replica
    assert audit.once("sign_in", "iss|sub|1700000999", base=tmp_path)  # the next sign-in


def test_old_sign_in_markers_are_pruned(tmp_path):
    audit.once("sign_in", "old", base=tmp_path)
    folder = tmp_path / "audit" / "once" / "sign_in"
    (marker,) = folder.iterdir()
    past = time.time() - (audit.ONCE_DAYS + 1) * 86400
    os.utime(marker, (past, past))
    audit.once("sign_in", "new", base=tmp_path)
    assert len(list(folder.iterdir())) == 1


def test_unreachable_provider_is_named():
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    problem = provider_problem(f"http://127.0.0.1:{port}/.well-known/openid-configuration")
    assert problem and f"127.0.0.1:{port}" in problem and "ConnectError" in problem
    assert provider_problem(None) is None
