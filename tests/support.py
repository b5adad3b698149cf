"""What the test modules share: running a catalog alias or script through bin/jbang on a chosen
database, and reading what it printed. (Fixtures live in conftest.py; this is plain functions.)"""
from __future__ import annotations

import csv
import subprocess

from conftest import HOME, database_env


def database_of(server_url: str | None) -> str:
    """The workbook database a server URL belongs to (None: SQLite)."""
    if not server_url:
        return "sqlite"
    if server_url.startswith("jdbc:postgresql:"):
        return "postgresql"
    if server_url.startswith("jdbc:mariadb:"):
        return "mariadb"
    raise ValueError(f"not a server URL the workbook knows: {server_url}")


def jbang(*args: str, server_url: str | None = None, check_ok: bool = True,
          timeout: int = 900) -> subprocess.CompletedProcess:
    """Runs `bin/jbang ARGS` from the workbook folder; with a server URL, chapters and tools see it
    through its environment variable (WORKBOOK_PG_URL or WORKBOOK_MARIADB_URL), and only that one."""
    env = database_env(database_of(server_url), server_url)
    run = subprocess.run(["bash", "bin/jbang", *args], cwd=HOME, env=env, capture_output=True, text=True,
                         timeout=timeout)
    if check_ok:
        assert run.returncode == 0, (f"jbang {' '.join(args)} exited {run.returncode}:\n"
                                     f"{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return run


def error_lines(run: subprocess.CompletedProcess) -> list[str]:
    """The script's own error lines (JBang's build messages on stderr left aside)."""
    return [line for line in run.stderr.splitlines() if line.startswith("error: ")]


def table_cells(text: str) -> list[str]:
    """The single-column values of a printed jOOQ text table, header first."""
    return [line.strip("|").strip() for line in text.splitlines() if line.startswith("|")]


def rows(name: str) -> list[dict]:
    """The rows of data/NAME as dicts (the CSV's header gives the keys)."""
    with open(HOME / "data" / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
