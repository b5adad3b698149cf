"""A throwaway PostgreSQL server for the tests (and for `python3 workbook.py postgres`).

It lives in a temporary folder, listens on 127.0.0.1 only, on a free port from an unusual
range, trusts local connections (no password), and runs with fsync off: fast, and never to
be used for data you want to keep. PostgreSQL refuses to run as root, so when the tests run
as root (as CI does) the server runs as the `postgres` user that Debian's package creates.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PORTS = range(54329, 54400)


class PostgresUnavailable(Exception):
    """No PostgreSQL server binaries here, and none could be installed."""


def find_bindir() -> Path | None:
    env = os.environ.get("WORKBOOK_PG_BINDIR")
    candidates = [env] if env else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if out.returncode == 0:
            candidates.append(out.stdout.strip())
    for directory in candidates:
        if directory and (Path(directory) / "initdb").exists() and (Path(directory) / "pg_ctl").exists():
            return Path(directory)
    return None


def ensure_binaries(log=print) -> Path:
    """Finds initdb/pg_ctl; as root on Debian or Ubuntu, installs the `postgresql` package first."""
    bindir = find_bindir()
    if bindir:
        return bindir
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing PostgreSQL from Debian's packages (apt-get install postgresql)")
        quiet = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=quiet, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"],
                       check=True, env=quiet, stdout=subprocess.DEVNULL)
        bindir = find_bindir()
        if bindir:
            return bindir
    raise PostgresUnavailable("no PostgreSQL server binaries (initdb, pg_ctl): install the `postgresql` package, "
                              "or set WORKBOOK_TEST_PG_URL to a server of your own")


def free_port() -> int:
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise PostgresUnavailable(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


class Server:
    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="workbook-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self.user = "postgres"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=check, cwd=self.root)

    def start(self) -> str:
        if self.as_root:
            shutil.chown(self.root, user="postgres")
        self._run("initdb", "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
        started = self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"),
                            "-w", "-t", "60", "start", check=False)
        if started.returncode != 0:
            log = (self.root / "server.log").read_text() if (self.root / "server.log").exists() else ""
            raise PostgresUnavailable(f"pg_ctl start failed: {started.stderr.strip()} {log[-500:]}")
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "workbook")
        return self.url

    @property
    def url(self) -> str:
        return f"jdbc:postgresql://127.0.0.1:{self.port}/workbook?user={self.user}"

    def stop(self) -> None:
        if self.data.exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
