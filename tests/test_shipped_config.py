"""The shipped .streamlit/config.toml is safe by default, checked on a real server started with it
(no command-line overrides): it listens on this machine only, so /_stcore/metrics (which Streamlit
1.67 serves to anyone, before sign-in) cannot be reached from another host; its WebSocket answers
only the allowed host names (DNS rebinding); telemetry and the agent API are off."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request

import pytest

from .conftest import ROOT
from .browser.conftest import free_port, stop_server

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def outside_address() -> str | None:
    """This machine's address on its network (not loopback), if it has one. A UDP connect only picks
    the route: no packet is sent."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))
        except OSError:
            return None
        addr = s.getsockname()[0]
    return None if addr.startswith("127.") or addr == "0.0.0.0" else addr


@pytest.fixture(scope="module")
def shipped_server(demo_dir):
    """`streamlit run dashboard.py` with only a port chosen: everything else from the shipped config."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env["DSJS_DATA_DIR"] = str(demo_dir)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited:\n" + proc.stdout.read().decode(errors="replace"))
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("streamlit did not become healthy")
    yield port
    stop_server(proc)


def test_config_values():
    server = CONFIG["server"]
    assert server["address"] == "127.0.0.1"
    assert set(server["allowedHosts"]) == {"localhost", "127.0.0.1"}
    assert server["enableAgentApi"] is False and server["enableXsrfProtection"] is True
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_metrics_not_reachable_from_another_host(shipped_server):
    port = shipped_server
    # on this machine it answers (the reverse proxy must refuse the path: README)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/metrics", timeout=10) as r:
        assert r.status == 200
    addr = outside_address()
    if addr is None:
        pytest.skip("this machine has no network address besides loopback")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((addr, port), timeout=5).close()


def handshake(port: int, host: str) -> str:
    """The status line the server answers a WebSocket upgrade of the app's stream with."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall((f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                   "Sec-WebSocket-Protocol: streamlit\r\n\r\n").encode())
        return s.recv(4096).decode(errors="replace").split("\r\n", 1)[0]


def test_websocket_only_for_allowed_host_names(shipped_server):
    assert " 101 " in handshake(shipped_server, f"localhost:{shipped_server}")
    assert " 101 " in handshake(shipped_server, f"127.0.0.1:{shipped_server}")
    refused = handshake(shipped_server, "evil.example")
    assert " 101 " not in refused, refused
