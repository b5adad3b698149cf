"""`jbang perf@.` (tools/Perf.java), the Java twin of SQLAlchemy's performance suite.

Times are never asserted (they are measured, not promised). What is held: every suite runs on
SQLite and PostgreSQL with small numbers, every test stores or reads exactly --num rows (the tool
itself counts the table afterwards and exits 1 otherwise), the statement counts follow from the
batch sizes the tests use, each SQLAlchemy test has a Java twin of the same name (read from
SQLAlchemy's own source distribution), and --compare prints SQLAlchemy's time beside Java's."""
from __future__ import annotations

import csv
import math
import re

import pytest

from conftest import DATABASES, HOME
from support import error_lines, jbang, table_cells

SUITES = ["bulk_inserts", "bulk_updates", "large_resultsets", "short_selects", "single_inserts"]
EXAMPLES = HOME / ".workbook" / "sqlalchemy-examples" / "examples" / "performance"


def perf(*args: str, server_url: str | None = None, check_ok: bool = True):
    extra = ["--dburl", server_url] if server_url else []
    return jbang("perf@.", *args, *extra, check_ok=check_ok)


def listed(suite: str) -> dict[str, str]:
    """{test: kind} from `perf SUITE --list` (kind: twin, java-only, postgresql-only)."""
    run = perf(suite, "--list")
    return {m[1]: m[2] for m in re.finditer(r"^(test_\w+)\s+(twin|java-only|postgresql-only)\s", run.stdout, re.M)}


def table(stdout: str) -> dict[str, dict]:
    """The result table: {test: {seconds, rows, statements}} (plain mode)."""
    out = {}
    for m in re.finditer(r"^\| (test_\w+)\s+\|\s+([0-9.]+) s \|\s+(\d+) \|\s+(\d+) \|$", stdout, re.M):
        out[m[1]] = {"seconds": float(m[2]), "rows": int(m[3]), "statements": int(m[4])}
    return out


def batches(n: int, size: int) -> int:
    return math.ceil(n / size)


NUM = {"bulk_inserts": 1200, "bulk_updates": 1200, "large_resultsets": 1200, "short_selects": 300, "single_inserts": 40}


def expected_statements(suite: str, test: str, n: int, database: str) -> int | None:
    """What each test must send, derived from the batch sizes in tools/perf/*.java (1000 per JDBC batch,
    500 rows per multi-row insert). Identity keys: PostgreSQL returns the key from the INSERT itself
    (RETURNING), while Hibernate's SQLite dialect asks for it with a second statement."""
    per_identity_row = 1 if database == "postgresql" else 2
    table = {
        "bulk_inserts": {"test_flush_no_pk": n * per_identity_row, "test_flush_pk_given": batches(n, 1000),
                         "test_orm_bulk_insert": batches(n, 500), "test_orm_insert_returning": n * per_identity_row,
                         "test_core_insert": 1, "test_dbapi_raw": 1, "test_jooq_multirow_values": batches(n, 500),
                         "test_jooq_loader": batches(n, 1000), "test_jdbc_rewrite_batched": 1, "test_pg_copy": 1,
                         # a batch per 1000 rows, plus a nextval per 1000 keys and one more at the start
                         # (Hibernate's pooled optimizer reads two values before the first insert)
                         "test_flush_sequence": 2 * batches(n, 1000) + 1},
        "bulk_updates": {"test_orm_flush": 2 * batches(n, 1000), "test_core_update_batch": 1, "test_core_one_update": 1},
        "single_inserts": {"test_orm_commit": n * per_identity_row, "test_bulk_save": n * per_identity_row},
    }
    if suite == "large_resultsets":
        return 1
    if suite == "short_selects":
        return n
    if suite == "single_inserts":
        return table[suite].get(test, n)
    return table[suite][test]


@pytest.mark.parametrize("database", DATABASES)
@pytest.mark.parametrize("suite", SUITES)
def test_suite_runs_every_test_with_its_rows_and_statements(suite, database, server_url_for):
    n = NUM[suite]
    run = perf(suite, "--num", str(n), "--runs", "1", "--warmup", "0", server_url=server_url_for(database))
    results = table(run.stdout)
    wanted = {t for t, kind in listed(suite).items() if kind != "postgresql-only" or database == "postgresql"}
    assert set(results) == wanted
    assert re.search(r"^settings: (journal_mode=\w+, synchronous=\w+|fsync=\w+, synchronous_commit=\w+)", run.stdout, re.M)
    for test, result in results.items():
        assert result["rows"] == n, test
        assert result["statements"] == expected_statements(suite, test, n, database), test


def test_bad_input_is_one_clear_line():
    run = perf("bulk_insert", check_ok=False)
    assert run.returncode == 1
    assert error_lines(run) == ["error: Unknown suite 'bulk_insert': use one of bulk_inserts, bulk_updates,"
                                " large_resultsets, short_selects, single_inserts"]
    run = perf("bulk_inserts", "--test", "test_nope", "--num", "10", check_ok=False)
    assert run.returncode == 1
    assert len(error_lines(run)) == 1 and error_lines(run)[0].startswith("error: No test test_nope in bulk_inserts")
    run = perf("short_selects", "--num", "20000", check_ok=False)
    assert run.returncode == 1
    assert len(error_lines(run)) == 1 and "use --num 10999 or less" in error_lines(run)[0]
    run = perf("bulk_inserts", "--dburl", "jdbc:postgres://127.0.0.1/x", check_ok=False)
    assert run.returncode == 1
    assert len(error_lines(run)) == 1 and "jdbc:postgresql://" in error_lines(run)[0]


def compare_table(stdout: str) -> dict[str, tuple]:
    out = {}
    for m in re.finditer(r"^\| (\w+)\s+\|\s+([0-9.]+ s)?\s+\|\s+([0-9.]+ s)?\s+\|\s+([0-9.]+×)?\s+\|\s+(\d+)?\s+\|$", stdout, re.M):
        out[m[1]] = m.groups()[1:]
    return out


@pytest.mark.parametrize("database", DATABASES)
def test_compare_runs_sqlalchemy_beside_java(database, server_url_for, tmp_path):
    n = 400
    out = tmp_path / "bulk.csv"
    run = perf("bulk_inserts", "--num", str(n), "--runs", "1", "--warmup", "0", "--compare", "--csv", str(out),
               server_url=server_url_for(database))
    rows = compare_table(run.stdout)
    kinds = listed("bulk_inserts")
    for test, kind in kinds.items():
        if kind == "postgresql-only" and database == "sqlite":
            assert test not in rows
            continue
        sqlalchemy, java, ratio, statements = rows[test]
        assert java and statements, test
        assert bool(sqlalchemy) == (kind == "twin") and bool(ratio) == (kind == "twin"), test
    floor = "python_sqlite3_executemany" if database == "sqlite" else "psycopg2_copy_from_stdin"
    assert rows[floor][0] and not rows[floor][1]
    with open(out, newline="") as f:
        saved = list(csv.DictReader(f))
    assert [r["test"] for r in saved] == list(rows)
    assert all(r["num"] == str(n) and r["database"] == database for r in saved)


def test_every_sqlalchemy_test_has_a_java_twin():
    # SQLAlchemy's suite is unpacked by the compare test above (tools/perf_compare.py setup);
    # run the setup here too so that this test stands alone.
    import subprocess
    import sys
    subprocess.run([sys.executable, str(HOME / "tools" / "perf_compare.py"), "setup"], check=True, cwd=HOME)
    for suite in SUITES:
        source = (EXAMPLES / f"{suite}.py").read_text()
        theirs = re.findall(r"@Profiler\.profile\s+def (test_\w+)", source)
        ours = [t for t, kind in listed(suite).items() if kind == "twin"]
        assert theirs and ours == theirs, suite


@pytest.mark.parametrize("database", DATABASES)
def test_refuses_a_database_whose_customer_table_it_did_not_create(database, server_url_for, tmp_path):
    """perf drops and recreates `customer` (as SQLAlchemy's suite does): a user's own table of
    that name is refused, one line, and left as it was, rows and columns."""
    server = server_url_for(database)
    if database == "sqlite":
        (tmp_path / "mine.sqlite").touch()    # an empty file is an empty SQLite database
        url = f"jdbc:sqlite:{tmp_path / 'mine.sqlite'}"
    else:
        jbang("reset@.", "postgresql:perf_guard", server_url=server)  # the schema, empty
        url = server + ("&" if "?" in server else "?") + "currentSchema=perf_guard"
    mine = ["create table customer (id integer primary key, name varchar(50), vip varchar(3))",
            "insert into customer values (1, 'Ada', 'yes')"]
    for statement in mine:
        jbang("sql@.", url, statement, server_url=server)
    before = table_cells(jbang("sql@.", url, "select * from customer", server_url=server).stdout)
    run = perf("bulk_inserts", "--num", "10", "--runs", "1", "--warmup", "0", "--dburl", url, check_ok=False)
    assert run.returncode == 1
    lines = error_lines(run)
    assert len(lines) == 1 and "has a table customer that perf@. did not create" in lines[0], run.stderr[-2000:]
    assert table_cells(jbang("sql@.", url, "select * from customer", server_url=server).stdout) == before
    assert "vip" in " ".join(before) and "Ada" in " ".join(before)
