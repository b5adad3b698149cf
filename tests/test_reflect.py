"""`jbang reflect@.` (tools/Reflect.java) prints any database's schema: checked on SQLite and PostgreSQL
against the sample database as data/README.md and the CSV headers document it, against a Chinook-like
schema created here, and with bad input (one `error: ...` line, exit status 1)."""
from __future__ import annotations

import csv
import re

import pytest

from conftest import DATABASES, HOME
from support import error_lines, jbang

TOOL = "reflect@."   # the catalog alias (tools/Reflect.java)


def reflect(*args: str, server_url: str | None = None, check_ok: bool = True):
    return jbang(TOOL, *args, server_url=server_url, check_ok=check_ok)


def parse_listing(text: str) -> dict[str, dict]:
    """The text listing as {table: {kind, columns [(name, type, nullable)], pk, fks, unique, indexes}}."""
    tables: dict[str, dict] = {}
    current = None
    for line in text.splitlines():
        if m := re.fullmatch(r"(TABLE|VIEW) (\S+)", line):
            current = tables[m[2]] = {"kind": m[1], "columns": [], "pk": None, "fks": set(), "unique": [], "indexes": []}
        elif current is None or not line.strip() or line == "  columns:":
            continue
        elif m := re.fullmatch(r"    (\S+)\s+(.+?)\s+(null|not null)", line):
            current["columns"].append((m[1], m[2], m[3] == "null"))
        elif m := re.fullmatch(r"  primary key: \S+ \((.*)\)", line):
            current["pk"] = m[1].split(", ")
        elif m := re.fullmatch(r"  foreign key: \S+ \((.*)\) -> (\S+) \((.*)\)", line):
            current["fks"].add((m[1], m[2], m[3]))
        elif m := re.fullmatch(r"  unique: \S+ \((.*)\)", line):
            current["unique"].append(m[1].split(", "))
        elif m := re.fullmatch(r"  index: (\S+) \((.*)\)( unique)?", line):
            current["indexes"].append((m[1], m[2].split(", "), bool(m[3])))
        else:
            raise AssertionError(f"unexpected line in the listing: {line!r}")
    return tables


def documented_sample() -> dict[str, dict]:
    """What data/README.md documents: per table its CSV file's header (the columns, in order), and from
    the README's column tables the foreign keys, the not-null columns and the unique ones."""
    readme = (HOME / "data" / "README.md").read_text()
    tables = {}
    for csv_name, table, body in re.findall(r"^## `(\w+\.csv)`: table `(\w+)`.*?\n(.*?)(?=^## |\Z)", readme, re.M | re.S):
        with open(HOME / "data" / csv_name, newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        info = {"columns": header, "fks": set(), "not_null": set(), "unique": set(), "pk": []}
        for column, kind in re.findall(r"^\| `(\w+)` \| ([^|]+) \|", body, re.M):
            if "primary key" in kind:
                info["pk"].append(column)
            if "not null" in kind or "primary key" in kind:
                info["not_null"].add(column)
            if "unique" in kind:
                info["unique"].add(column)
            if m := re.search(r"references `(\w+)\.(\w+)`", kind):
                info["fks"].add((column, m[1], m[2]))
        tables[table] = info
    assert set(tables) == {"author", "book", "member", "loan"}, "data/README.md changed its headings"
    return tables


@pytest.fixture(scope="module")
def sample_databases():
    return {}


def sample_db(database: str, url: str | None, cache: dict) -> str:
    name = f"{database}:ch08_reflect_sample"
    if name not in cache:
        jbang("tools/SampleDb.java", name, server_url=url)
        cache[name] = True
    return name


@pytest.mark.parametrize("database", DATABASES)
def test_reflects_the_sample_as_documented(database, server_url_for, sample_databases):
    url = server_url_for(database)
    run = reflect(sample_db(database, url, sample_databases), server_url=url)
    documented = documented_sample()
    tables = parse_listing(run.stdout)
    assert run.stdout.splitlines()[0] == f"{database}:ch08_reflect_sample: 4 tables, 0 views"
    assert set(tables) == set(documented)
    for name, doc in documented.items():
        got = tables[name]
        assert got["kind"] == "TABLE"
        assert [c[0] for c in got["columns"]] == doc["columns"], name
        assert got["pk"] == doc["pk"], name
        assert {(c, p, pc) for c, p, pc in got["fks"]} == doc["fks"], name
        assert {u[0] for u in got["unique"]} == doc["unique"], name
        not_null = {c for c, _, nullable in got["columns"] if not nullable}
        # SQLite's driver reports an INTEGER PRIMARY KEY (the rowid) as nullable: compare the other columns.
        assert not_null - set(doc["pk"]) == doc["not_null"] - set(doc["pk"]), name


@pytest.mark.parametrize("database", DATABASES)
def test_mermaid_diagram_of_the_sample(database, server_url_for, sample_databases):
    url = server_url_for(database)
    run = reflect(sample_db(database, url, sample_databases), "--mermaid", server_url=url)
    lines = run.stdout.splitlines()
    assert lines[0] == "erDiagram"
    documented = documented_sample()
    # every documented foreign key is NOT NULL, so each is drawn as exactly-one to zero-or-more
    expected = {f'    {parent} ||--o{{ {child} : "{column}"'
                for child, doc in documented.items() for column, parent, _ in doc["fks"]}
    assert {line for line in lines if "--" in line} == expected
    for table, doc in documented.items():
        assert f"    {table} {{" in lines
        for column in doc["columns"]:
            keys = (["PK"] if column in doc["pk"] else []) + (["FK"] if any(c == column for c, _, _ in doc["fks"]) else []) \
                + (["UK"] if column in doc["unique"] else [])
            assert any(re.fullmatch(rf"        \w+ {column}" + (" " + ", ".join(keys) if keys else ""), line)
                       for line in lines), (table, column)


CHINOOK_LIKE = """
create table artist (artist_id integer primary key, name varchar(120));
create table album (album_id integer primary key, title varchar(160) not null, artist_id integer not null,
  constraint fk_album_artist foreign key (artist_id) references artist (artist_id));
create table media_type (media_type_id integer primary key, name varchar(120) not null,
  constraint uq_media_type_name unique (name));
create table track (track_id integer primary key, name varchar(200) not null, album_id integer,
  media_type_id integer not null, unit_price numeric(10,2) not null,
  constraint fk_track_album foreign key (album_id) references album (album_id),
  constraint fk_track_media_type foreign key (media_type_id) references media_type (media_type_id));
create table playlist (playlist_id integer primary key, name varchar(120));
create table playlist_track (playlist_id integer not null, track_id integer not null,
  constraint pk_playlist_track primary key (playlist_id, track_id),
  constraint fk_pt_playlist foreign key (playlist_id) references playlist (playlist_id),
  constraint fk_pt_track foreign key (track_id) references track (track_id));
create index ix_track_album on track (album_id);
create view album_size as select a.album_id, a.title, count(t.track_id) as tracks
  from album a left join track t on t.album_id = a.album_id group by a.album_id, a.title;
"""


@pytest.mark.parametrize("database", DATABASES)
def test_reflects_a_chinook_like_schema(database, server_url_for, tmp_path):
    url = server_url_for(database)
    name = f"{database}:ch08_reflect_chinook"
    jbang("tools/Reset.java", name, server_url=url)
    script = tmp_path / "chinook.sql"
    script.write_text(CHINOOK_LIKE)
    jbang("tools/Sql.java", name, "-f", str(script), server_url=url)

    run = reflect(name, server_url=url)
    assert run.stdout.splitlines()[0] == f"{name}: 6 tables, 1 view"
    tables = parse_listing(run.stdout)
    assert {t: v["kind"] for t, v in tables.items()} == {
        "album": "TABLE", "artist": "TABLE", "media_type": "TABLE", "playlist": "TABLE",
        "playlist_track": "TABLE", "track": "TABLE", "album_size": "VIEW"}
    assert list(tables)[-1] == "album_size", "views come after the tables"
    assert [c[0] for c in tables["track"]["columns"]] == ["track_id", "name", "album_id", "media_type_id", "unit_price"]
    assert [c[0] for c in tables["album_size"]["columns"]] == ["album_id", "title", "tracks"]
    assert tables["playlist_track"]["pk"] == ["playlist_id", "track_id"]
    fks = {(t, *fk) for t, v in tables.items() for fk in v["fks"]}
    assert fks == {("album", "artist_id", "artist", "artist_id"),
                   ("track", "album_id", "album", "album_id"),
                   ("track", "media_type_id", "media_type", "media_type_id"),
                   ("playlist_track", "playlist_id", "playlist", "playlist_id"),
                   ("playlist_track", "track_id", "track", "track_id")}
    assert "foreign key: fk_track_album (album_id) -> album (album_id)" in run.stdout  # names given in the DDL are kept
    assert tables["media_type"]["unique"] == [["name"]]
    assert tables["track"]["indexes"] == [("ix_track_album", ["album_id"], False)]
    nullable = {c: n for c, _, n in tables["track"]["columns"]}
    assert (nullable["name"], nullable["album_id"], nullable["media_type_id"]) == (False, True, False)
    types = {c: t for c, t, _ in tables["track"]["columns"]}
    assert types["name"] == "varchar(200)" and types["media_type_id"] == "integer"

    diagram = reflect(name, "--mermaid", server_url=url).stdout.splitlines()
    relations = {line.strip() for line in diagram if "--" in line}
    assert relations == {'artist ||--o{ album : "artist_id"', 'album |o--o{ track : "album_id"',
                         'media_type ||--o{ track : "media_type_id"', 'playlist ||--o{ playlist_track : "playlist_id"',
                         'track ||--o{ playlist_track : "track_id"'}
    assert "    album_size {" not in diagram, "views are not entities of the diagram"
    assert "        integer track_id PK, FK" in diagram


def assert_one_error(run, *fragments: str):
    assert run.returncode == 1, run.stdout + run.stderr
    errors = error_lines(run)
    assert len(errors) == 1, run.stderr
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    assert "Exception" not in run.stderr and "\tat " not in run.stderr, run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize("database", DATABASES)
def test_an_empty_database_is_an_error(database, server_url_for):
    url = server_url_for(database)
    name = f"{database}:ch08_reflect_empty"
    jbang("tools/Reset.java", name, server_url=url)
    assert_one_error(reflect(name, server_url=url, check_ok=False), f"{name}", "has no tables and no views")


def test_unreachable_server():
    assert_one_error(reflect("jdbc:postgresql://127.0.0.1:1/nowhere", check_ok=False),
                     "Cannot reach PostgreSQL at 127.0.0.1:1")


@pytest.mark.parametrize("url, fragment", [
    ("jdbc:postgres://localhost/shop", "did you mean jdbc:postgresql://HOST:PORT/DATABASE ?"),
    ("jdbc:nosuchdb:whatever", "No JDBC driver accepts 'jdbc:nosuchdb:whatever'"),
    ("jdbc:sqlite:no/such/folder/shop.db", "no SQLite database file no/such/folder/shop.db"),
    ("sqlite:ch08_reflect_never_created", "no SQLite database named sqlite:ch08_reflect_never_created"),
    ("postgresql:Bad-Name", "Invalid database name 'Bad-Name'"),
])
def test_malformed_or_missing_database(url, fragment):
    assert_one_error(reflect(url, check_ok=False), fragment)
    assert not (HOME / "db" / "ch08_reflect_never_created.sqlite").exists(), "reflect must not create a SQLite file"


def test_unknown_schema(pg_url, sample_databases):
    sample = sample_db("postgresql", pg_url, sample_databases)
    assert_one_error(reflect(sample, "--schema", "no_such_schema", server_url=pg_url, check_ok=False),
                     "no schema named 'no_such_schema'")
    sqlite_sample = sample_db("sqlite", None, sample_databases)
    assert_one_error(reflect(sqlite_sample, "--schema", "other", check_ok=False), "SQLite has one schema per file")
