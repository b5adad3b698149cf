"""Shared fixtures: the workbook's paths, throwaway PostgreSQL and MariaDB servers (started once
per test session, on first use, and stopped at its end, failed tests or not), the database
selection (--databases), the slowest tests and the summary line."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HOME = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import mariadbserver  # noqa: E402
import pgserver  # noqa: E402

# The databases every chapter and tool is held on; MariaDB where a chapter or tool opts in.
DATABASES = ["sqlite", "postgresql"]
ALL_DATABASES = ["sqlite", "postgresql", "mariadb"]


def pytest_addoption(parser):
    parser.addoption("--databases", default=",".join(ALL_DATABASES),
                     help="comma-separated databases to test on (default: all three); "
                          "--databases sqlite is the fast loop, with no server started")


def pytest_collection_modifyitems(config, items):
    """Deselects the tests of databases left out with --databases."""
    wanted = set(config.getoption("--databases").split(","))
    unknown = wanted - set(ALL_DATABASES)
    if unknown:
        raise pytest.UsageError(f"--databases: unknown {sorted(unknown)}; use {','.join(ALL_DATABASES)}")
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        database = callspec.params.get("database") if callspec else None
        (drop if database is not None and database not in wanted else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def pg_url():
    """A JDBC URL of a PostgreSQL database: WORKBOOK_TEST_PG_URL, or a server started here for the session.

    Without server binaries the PostgreSQL tests are skipped, except in CI (CI=true), where
    they fail: there PostgreSQL must be tested."""
    external = os.environ.get("WORKBOOK_TEST_PG_URL")
    if external:
        yield external
        return
    try:
        bindir = pgserver.ensure_binaries(log=lambda m: print(f"[workbook] {m}", flush=True))
        server = pgserver.Server(bindir)
        url = server.start()
    except pgserver.PostgresUnavailable as e:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is needed in CI: {e}")
        pytest.skip(f"PostgreSQL tests skipped: {e}")
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def mariadb_url():
    """A JDBC URL of a MariaDB server: WORKBOOK_TEST_MARIADB_URL, or a server started here for the session.

    Skipped without server binaries, except in CI (CI=true), where MariaDB must be tested."""
    external = os.environ.get("WORKBOOK_TEST_MARIADB_URL")
    if external:
        yield external
        return
    try:
        binaries = mariadbserver.ensure_binaries(log=lambda m: print(f"[workbook] {m}", flush=True))
        server = mariadbserver.Server(binaries)
        url = server.start()
    except mariadbserver.MariaDBUnavailable as e:
        if os.environ.get("CI"):
            pytest.fail(f"MariaDB is needed in CI: {e}")
        pytest.skip(f"MariaDB tests skipped: {e}")
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def server_url_for(request):
    """Returns None for SQLite and the server's URL (starting it on first use) for PostgreSQL or MariaDB."""
    def get(database: str):
        if database == "sqlite":
            return None
        return request.getfixturevalue({"postgresql": "pg_url", "mariadb": "mariadb_url"}[database])
    return get


# The environment variable through which each server database reaches a kernel or a script.
ENV_VARS = {"postgresql": "WORKBOOK_PG_URL", "mariadb": "WORKBOOK_MARIADB_URL"}


def database_env(database: str, url: str | None, base: dict | None = None) -> dict[str, str]:
    """An environment for a kernel or a script that works on `database` (and only on it)."""
    env = dict(os.environ if base is None else base)
    for var in ENV_VARS.values():
        env.pop(var, None)
    if database != "sqlite":
        env[ENV_VARS[database]] = url
    env["WORKBOOK_HOME"] = str(HOME)
    return env


def pytest_terminal_summary(terminalreporter):
    stats = terminalreporter.stats
    passed = len(stats.get("passed", []))
    failed = len(stats.get("failed", [])) + len(stats.get("error", []))
    skipped = len(stats.get("skipped", []))
    line = f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else "")
    terminalreporter.write_line("")
    terminalreporter.write_line(line)
    # workbook.py prints it again after pytest's own summary, so that it is the last line.
    summary = HOME / ".workbook" / "last-test-summary.txt"
    summary.parent.mkdir(parents=True, exist_ok=True)
    summary.write_text(line + "\n")
