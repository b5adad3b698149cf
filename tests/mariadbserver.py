"""A throwaway MariaDB server for the tests, like pgserver.py's PostgreSQL one.

It lives in a temporary folder, listens on 127.0.0.1 only, on a free port from an unusual
range, and has one user `workbook` with no password that may create databases (each chapter
makes one of its own). MariaDB refuses to run as root, so as root (as in CI) the server runs
as the `mysql` user that Debian's `mariadb-server` package creates. Recipe verified in
../shared/DESIGN.md ("MariaDB from apt, as root, in a project folder").
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PORTS = range(33069, 33140)


class MariaDBUnavailable(Exception):
    """No MariaDB server binaries here, and none could be installed."""


def find_binaries() -> dict[str, str] | None:
    names = {"install": "mariadb-install-db", "server": "mariadbd", "client": "mariadb", "admin": "mariadb-admin"}
    found = {}
    for key, name in names.items():
        path = shutil.which(name) or next((str(Path(d) / name) for d in ("/usr/sbin", "/usr/bin")
                                           if (Path(d) / name).exists()), None)
        if not path:
            return None
        found[key] = path
    return found


def ensure_binaries(log=print) -> dict[str, str]:
    """Finds the server binaries; as root on Debian or Ubuntu, installs `mariadb-server` first."""
    found = find_binaries()
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing MariaDB from Debian's packages (apt-get install mariadb-server)")
        quiet = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=quiet, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "mariadb-server"],
                       check=True, env=quiet, stdout=subprocess.DEVNULL)
        found = find_binaries()
        if found:
            return found
    raise MariaDBUnavailable("no MariaDB server binaries (mariadbd, mariadb-install-db): install the `mariadb-server` "
                             "package, or set WORKBOOK_TEST_MARIADB_URL to a server of your own")


def free_port() -> int:
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise MariaDBUnavailable(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


class Server:
    def __init__(self, binaries: dict[str, str]):
        self.bin = binaries
        self.root = Path(tempfile.mkdtemp(prefix="workbook-mariadb-"))
        self.data = self.root / "data"
        self.socket = self.root / "sock"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self.process: subprocess.Popen | None = None

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", "mysql", "--", *args] if self.as_root else list(args)

    def start(self) -> str:
        if self.as_root:
            shutil.chown(self.root, user="mysql")
        init = subprocess.run(self._cmd(self.bin["install"], "--no-defaults", f"--datadir={self.data}",
                                        "--auth-root-authentication-method=normal", "--skip-test-db"),
                              capture_output=True, text=True, cwd=self.root)
        if init.returncode != 0:
            raise MariaDBUnavailable(f"mariadb-install-db failed: {init.stderr.strip()[-500:]}")
        log = open(self.root / "server.log", "wb")
        self.process = subprocess.Popen(
            self._cmd(self.bin["server"], "--no-defaults", f"--datadir={self.data}", f"--socket={self.socket}",
                      f"--port={self.port}", "--bind-address=127.0.0.1", "--skip-name-resolve",
                      f"--pid-file={self.root / 'server.pid'}", "--innodb-flush-log-at-trx-commit=0",
                      "--skip-log-bin", "--max-connections=100"),
            stdout=log, stderr=subprocess.STDOUT, cwd=self.root)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise MariaDBUnavailable(f"mariadbd exited: {(self.root / 'server.log').read_text()[-500:]}")
            ping = subprocess.run([self.bin["admin"], f"--socket={self.socket}", "-uroot", "ping"],
                                  capture_output=True, text=True)
            if ping.returncode == 0:
                break
            time.sleep(0.2)
        else:
            self.stop()
            raise MariaDBUnavailable("mariadbd did not answer within 60 s")
        setup = ("create user 'workbook'@'127.0.0.1'; grant all on *.* to 'workbook'@'127.0.0.1';"
                 "create database workbook character set utf8mb4 collate utf8mb4_bin;")
        done = subprocess.run([self.bin["client"], f"--socket={self.socket}", "-uroot", "-e", setup],
                              capture_output=True, text=True)
        if done.returncode != 0:
            self.stop()
            raise MariaDBUnavailable(f"creating the workbook user failed: {done.stderr.strip()}")
        return self.url

    @property
    def url(self) -> str:
        return f"jdbc:mariadb://127.0.0.1:{self.port}/workbook?user=workbook"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            subprocess.run([self.bin["admin"], f"--socket={self.socket}", "-uroot", "shutdown"],
                           capture_output=True, text=True)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.root, ignore_errors=True)


if __name__ == "__main__":
    server = Server(ensure_binaries())
    print(server.start(), flush=True)
    try:
        input("MariaDB runs; press Enter to stop it\n")
    finally:
        server.stop()
