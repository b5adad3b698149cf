"""`jbang writers@.` (tools/Writers.java over workbook/Writers.java): concurrent writers on one database.

Counts are held, times never. On SQLite the workbook's settings (WAL, BEGIN IMMEDIATE,
busy_timeout) must give 0 refused transactions and 0 lost updates for every workload, where
sqlite-jdbc's own defaults refuse read-then-update transactions; on PostgreSQL and MariaDB the
read-then-update workload must lose updates (what READ COMMITTED and REPEATABLE READ allow) and
the locked and atomic ones none. Bad input is refused before any database changes."""
from __future__ import annotations

import hashlib
import re

import pytest

from conftest import HOME
from support import error_lines, jbang

ROW = re.compile(r"^(insert one row|read n, then update n = read \+ 1|read n for update, then update|update n = n \+ 1)"
                 r"\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(-|-?\d+)\s+(\d+)$", re.M)


def tables(stdout: str) -> list[dict[str, dict]]:
    """Each printed table as {workload: {attempted, committed, refused, other, lost}}, in order."""
    out = []
    for block in re.split(r"\n\s*\n", stdout):
        rows = {m[1]: {"attempted": int(m[2]), "committed": int(m[3]), "refused": int(m[4]), "other": int(m[5]),
                       "lost": None if m[6] == "-" else int(m[6])} for m in ROW.finditer(block)}
        if rows:
            out.append(rows)
    return out


def test_sqlite_workbook_defaults_refuse_nothing_where_driver_defaults_refuse():
    run = jbang("writers@.", "sqlite:writers_test", "--threads", "8", "--transactions", "30")
    driver, workbook = tables(run.stdout)
    assert len(workbook) == 4 and len(driver) == 4, run.stdout
    for name, row in workbook.items():
        assert row["attempted"] == 240 and row["committed"] == 240, (name, run.stdout)
        assert row["refused"] == 0 and row["other"] == 0, (name, run.stdout)
        assert row["lost"] in (None, 0), (name, run.stdout)
    assert driver["read n, then update n = read + 1"]["refused"] > 0, run.stdout
    assert "stopped at the time limit" not in run.stdout
    assert not list((HOME / "db").glob("writers_test-plain.sqlite*")), "the comparison file is left behind"


@pytest.mark.parametrize("database", ["postgresql", "mariadb"])
def test_servers_lose_read_then_update_increments_and_nothing_else(database, server_url_for):
    url = server_url_for(database)
    run = jbang("writers@.", f"{database}:writers_test", "--threads", "8", "--transactions", "30", server_url=url)
    [result] = tables(run.stdout)
    assert result["read n, then update n = read + 1"]["lost"] > 0, run.stdout
    for name in ("read n for update, then update", "update n = n + 1"):
        assert result[name]["lost"] == 0 and result[name]["other"] == 0, (name, run.stdout)
        assert result[name]["committed"] + result[name]["refused"] == 240, (name, run.stdout)
    assert result["insert one row"]["committed"] == 240, run.stdout
    assert "isolation level" in run.stdout


def test_a_database_with_tables_of_its_own_is_refused_and_kept():
    jbang("sample-db@.", "sqlite:writers_guarded")
    file = HOME / "db" / "writers_guarded.sqlite"
    before = hashlib.sha256(file.read_bytes()).hexdigest()
    run = jbang("writers@.", "sqlite:writers_guarded", "--transactions", "1", check_ok=False)
    assert run.returncode != 0
    [line] = error_lines(run)
    assert "has tables writers@. did not create (author, book, loan, member)" in line, line
    assert "sqlite:writers" in line
    assert hashlib.sha256(file.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("args,words", [
    (["jdbc:sqlite:db/writers_url.sqlite"], ["not a URL", "sqlite:writers"]),
    (["--threads", "0"], ["--threads must be 1 to 64, not 0"]),
    (["--transactions", "-5"], ["--transactions must be 1 to 100000"]),
    (["sqlite:Writers"], ["Invalid database name 'Writers'"]),
])
def test_bad_input_is_one_error_line(args, words):
    run = jbang("writers@.", *args, check_ok=False)
    assert run.returncode != 0
    [line] = error_lines(run)
    for word in words:
        assert word in line, line
    assert "Exception" not in run.stderr
    assert not (HOME / "db" / "writers_url.sqlite").exists()
