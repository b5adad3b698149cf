"""Classic SQL-injection payloads through every way a user's text reaches SQL in the chapters and
tools, on SQLite, PostgreSQL and MariaDB: each is stored as text, matched literally or refused,
never executed.

The ways in: a database name (the helper API and the tools), a jOOQ bind value (`eq`, an insert,
and chapter 3's `containsIgnoreCase`, which must also escape `%` and `_`), an HQL named
parameter, a JDBC `?` parameter (tests/java/InjectionSuite.java drives these in one JVM per
database), `reflect@. --schema`, and the values of the sample's CSV files loaded by
`sample-db@.`. After all of them every table of the sample has the rows it had (the
fingerprint), and `sql@.`, which runs the SQL it is given by design, is not among them."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess

import pytest

from conftest import ALL_DATABASES, HOME, database_env
from support import error_lines, jbang

PAYLOADS = [
    "'", "''", "' OR '1'='1", "' OR 1=1 --", "admin'--", "'; DROP TABLE book; --", '"; DROP TABLE book; --',
    "1; DROP TABLE book", "' UNION SELECT name FROM author --", "' UNION SELECT NULL, NULL --", "%", "_", "%'--",
    "\\", "\\'; DROP TABLE book; -- ", "/*", "*/", "' /* comment */ OR ''='", "1' AND SLEEP(5)--",
    "'; SELECT pg_sleep(5); --", "$$; DROP TABLE book; $$", "' || (SELECT name FROM author LIMIT 1) || '",
    "'); INSERT INTO author (id, name) VALUES (999, 'x'); --", "# comment", "--", ";",
    "' AND 1=(SELECT COUNT(*) FROM sqlite_master) --", "0x27", "CHAR(39)", "\u2019", "\u02bc",
    "'\n; DROP TABLE book; --", "%_%", "[a-z]%", "'" * 99, "Ana\u0000'; DROP TABLE book; --",
    "\"book\"", "`book`", "Robert'); DROP TABLE author;--",
]
NUL = next(i for i, p in enumerate(PAYLOADS) if "\u0000" in p)
ENTRIES = ["name-sqlite", "name-server", "jooq-eq", "jooq-contains", "jooq-insert", "hql", "jdbc"]


def titles() -> list[str]:
    with open(HOME / "data" / "books.csv", newline="", encoding="utf-8") as f:
        return [row["title"] for row in csv.DictReader(f)]


@pytest.fixture(scope="module", params=ALL_DATABASES)
def suite(request, server_url_for, tmp_path_factory):
    database = request.param
    url = server_url_for(database)
    payloads = tmp_path_factory.mktemp(f"injection-{database}") / "payloads.json"
    payloads.write_text(json.dumps(PAYLOADS), encoding="utf-8")
    before = sorted(p.name for p in (HOME / "db").glob("*"))
    run = subprocess.run(["bash", "bin/jbang", "tests/java/InjectionSuite.java", database, str(payloads)], cwd=HOME,
                         env=database_env(database, url), capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    created = sorted(set(p.name for p in (HOME / "db").glob("*")) - set(before) - {"injection.sqlite", "injection.sqlite-wal",
                                                                                  "injection.sqlite-shm"})
    return database, url, lines, created


def by_entry(lines, database) -> dict[str, dict[int, dict]]:
    out: dict[str, dict[int, dict]] = {}
    for line in lines:
        check = line["check"].replace(f"name-{database}", "name-server") if database != "sqlite" else line["check"]
        out.setdefault(check, {})[line.get("payload")] = line
    if database == "sqlite":   # on SQLite both names are sqlite:...: the one entry counts twice
        out["name-server"] = out["name-sqlite"]
    return out


def test_every_payload_goes_through_every_entry_point(suite):
    database, _, lines, _ = suite
    entries = by_entry(lines, database)
    assert len(PAYLOADS) >= 30
    for entry in ENTRIES:
        assert sorted(entries.get(entry, {})) == list(range(len(PAYLOADS))), f"{entry} missed payloads"


def test_database_names_are_refused_and_create_nothing(suite):
    database, _, lines, created = suite
    entries = by_entry(lines, database)
    for entry in ("name-sqlite", "name-server"):
        for i, line in entries[entry].items():
            assert "refused" in line, f"{entry} opened a database for payload {PAYLOADS[i]!r}: {line}"
            assert line["refused"].startswith(("Invalid database name", "No database named")), line
    assert created == [], f"files created under db/: {created}"


def test_bind_values_match_literally(suite):
    database, _, lines, _ = suite
    entries = by_entry(lines, database)
    all_titles = titles()
    for i, payload in enumerate(PAYLOADS):
        if database == "postgresql" and i == NUL:      # PostgreSQL's text cannot hold NUL: refused, and said so
            assert all("0x00" in entries[e][i].get("refused", "") for e in ("jooq-eq", "jooq-contains")), entries["jooq-eq"][i]
            continue
        assert entries["jooq-eq"][i]["count"] == sum(t == payload for t in all_titles), payload
        expected = sorted(t for t in all_titles if payload.lower() in t.lower())
        assert sorted(entries["jooq-contains"][i]["titles"]) == expected, payload


def test_inserted_text_reads_back_unchanged_or_is_refused(suite):
    """Stored as text (read back equal, found once by HQL and JDBC), or refused with the reason:
    PostgreSQL refuses a NUL character in text, and the servers a name longer than varchar(100)."""
    database, _, lines, _ = suite
    entries = by_entry(lines, database)
    refused = {}
    for i, payload in enumerate(PAYLOADS):
        insert = entries["jooq-insert"][i]
        if "refused" in insert:
            refused[i] = insert["refused"]
            continue
        assert insert["read-back"] == payload, f"stored {insert['read-back']!r} for {payload!r}"
        assert entries["hql"][i].get("count") == 1, entries["hql"][i]
        assert entries["jdbc"][i].get("count") == 1, entries["jdbc"][i]
    if database == "postgresql":
        assert all("0x00" in entries[e][NUL].get("refused", "") for e in ("hql", "jdbc")), (entries["hql"][NUL], entries["jdbc"][NUL])
    if database == "postgresql":
        assert set(refused) == {NUL} and "0x00" in refused[NUL], refused
    else:
        assert refused == {}, refused


def test_the_database_keeps_every_table_and_row(suite):
    database, _, lines, _ = suite
    before = next(line for line in lines if line["check"] == "fingerprint-before")["tables"]
    after = next(line for line in lines if line["check"] == "fingerprint-after")["tables"]
    assert {"author", "book", "member", "loan"} <= set(before)
    assert after == before


TOOL_PAYLOADS = ["'; DROP TABLE book; --", "' OR '1'='1", "public' UNION SELECT table_name FROM information_schema.tables --",
                 "x\"; DROP SCHEMA injection CASCADE; --", "%"]


@pytest.mark.parametrize("database", ALL_DATABASES)
def test_reflect_schema_and_tool_names_refuse_payloads(database, server_url_for):
    url = server_url_for(database)
    spec = f"{database}:injection_tools"
    jbang("sample-db@.", spec, server_url=url)
    count = "select count(*) as n from book"
    before = jbang("sql@.", spec, count, server_url=url).stdout
    for payload in TOOL_PAYLOADS:
        run = jbang("reflect@.", spec, "--schema", payload, server_url=url, check_ok=False)
        assert run.returncode == 1, run.stdout
        [line] = error_lines(run)
        assert ("no schema named" in line) if database != "sqlite" else ("SQLite has one schema per file" in line), line
        named = jbang("sql@.", f"{database}:{payload}", "select 1", server_url=url, check_ok=False)
        assert named.returncode != 0
        assert error_lines(named)[0].startswith("error: Invalid database name"), named.stderr[-500:]
    assert jbang("sql@.", spec, count, server_url=url).stdout == before


@pytest.mark.parametrize("database", ALL_DATABASES)
def test_csv_values_load_as_text(database, server_url_for, tmp_path):
    """sample-db@. reads the sample's CSV files: author names that are payloads come back as written."""
    url = server_url_for(database)
    root = tmp_path / "home"
    shutil.copytree(HOME / "data", root / "data")
    (root / "workbook").mkdir()
    (HOME / "db").mkdir(exist_ok=True)
    (root / "db").symlink_to(HOME / "db")
    with open(root / "data" / "authors.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    chosen = [p for p in PAYLOADS if "\u0000" not in p and len(p) <= 100][:len(rows)]
    assert len(chosen) == len(rows) >= 10
    for row, payload in zip(rows, chosen):
        row["name"] = payload
    with open(root / "data" / "authors.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    spec = f"{database}:injection_csv"
    run = subprocess.run(["bash", "bin/jbang", "sample-db@.", spec], cwd=HOME, capture_output=True, text=True,
                         env={**database_env(database, url), "WORKBOOK_HOME": str(root)}, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    names = subprocess.run(["bash", "bin/jbang", "tests/java/InjectionSuite.java", "names", spec], cwd=HOME,
                           env=database_env(database, url), capture_output=True, text=True, timeout=300)
    assert names.returncode == 0, names.stderr[-2000:]
    assert json.loads(names.stdout.strip().splitlines()[-1]) == chosen
