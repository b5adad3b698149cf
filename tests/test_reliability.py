"""The tools under bad input, in one table: each case is a command a user could type, and each must
end with one line `error: ...` on stderr that names the fix, a non-zero exit, and the workbook's
SQLite databases byte for byte as before (no file created, none changed).

Other modules hold more bad input where it belongs (tests/test_helper.py for the helper API,
tests/test_migrate.py, tests/test_perf.py, tests/test_catalog.py for loads, reset and sql -f);
this one collects the command-line cases, connection strings above all, on a real PostgreSQL and
MariaDB where the case needs a server that answers."""
from __future__ import annotations

import hashlib
import subprocess

import pytest

from conftest import HOME, database_env
from support import jbang

DB_FOLDER = HOME / "db"


def snapshot() -> dict[str, str]:
    """The workbook's SQLite files: name -> SHA-256 of the bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(DB_FOLDER.glob("*.sqlite"))}


@pytest.fixture(scope="module")
def places(tmp_path_factory):
    """What the cases refer to: a loaded sample database, a file that is not a database, a SQL file."""
    jbang("sample-db@.", "sqlite:reliability")
    scratch = tmp_path_factory.mktemp("reliability")
    corrupt = scratch / "corrupt.sqlite"
    corrupt.write_bytes(bytes(range(256)) * 20)
    failing = scratch / "late-failure.sql"
    failing.write_text("delete from loan;\ninsert into author (id, name) values (1, 'again');\n", encoding="utf-8")
    return {"corrupt": str(corrupt), "failing": str(failing)}


# (id, command with {placeholders}, where the server URL comes from (None, "pg" or "mariadb"),
#  words the error line must contain)
CASES = [
    ("misspelt-name", ["sql@.", "sqlite:reliabilty", "select 1"], None, ["no SQLite database named sqlite:reliabilty", "check the name"]),
    ("reflect-misspelt-name", ["reflect@.", "sqlite:reliabilty"], None, ["no SQLite database named", "jbang sample-db@."]),
    ("invalid-name", ["sql@.", "sqlite:Reliability", "select 1"], None, ["Invalid database name 'Reliability'", "lowercase"]),
    ("unknown-engine", ["sql@.", "oracle:reliability", "select 1"], None, ["Unknown database 'oracle'", "sqlite:NAME"]),
    ("mysql-url", ["sql@.", "jdbc:mysql://127.0.0.1:3306/shop", "select 1"], None, ["write jdbc:mariadb://"]),
    ("postgres-typo", ["sql@.", "jdbc:postgres://127.0.0.1/shop", "select 1"], None, ["did you mean jdbc:postgresql://"]),
    ("not-jdbc", ["sql@.", "postgresql://127.0.0.1/shop", "select 1"], None, ["Not a JDBC URL", "start with jdbc:"]),
    ("in-memory", ["sql@.", "jdbc:sqlite::memory:", "select 1"], None, ["in-memory SQLite database is empty", "give a file"]),
    ("missing-file", ["sql@.", "jdbc:sqlite:{corrupt}.missing", "select 1"], None, ["no SQLite database file", "check the path"]),
    ("not-a-database", ["sql@.", "jdbc:sqlite:{corrupt}", "select 1"], None, ["is not a SQLite database", "check the path"]),
    ("reflect-not-a-database", ["reflect@.", "jdbc:sqlite:{corrupt}"], None, ["is not a SQLite database"]),
    ("migrate-not-a-database", ["migrate@.", "jdbc:sqlite:{corrupt}", "status"], None, ["is not a SQLite database"]),
    ("unique-violation", ["sql@.", "sqlite:reliability", "insert into author (id, name) values (1, 'again')"], None, ["UNIQUE", "author.id"]),
    ("no-such-table", ["sql@.", "sqlite:reliability", "select * from authors"], None, ["no such table: authors"]),
    ("syntax-error", ["sql@.", "sqlite:reliability", "selec 1"], None, ["syntax error"]),
    ("sql-file-fails-late", ["sql@.", "sqlite:reliability", "-f", "{failing}"], None, ["UNIQUE"]),
    ("sql-file-missing", ["sql@.", "sqlite:reliability", "-f", "{failing}.missing"], None, ["late-failure.sql.missing"]),
    ("reset-bad-second-name", ["reset@.", "sqlite:reliability", "BAD NAME"], None, ["Invalid database name 'BAD NAME'"]),
    ("migrate-unknown-command", ["migrate@.", "sqlite:reliability", "upgrade"], None, ["unknown command 'upgrade'"]),
    ("migrate-bad-count", ["migrate@.", "sqlite:reliability", "rollback-count", "two"], None, ["positive whole number, not 'two'"]),
    ("perf-unknown-suite", ["perf@.", "bulk_insert"], None, ["Unknown suite 'bulk_insert'", "bulk_inserts"]),
    ("port-out-of-range", ["sql@.", "jdbc:postgresql://127.0.0.1:99999/workbook", "select 1"], None, ["Port '99999'", "1 to 65535"]),
    ("mariadb-port-out-of-range", ["sql@.", "jdbc:mariadb://127.0.0.1:0/workbook", "select 1"], None, ["Port '0'", "1 to 65535"]),
    ("user-in-authority", ["sql@.", "jdbc:postgresql://postgres:secret@127.0.0.1:5432/workbook", "select 1"], None,
     ["takes no user:password@", "?user=NAME&password=SECRET", "postgres:***@"]),
    ("unknown-host", ["sql@.", "jdbc:postgresql://no-such-host.invalid:5432/workbook", "select 1"], None, ["Unknown host 'no-such-host.invalid'"]),
    ("url-not-running", ["sql@.", "jdbc:postgresql://127.0.0.1:1/workbook", "select 1"], None,
     ["Cannot reach PostgreSQL at 127.0.0.1:1", "fix the host and port in the URL"]),
    ("env-not-running", ["sql@.", "postgresql:reliability", "select 1"], "jdbc:postgresql://127.0.0.1:1/workbook?user=postgres",
     ["Cannot reach PostgreSQL at 127.0.0.1:1", "point WORKBOOK_PG_URL at one that runs"]),
    ("bad-sslmode", ["sql@.", "{pg}&sslmode=bogus", "select 1"], "pg", ["Bad sslmode", "verify-full"]),
    ("ssl-without-tls", ["sql@.", "{pg}&ssl=true", "select 1"], "pg", ["does not offer TLS", "drop ssl=true"]),
    ("wrong-password", ["sql@.", "{pg}&password=wrong&user=nobody", "select 1"], "pg", ["refused the login", "check user and password"]),
    ("mariadb-bad-sslmode", ["sql@.", "{mariadb}&sslMode=bogus", "select 1"], "mariadb", ["Bad sslmode", "verify-full"]),
    ("mariadb-ssl-without-tls", ["sql@.", "{mariadb}&sslMode=verify-full", "select 1"], "mariadb", ["does not offer TLS", "sslMode"]),
]


@pytest.mark.parametrize("name,command,server,words", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_and_changes_nothing(places, request, name, command, server, words):
    values = dict(places)
    env_url = None
    if server in ("pg", "mariadb"):
        values[server] = request.getfixturevalue({"pg": "pg_url", "mariadb": "mariadb_url"}[server])
    elif server is not None:
        env_url = server
    args = [part.format(**values) for part in command]
    before = snapshot()
    env = database_env("postgresql" if env_url else "sqlite", env_url)
    run = subprocess.run(["bash", "bin/jbang", *args], cwd=HOME, env=env, capture_output=True, text=True, timeout=300)
    own = [line for line in run.stderr.splitlines() if line.strip() and not line.startswith("[jbang]")]
    assert run.returncode != 0, f"{name}: exit 0\n{run.stdout[-2000:]}"
    assert len(own) == 1 and own[0].startswith("error: "), f"{name}: not one error line:\n{run.stderr[-3000:]}"
    for word in words:
        assert word in own[0], f"{name}: {word!r} missing from {own[0]!r}"
    for secret in ("postgres:secret@", "password=wrong"):            # the passwords the cases type
        assert secret not in own[0], f"{name}: a password was printed: {own[0]!r}"
    assert snapshot() == before, f"{name}: the workbook's SQLite files changed"
