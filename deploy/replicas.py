"""Run N dashboard replicas behind nginx on one machine: the try-out of deploy/README.md.

    .venv/bin/python deploy/replicas.py --replicas 2 --port 8080

renders deploy/nginx/*.conf.in into a run folder, starts N `python -m desasadar.serve` on
127.0.0.1:8601.. (one shared data folder, one cookie secret), waits until each answers
/_stcore/health, then starts nginx in the foreground on --port. Ctrl-C stops everything.
Standard library only, so IT can read it as the recipe for their own service manager.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def upload_limit_mb() -> int:
    """Streamlit's server.maxUploadSize from the shipped config: nginx must accept as much."""
    conf = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    return int(conf.get("server", {}).get("maxUploadSize", 200))


def render_site(upstreams: list[str], listen: str, server_name: str, access_log: str,
                max_body_mb: int | None = None) -> str:
    servers = "\n".join(f"    server {u} max_fails=2 fail_timeout=5s;" for u in upstreams)
    body = max_body_mb if max_body_mb is not None else upload_limit_mb()
    text = (TEMPLATES / "dsjs.conf.in").read_text()
    for key, value in {"UPSTREAM_SERVERS": servers, "LISTEN": listen, "SERVER_NAME": server_name,
                       "ACCESS_LOG": access_log, "MAX_BODY_MB": str(body + 1)}.items():
        text = text.replace(f"@{key}@", value)
    return text


def render_main(run_dir: Path) -> str:
    # As root nginx would hand its workers to `nobody`, who cannot write the run folder.
    user = "user root;" if os.geteuid() == 0 else ""
    return (TEMPLATES / "main.conf.in").read_text().replace("@RUN_DIR@", str(run_dir)).replace("@USER_LINE@", user)


def wait_healthy(url: str, timeout: float = 90, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer /_stcore/health within {timeout:.0f} s")


@dataclass
class Cluster:
    """N replicas on 127.0.0.1:first_port.. and nginx on listen_port, sharing data_dir."""

    run_dir: Path
    data_dir: Path
    replicas: int = 2
    listen_port: int = 8080
    first_port: int = 8601
    server_name: str = "localhost"
    replica_ports: list[int] | None = None  # explicit ports (tests); else first_port, first_port+1..
    cookie_secret: str = field(default_factory=lambda: secrets.token_hex(32))
    env: dict[str, str] = field(default_factory=dict)
    procs: list[subprocess.Popen | None] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    @property
    def ports(self) -> list[int]:
        return self.replica_ports or [self.first_port + i for i in range(self.replicas)]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listen_port}"

    @property
    def access_log(self) -> Path:
        return self.run_dir / "access.log"

    def replica_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.ports[i]}"

    def start_replica(self, i: int) -> subprocess.Popen:
        env = dict(os.environ, DSJS_DATA_DIR=str(self.data_dir), **self.env)
        # One secret for all: the XSRF cookie and the sign-in cookie of one replica are valid on
        # every other, so a user stays signed in whichever replica answers.
        env["STREAMLIT_SERVER_COOKIE_SECRET"] = self.cookie_secret
        hosts = []
        for h in (self.server_name, "localhost", "127.0.0.1"):
            hosts += ["--server.allowedHosts", h]
        log = open(self.run_dir / f"replica-{i}.log", "ab")
        proc = subprocess.Popen(
            # desasadar.serve = `streamlit run dashboard.py` with CURRENT opened and warmed at start.
            [sys.executable, "-m", "desasadar.serve", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(self.ports[i]),
             "--browser.gatherUsageStats", "false", *hosts],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        while len(self.procs) <= i:
            self.procs.append(None)
        self.procs[i] = proc
        return proc

    def start(self) -> "Cluster":
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for i in range(self.replicas):
            self.start_replica(i)
        for i, proc in enumerate(self.procs):
            wait_healthy(self.replica_url(i), proc=proc)
        upstreams = [f"127.0.0.1:{p}" for p in self.ports]
        (self.run_dir / "dsjs.conf").write_text(
            render_site(upstreams, f"127.0.0.1:{self.listen_port}", self.server_name, str(self.access_log)))
        (self.run_dir / "nginx.conf").write_text(render_main(self.run_dir))
        check = subprocess.run([NGINX, "-t", "-q", "-p", str(self.run_dir), "-c", str(self.run_dir / "nginx.conf")],
                               capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError("nginx rejected the configuration:\n" + check.stderr)
        self.nginx = subprocess.Popen([NGINX, "-p", str(self.run_dir), "-c", str(self.run_dir / "nginx.conf")],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_healthy(self.url, timeout=30, proc=self.nginx)
        return self

    def kill_replica(self, i: int) -> None:
        """As a crash would: SIGKILL, no goodbye to the browsers."""
        proc = self.procs[i]
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()

    def stop(self) -> None:
        for proc in [self.nginx, *self.procs]:
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in [self.nginx, *self.procs]:
            if proc is None:
                continue
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--port", type=int, default=8080, help="where nginx listens (127.0.0.1)")
    ap.add_argument("--first-replica-port", type=int, default=8601)
    ap.add_argument("--server-name", default="localhost", help="the public host name (server.allowedHosts)")
    ap.add_argument("--run-dir", type=Path, default=ROOT / "build" / "replicas")
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("DSJS_DATA_DIR", ROOT / "data")))
    args = ap.parse_args(argv)
    if not Path(NGINX).exists():
        print("nginx is not installed: apt-get install nginx", file=sys.stderr)
        return 2
    cluster = Cluster(args.run_dir.resolve(), args.data_dir.resolve(), replicas=args.replicas,
                      listen_port=args.port, first_port=args.first_replica_port, server_name=args.server_name,
                      cookie_secret=os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster.start()
        print(f"{args.replicas} replicas on ports {cluster.ports}; open {cluster.url} (Ctrl-C stops)", flush=True)
        while True:
            for i, proc in enumerate(cluster.procs):
                if proc is not None and proc.poll() is not None:
                    # systemd's Restart=always does this in production.
                    print(f"replica {i} exited ({proc.returncode}); restarting", flush=True)
                    cluster.start_replica(i)
            time.sleep(2)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
