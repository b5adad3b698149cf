"""Shared fixtures: the workbook's paths, a throwaway PostgreSQL server, and the summary line."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HOME = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pgserver  # noqa: E402

DATABASES = ["sqlite", "postgresql"]


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
def pg_url_lazy(request):
    """Returns None for SQLite and the PostgreSQL URL (starting the server on first use) otherwise."""
    def get(database: str):
        return None if database == "sqlite" else request.getfixturevalue("pg_url")
    return get


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
