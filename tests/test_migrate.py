"""tools/Migrate.java (the catalog's `migrate`): Liquibase's update, status, rollback and
update-sql on SQLite and PostgreSQL, with rows in the tables, and one clear line on bad input.

Expected changesets are read from the changelog files themselves (the master's includes, in order),
never typed here."""
from __future__ import annotations

import re

import pytest
import yaml

from conftest import ALL_DATABASES, DATABASES, HOME
from support import error_lines, jbang, table_cells

BOOKSHOP = HOME / "migrations" / "bookshop"
TOOL = "migrate@."   # the catalog alias (tools/Migrate.java)
AUTHORS = [(1, "Jane Austen", 1775, "United Kingdom"), (2, "Leo Tolstoy", 1828, "Russia"),
           (3, "Herman Melville", 1819, "United States"), (4, "Anton Chekhov", 1860, "Russia")]
BOOKS = [(1, "Emma", 1, 1815), (2, "War and Peace", 2, 1869), (3, "Moby-Dick", 3, 1851)]


def changesets() -> list[dict]:
    """Each changeset of the bookshop changelog as {id, tag}, in the order the master includes them."""
    out = []
    master = yaml.safe_load((BOOKSHOP / "changelog.yaml").read_text())
    for entry in master["databaseChangeLog"]:
        path = BOOKSHOP / entry["include"]["file"]
        if path.suffix == ".sql":
            out += [{"id": i, "tag": None} for i in re.findall(r"^--changeset [^:\s]+:(\S+)", path.read_text(), re.M)]
        else:
            for item in yaml.safe_load(path.read_text())["databaseChangeLog"]:
                if "changeSet" in item:
                    cs = item["changeSet"]
                    tags = [c["tagDatabase"]["tag"] for c in cs.get("changes", []) if "tagDatabase" in c]
                    out.append({"id": cs["id"], "tag": tags[0] if tags else None})
    return out


IDS = [cs["id"] for cs in changesets()]


def before_tag(tag: str) -> list[str]:
    """What is left after `rollback TAG`: the changesets before the one that set the tag (that one goes too)."""
    position = next(i for i, cs in enumerate(changesets()) if cs["tag"] == tag)
    return IDS[:position]


def migrate(database: str, *args: str, url: str | None, ok: bool = True):
    return jbang(TOOL, database, *args, server_url=url, check_ok=ok)


def applied(run) -> list[str]:
    lines = run.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("applied changesets ("))
    return [line.strip() for line in lines[start + 1:] if line.startswith("  ")]


def pending(run) -> list[str]:
    return [line.split()[0] for line in run.stdout.splitlines()[1:] if line.startswith("  ")]


def sql(database: str, statement: str, url: str | None) -> list[str]:
    return table_cells(jbang("tools/Sql.java", database, statement, server_url=url).stdout)


def fresh(database: str, url: str | None) -> None:
    jbang("tools/Reset.java", database, server_url=url)


def test_changelog_has_changesets_and_tags():
    assert len(IDS) == len(set(IDS)) >= 5
    assert [cs["tag"] for cs in changesets() if cs["tag"]] == ["v1", "v2"]


# Not MariaDB: the way down to v1 crosses revision 3, whose hand-written rollback
# `DROP INDEX ix_book_title` is SQLite and PostgreSQL syntax (MariaDB wants `... ON book`);
# the MariaDB test below rolls back revision 5, which all three run.
@pytest.mark.parametrize("database", DATABASES)
def test_update_rollback_update_keeps_rows(database, server_url_for):
    url = server_url_for(database)
    spec = f"{database}:ch09_migrate_test"
    fresh(spec, url)
    assert pending(migrate(spec, "status", url=url)) == IDS

    run = migrate(spec, "update", url=url)
    assert applied(run) == IDS and f"ran {len(IDS)} changeset(s)" in run.stdout

    # Down to v1 (the first schema), write rows there, then go up again.
    assert applied(migrate(spec, "rollback", "v1", url=url)) == before_tag("v1")
    values = ", ".join(f"({i}, '{n}', {b}, '{c}')" for i, n, b, c in AUTHORS)
    sql(spec, f"insert into author (id, name, born, country) values {values}", url)
    values = ", ".join(f"({i}, '{t}', {a}, {p}, 10.00)" for i, t, a, p in BOOKS)
    sql(spec, f"insert into book (id, title, author_id, published, price) values {values}", url)

    assert applied(migrate(spec, "update", url=url)) == IDS
    # After the split, every author's country is reached through the new country table.
    countries = sql(spec, "select c.name as country from author a join country c on c.id = a.country_id order by a.id", url)
    assert countries == ["country", *[c for *_, c in AUTHORS]]
    assert sql(spec, "select count(distinct name) as n from country", url) == ["n", str(len({c for *_, c in AUTHORS}))]
    titles = sql(spec, "select title from book order by id", url)
    assert titles == ["title", *[t for _, t, *_ in BOOKS]]

    # One step down: the country names come back into author.country.
    assert applied(migrate(spec, "rollback-count", "1", url=url)) == IDS[:-1]
    assert sql(spec, "select country from author order by id", url) == ["country", *[c for *_, c in AUTHORS]]

    # And up again: the same rows, the same years (renamed column), nothing pending.
    assert applied(migrate(spec, "update", url=url)) == IDS
    assert sql(spec, "select first_published from book order by id", url) == ["first_published", *[str(p) for *_, p in BOOKS]]
    assert migrate(spec, "status", url=url).stdout.startswith("0 changeset(s) pending")


def test_on_mariadb_the_country_split_goes_down_and_up_with_its_rows(server_url_for):
    url = server_url_for("mariadb")
    spec = "mariadb:ch09_migrate_test"
    fresh(spec, url)
    # Up, then down before the split (revision 5) to write rows with a country column, then up again.
    run = migrate(spec, "update", url=url)
    assert applied(run) == IDS
    split = [i for i in IDS if i.startswith("5-")]
    assert applied(migrate(spec, "rollback-count", str(len(split)), url=url)) == IDS[:-len(split)]
    sql(spec, "insert into author (id, name, born, country) values "
        + ", ".join(f"({i}, '{n}', {b}, '{c}')" for i, n, b, c in AUTHORS), url)
    assert applied(migrate(spec, "update", url=url)) == IDS
    countries = sql(spec, "select c.name as country from author a join country c on c.id = a.country_id order by a.id", url)
    assert countries == ["country", *[c for *_, c in AUTHORS]]
    assert applied(migrate(spec, "rollback-count", "1", url=url)) == IDS[:-1]
    assert sql(spec, "select country from author order by id", url) == ["country", *[c for *_, c in AUTHORS]]


@pytest.mark.parametrize("database", ALL_DATABASES)
def test_status_lists_what_a_rollback_made_pending(database, server_url_for):
    url = server_url_for(database)
    spec = f"{database}:ch09_migrate_test"
    fresh(spec, url)
    migrate(spec, "update", url=url)
    run = migrate(spec, "rollback-count", "3", url=url)
    assert applied(run) == IDS[:-3] and "rolled back 3 changeset(s)" in run.stdout
    status = migrate(spec, "status", url=url)
    assert status.stdout.startswith("3 changeset(s) pending:")
    assert pending(status) == IDS[-3:]


@pytest.mark.parametrize("database", ALL_DATABASES)
def test_update_sql_changes_nothing(database, server_url_for):
    url = server_url_for(database)
    spec = f"{database}:ch09_migrate_test"
    fresh(spec, url)
    run = migrate(spec, "update-sql", "3", url=url)
    previewed = re.findall(r"^--\s+Changeset [^:]+::([^:]+)::", run.stdout, re.M)
    assert previewed == IDS[:3]
    assert re.search(r"CREATE TABLE \S*author", run.stdout) and re.search(r"CREATE TABLE \S*book", run.stdout)
    full = migrate(spec, "update-sql", url=url)
    assert re.findall(r"^--\s+Changeset [^:]+::([^:]+)::", full.stdout, re.M) == IDS
    # Nothing was applied: everything is still pending, and the tables do not exist.
    assert pending(migrate(spec, "status", url=url)) == IDS
    missing = jbang("tools/Sql.java", spec, "select count(*) from author", server_url=url, check_ok=False)
    assert missing.returncode == 1 and re.search("no such table|does not exist|doesn.t exist", error_lines(missing)[0])


@pytest.mark.parametrize("args, message", [
    (["sqlite:ch09_migrate_bad", "frob"], "error: unknown command 'frob'"),
    (["sqlite:ch09_migrate_bad", "rollback-count"], "error: rollback-count needs a count N"),
    (["sqlite:ch09_migrate_bad", "rollback-count", "two"], "error: rollback-count needs a positive whole number, not 'two'"),
    (["sqlite:ch09_migrate_bad", "status", "extra"], "error: status takes no argument"),
    (["sqlite:ch09_migrate_bad", "release-locks", "now"], "error: release-locks takes no argument"),
    (["sqlite:ch09_migrate_bad", "update", "--lock-wait", "-1"], "error: --lock-wait takes 0 to 3600 seconds, not -1"),
    (["sqlite:ch09_migrate_bad", "update", "--changelog", "migrations/nope.yaml"], "error: changelog file not found: migrations/nope.yaml"),
    (["sqlite:ch09_migrate_bad", "rollback", "no-such-tag"], "error: rollback failed: Could not find tag 'no-such-tag'"),
    (["jdbc:postgresql://127.0.0.1:1/nowhere", "status"], "error: Cannot reach PostgreSQL at 127.0.0.1:1"),
    (["Bad Name", "status"], "error: Invalid database name"),
])
def test_bad_input_is_one_clear_line(args, message):
    run = jbang(TOOL, *args, check_ok=False)
    assert run.returncode == 1
    lines = error_lines(run)
    assert len(lines) == 1 and lines[0].startswith(message), run.stderr[-2000:]


def test_help_shows_commands_and_examples():
    run = jbang(TOOL, "--help")
    for word in ("update", "status", "rollback-count", "update-sql", "release-locks", "--lock-wait", "Examples:"):
        assert word in run.stdout


SLEEP = {"postgresql": "select pg_sleep(60)", "mariadb": "select sleep(60)"}


@pytest.mark.parametrize("database", ["postgresql", "mariadb"])
def test_a_killed_migration_leaves_a_lock_that_status_shows_and_release_locks_clears(database, server_url_for, tmp_path):
    """kill -9 during an update: the database keeps what was committed, the changelog lock stays
    held; status names it, update waits --lock-wait seconds and fails naming release-locks, and
    release-locks clears it (Liquibase alone would wait five minutes on every later update)."""
    import os
    import signal
    import subprocess
    import time
    from conftest import database_env
    url = server_url_for(database)
    spec = f"{database}:ch09_killed"
    changelog = tmp_path / "slow.yaml"
    changelog.write_text(yaml.safe_dump({"databaseChangeLog": [
        {"changeSet": {"id": "1-create", "author": "test", "changes": [{"createTable": {
            "tableName": "t", "columns": [{"column": {"name": "id", "type": "int"}}]}}]}},
        {"changeSet": {"id": "2-slow", "author": "test", "changes": [{"sql": {"sql": SLEEP[database]}}]}},
    ]}))
    jbang("reset@.", spec, server_url=url)
    update = subprocess.Popen(["bash", "bin/jbang", TOOL, spec, "update", "--changelog", str(changelog)], cwd=HOME,
                              env=database_env(database, url), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              start_new_session=True)
    try:
        deadline = time.time() + 120
        while True:   # until the slow changeset runs: the lock is held and the first changeset is in
            status = migrate(spec, "status", "--changelog", str(changelog), url=url)
            if "held by" in status.stdout and pending(status) == ["2-slow"]:
                break
            assert update.poll() is None and time.time() < deadline, status.stdout + update.stderr.read().decode()[-2000:]
            time.sleep(1)
    finally:
        os.killpg(update.pid, signal.SIGKILL)
        update.wait()
    status = migrate(spec, "status", "--changelog", str(changelog), url=url)
    assert pending(status) == ["2-slow"]
    assert re.search(r"^changelog lock: held by .+ since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(if no migration is running, "
                     r"clear it with release-locks\)$", status.stdout, re.M), status.stdout
    started = time.time()
    blocked = migrate(spec, "update", "--changelog", str(changelog), "--lock-wait", "2", url=url, ok=False)
    assert blocked.returncode == 1 and time.time() - started < 60
    lines = error_lines(blocked)
    assert len(lines) == 1 and lines[0].startswith("error: the changelog lock is still held by ")
    assert lines[0].endswith(f"if none is running, run: jbang migrate@. {spec} release-locks")
    released = migrate(spec, "release-locks", url=url)
    assert released.stdout.startswith("changelog lock: released (it was held by ")
    assert migrate(spec, "release-locks", url=url).stdout.strip() == "changelog lock: was free, nothing to release"
    after = migrate(spec, "status", "--changelog", str(changelog), url=url)
    assert after.stdout.splitlines()[-1] == "changelog lock: free" and pending(after) == ["2-slow"]


@pytest.mark.parametrize("changelog, words", [
    ("databaseChangeLog:\n  - changeSet:\n      id: x\n     author: me\n", "line 4, column 6"),
    ("databaseChangeLog:\n  - changeSet:\n      id: x\n      author: me\n      changes:\n        - createTable:\n"
     "            columns:\n              - column: {name: id, type: int}\n", "tableName is required for createTable"),
])
def test_a_bad_changelog_says_where(changelog, words, tmp_path):
    """Liquibase puts where on the lines after its first ("while parsing a block mapping", "Validation
    Failed:"): the one error line keeps them."""
    path = tmp_path / "bad.yaml"
    path.write_text(changelog)
    jbang("reset@.", "sqlite:ch09_migrate_where")
    run = migrate("sqlite:ch09_migrate_where", "update", "--changelog", str(path), url=None, ok=False)
    assert run.returncode == 1
    lines = error_lines(run)
    assert len(lines) == 1 and words in lines[0], run.stderr[-2000:]


def test_status_before_the_first_update_creates_nothing():
    """Every changeset is pending, read from the changelog: status writes nothing (no Liquibase
    tables), so it can run beside an update, or on a database the user may only read."""
    jbang("reset@.", "sqlite:ch09_status_first")
    assert pending(migrate("sqlite:ch09_status_first", "status", url=None)) == IDS
    tables = jbang("sql@.", "sqlite:ch09_status_first", "select count(*) as n from sqlite_master where type = 'table'")
    assert table_cells(tables.stdout) == ["n", "0"]


def test_status_on_a_read_only_database_reads_and_writes_nothing(server_url_for):
    """status through a PostgreSQL role that may only read (a reporting user), on a changelog table
    without checksums: it lists what is pending from DATABASECHANGELOG with plain queries
    (Liquibase's own listing first writes the missing checksums, which a read-only role may not)."""
    url = server_url_for("postgresql")
    spec = "postgresql:ch09_readonly"
    fresh(spec, url)
    migrate(spec, "update", url=url)
    migrate(spec, "rollback-count", "2", url=url)
    # As an older Liquibase (or clear-checksums) leaves them: Liquibase's own listing would write them back.
    jbang("tools/Sql.java", spec, "update databasechangelog set md5sum = null", server_url=url)
    for statement in ["do $$ begin if not exists (select from pg_roles where rolname = 'workbook_reader') then "
                      "create role workbook_reader login; end if; end $$",
                      "grant usage on schema ch09_readonly to workbook_reader",
                      "grant select on all tables in schema ch09_readonly to workbook_reader"]:
        jbang("tools/Sql.java", spec, statement, server_url=url)
    base = url.split("?")[0]
    reader = f"{base}?user=workbook_reader&currentSchema=ch09_readonly"
    refused = jbang("tools/Sql.java", reader, "delete from databasechangelog", check_ok=False)
    assert refused.returncode == 1 and "permission denied" in refused.stderr, "the role can write: the test proves nothing"
    status = jbang(TOOL, reader, "status")
    assert pending(status) == IDS[-2:], status.stdout
    assert status.stdout.splitlines()[-1] == "changelog lock: free"
