"""The helper API (workbook/*.java), on SQLite, PostgreSQL and MariaDB: sample data, echo,
statement counts, and a one-line error that names the fix for each kind of bad input."""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess

import pytest

from conftest import ALL_DATABASES, HOME, database_env

DATA = HOME / "data"


def csv_rows(name: str) -> int:
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.DictReader(f))


@pytest.fixture(scope="module", params=ALL_DATABASES)
def checks(request, tmp_path_factory, server_url_for):
    """Runs tests/java/HelperChecks.java once per database and returns its reports by name."""
    database = request.param
    url = server_url_for(database)
    scratch = tmp_path_factory.mktemp(f"helper-{database}")
    # A data folder missing books.csv, and one whose books.csv has a bad price on line 5.
    for broken in ("missing-file", "bad-row"):
        (scratch / broken / "data").mkdir(parents=True)
        for name in ("authors.csv", "books.csv", "members.csv", "loans.csv"):
            shutil.copy(DATA / name, scratch / broken / "data" / name)
    (scratch / "missing-file" / "data" / "books.csv").unlink()
    lines = (DATA / "books.csv").read_text(encoding="utf-8").splitlines()
    fields = lines[4].split(",")
    fields[5] = "twelve"                      # price must be a number
    lines[4] = ",".join(fields)
    (scratch / "bad-row" / "data" / "books.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    env = database_env(database, url)
    run = subprocess.run(["bash", "bin/jbang", "tests/java/HelperChecks.java", database, str(scratch)],
                         cwd=HOME, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    reports = {}
    for line in run.stdout.splitlines():
        if line.startswith("{"):
            report = json.loads(line)
            reports[report["check"]] = report
    return database, reports


# (check, words the one-line message must contain: what went wrong and the fix it names)
BAD_INPUT = [
    ("unknown-database", ["Unknown database 'mysql'", "sqlite:NAME", "postgresql:NAME", "mariadb:NAME"]),
    ("invalid-name", ["Invalid database name 'Chapter 3'", "lowercase"]),
    ("empty-spec", ["No database named", "ch03"]),
    ("misspelt-jdbc-url", ["jdbc:postgres://", "did you mean jdbc:postgresql://"]),
    ("url-without-jdbc", ["Not a JDBC URL", "start with jdbc:"]),
    ("unknown-driver", ["No JDBC driver accepts", "add the database's driver"]),
    ("server-not-running", ["Cannot reach PostgreSQL at 127.0.0.1:1", "start the server", "fix the host and port in the URL"]),
    ("fresh-on-url", ["fresh() empties only the workbook's own databases"]),
    # a URL given in the code: the fix is in the URL, not in WORKBOOK_MARIADB_URL
    ("mariadb-not-running", ["Cannot reach MariaDB at 127.0.0.1:1", "start the server", "fix the host and port in the URL"]),
    ("mysql-url", ["jdbc:mysql://", "write jdbc:mariadb://"]),
    ("load-missing-file", ["data/books.csv not found", "WORKBOOK_HOME"]),
    ("load-bad-row", ["data/books.csv line 5, column price: 'twelve' is not a number"]),
]


# Checks that need a live MariaDB server: run where the database under test is MariaDB.
MARIADB_BAD_INPUT = [
    ("mariadb-wrong-password", ["MariaDB at 127.0.0.1:", "refused the login", "check user and password"]),
    ("mariadb-unknown-database", ["MariaDB at 127.0.0.1:", "has no such database", "create database"]),
]


@pytest.mark.parametrize("check,words", BAD_INPUT + MARIADB_BAD_INPUT, ids=[c for c, _ in BAD_INPUT + MARIADB_BAD_INPUT])
def test_bad_input_gets_one_clear_line(checks, check, words):
    database, reports = checks
    if (check, words) in MARIADB_BAD_INPUT and database != "mariadb":
        pytest.skip("needs the MariaDB server")
    message = reports[check]["error"]
    assert message is not None, f"{check}: no error was raised"
    assert not message.startswith("UNEXPECTED"), message
    assert "\n" not in message, f"not one line: {message!r}"
    for word in words:
        assert word in message, f"{check}: {word!r} missing from {message!r}"


@pytest.mark.parametrize("broken", ["missing-file", "bad-row"])
def test_failed_load_leaves_no_half_written_database(checks, broken):
    _, reports = checks
    assert reports[f"after-{broken}"]["result"]["tables"] == []


def test_rebuilt_replaces_the_old_database_only_when_the_load_succeeds(checks):
    """Workbook.rebuilt (behind `sample-db@.`) builds beside the old database and swaps it in: a
    fill that fails after it began (here: loads, deletes the loans, throws) changes nothing."""
    _, reports = checks
    result = reports["rebuilt"]["result"]
    assert result["loans-after-success"] == csv_rows("loans.csv")
    assert result["error"] == "stopped on purpose"
    assert result["loans-after-failure"] == csv_rows("loans.csv")
    assert result["staging-left"] is False


def test_sample_data_matches_the_csv_files(checks):
    database, reports = checks
    result = reports["sample-counts"]["result"]
    for table in ("author", "book", "member", "loan"):
        assert result[table] == csv_rows(f"{table}s.csv"), table
    assert result["spec"] == f"{database}:checks"
    assert result["dialect"] == {"sqlite": "SQLite", "postgresql": "Postgres", "mariadb": "MariaDB"}[database]


def test_statement_count_and_echo(checks):
    _, reports = checks
    result = reports["count-and-echo"]["result"]
    assert result["silent"] == {"value": 1, "printed": ""}
    assert result["echoed"]["value"] == 2
    assert result["echoed"]["printed"].splitlines() == [
        "SQL> select name from author where id = ?",
        "     params: [2]",
        "SQL> select title from book where author_id = ? and in_print = ?",
        "     params: [2, true]",
    ]


def test_fresh_gives_an_empty_database(checks):
    _, reports = checks
    assert reports["fresh-empties"]["result"]["tables"] == 0


def test_session_factory_takes_settings(checks):
    # hibernate.jdbc.batch_size 10 for 25 entities with given keys: 3 batches, each one statement;
    # the settings must not replace the counted DataSource (the count would be 0 then).
    _, reports = checks
    assert reports["session-factory-settings"]["result"] == {"statements": 3, "inserts": 25, "rows": 25}
