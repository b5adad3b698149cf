"""`jbang reflect@.` (tools/Reflect.java) prints any database's schema: checked on SQLite, PostgreSQL and
MariaDB against the sample database as data/README.md and the CSV headers document it, against a
Chinook-like schema created here, against column types, enum types, domains, partitions and triggers
created here (each expectation derived from the DDL that created it), and with bad input (one
`error: ...` line, exit status 1)."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from conftest import ALL_DATABASES, HOME
from support import error_lines, jbang

TOOL = "reflect@."   # the catalog alias (tools/Reflect.java)
SERVERS = [d for d in ALL_DATABASES if d != "sqlite"]


def reflect(*args: str, server_url: str | None = None, check_ok: bool = True):
    return jbang(TOOL, *args, server_url=server_url, check_ok=check_ok)


def run_sql(name: str, url: str | None, *statements: str):
    """Runs the statements as written, in one `sql@. NAME -f FILE` (which sends each statement of a
    file exactly as the file has it: the expectations here are derived from the DDL as the database
    receives it)."""
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "ddl.sql"
        script.write_text(";\n".join(statements) + ";\n", encoding="utf-8")
        jbang("sql@.", name, "-f", str(script), server_url=url)


def fresh(database: str, url: str | None, suffix: str) -> str:
    name = f"{database}:ch08_reflect_{suffix}"
    jbang("reset@.", name, server_url=url)
    return name


def parse_listing(text: str) -> dict[str, dict]:
    """The tables and views of the text listing as {table: {kind, columns [(name, type, nullable)], pk, fks,
    unique, indexes, partitioned_by, partitions [(depth, name, bound, partitioned_by)], triggers
    [(name, timing, events, level, partition or None)]}}. ENUM and DOMAIN sections are parse_type_sections' business."""
    tables: dict[str, dict] = {}
    current = None
    for line in text.splitlines():
        if m := re.fullmatch(r"(TABLE|VIEW) (\S+)", line):
            current = tables[m[2]] = {"kind": m[1], "columns": [], "pk": None, "fks": set(), "unique": [], "indexes": [],
                                      "partitioned_by": None, "partitions": [], "triggers": []}
        elif re.fullmatch(r"(ENUM|DOMAIN) \S+", line):
            current = None
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
        elif m := re.fullmatch(r"  partitioned by: (.+)", line):
            current["partitioned_by"] = m[1]
        elif m := re.fullmatch(r"(  (?:  )*)partition: (\S+)(?: (.*?))?(?:, partitioned by (.+))?", line):
            current["partitions"].append((len(m[1]) // 2 - 1, m[2], m[3] or "", m[4]))
        elif m := re.fullmatch(r"  trigger: (.+) (BEFORE|AFTER|INSTEAD OF) (\S+(?: OR \S+)*) FOR EACH (ROW|STATEMENT)"
                               r"(?:, on partition (\S+))?", line):
            current["triggers"].append((m[1], m[2], m[3].split(" OR "), m[4], m[5]))
        else:
            raise AssertionError(f"unexpected line in the listing: {line!r}")
    return tables


def parse_type_sections(text: str) -> tuple[dict[str, list[str]], dict[str, dict]]:
    """The ENUM sections as {name: labels} and the DOMAIN sections as {name: {base, not_null, default, checks}}."""
    enums: dict[str, list[str]] = {}
    domains: dict[str, dict] = {}
    current = None
    for line in text.splitlines():
        if m := re.fullmatch(r"ENUM (\S+)", line):
            current = ("enum", m[1])
        elif m := re.fullmatch(r"DOMAIN (\S+)", line):
            current = ("domain", m[1])
            domains[m[1]] = {"base": None, "not_null": None, "default": None, "checks": []}
        elif not line.startswith("  "):
            current = None
        elif current and current[0] == "enum" and (m := re.fullmatch(r"  labels: (.*)", line)):
            enums[current[1]] = [label.replace("''", "'") for label in re.findall(r"'((?:[^']|'')*)'", m[1])]
        elif current and current[0] == "domain":
            domain = domains[current[1]]
            if m := re.fullmatch(r"  base type: (.+), (null|not null)", line):
                domain["base"], domain["not_null"] = m[1], m[2] == "not null"
            elif m := re.fullmatch(r"  default: (.+)", line):
                domain["default"] = m[1]
            elif m := re.fullmatch(r"  check: (.+)", line):
                domain["checks"].append(m[1])
            else:
                raise AssertionError(f"unexpected line in a DOMAIN section: {line!r}")
        elif current:
            raise AssertionError(f"unexpected line in an ENUM section: {line!r}")
    return enums, domains


def own_spelling(database: str, ddl_type: str) -> str:
    """How each database's catalog spells a type written in DDL (what reflect prints, per its --help):
    SQLite keeps the declared type as written (shown in lower case); PostgreSQL's format_type writes
    varchar(n) as character varying(n) and int as integer; MariaDB keeps integer as int with its
    display width int(11), bigint as bigint(20), boolean as tinyint(1) and numeric as decimal."""
    t = ddl_type.lower()
    if database == "postgresql":
        t = re.sub(r"^varchar\((\d+)\)", r"character varying(\1)", t)
        t = re.sub(r"^int(\[\])?$", r"integer\1", t)
    elif database == "mariadb":
        t = re.sub(r"^(integer|int)\b", "int(11)", t)
        t = re.sub(r"^bigint\b", "bigint(20)", t)
        t = re.sub(r"^(boolean|bool)$", "tinyint(1)", t)
        t = re.sub(r"^numeric\(", "decimal(", t)
    return t


def sample_spelling(database: str, documented: str) -> str:
    """A type documented in data/README.md as the sample's tables hold it. They were created by the
    helper's jOOQ DDL, which writes integer as int and numeric(6,2) as numeric(6, 2): SQLite keeps those
    words (the declared type); PostgreSQL and MariaDB turn them into their own (own_spelling)."""
    written = re.sub(r"^integer$", "int", re.sub(r",\s*", ", ", documented))
    return own_spelling(database, written) if database == "sqlite" else own_spelling(database, documented)


def mermaid_word(type_name: str) -> str:
    """reflect's documented rule for a type in the diagram: [] becomes _array, quotes are dropped, any
    other run of characters but letters, digits, _ and - becomes _ (none at either end)."""
    word = re.sub(r"[^A-Za-z0-9_-]+", "_", re.sub(r"[\"'`]", "", type_name.replace("[]", "_array"))).strip("_")
    return word or "unknown"


def documented_sample() -> dict[str, dict]:
    """What data/README.md documents: per table its CSV file's header (the columns, in order), and from
    the README's column tables the types, the foreign keys, the not-null columns and the unique ones."""
    readme = (HOME / "data" / "README.md").read_text()
    tables = {}
    for csv_name, table, body in re.findall(r"^## `(\w+\.csv)`: table `(\w+)`.*?\n(.*?)(?=^## |\Z)", readme, re.M | re.S):
        with open(HOME / "data" / csv_name, newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        info = {"columns": header, "types": {}, "fks": set(), "not_null": set(), "unique": set(), "pk": []}
        for column, kind in re.findall(r"^\| `(\w+)` \| ([^|]+) \|", body, re.M):
            info["types"][column] = re.match(r"\s*(\w+(?:\(\d+(?:,\s*\d+)?\))?)", kind)[1]
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
        jbang("sample-db@.", name, server_url=url)
        cache[name] = True
    return name


@pytest.mark.parametrize("database", ALL_DATABASES)
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
        assert {c: t for c, t, _ in got["columns"]} == {c: sample_spelling(database, t) for c, t in doc["types"].items()}, name
        assert got["pk"] == doc["pk"], name
        assert {(c, p, pc) for c, p, pc in got["fks"]} == doc["fks"], name
        assert {u[0] for u in got["unique"]} == doc["unique"], name
        not_null = {c for c, _, nullable in got["columns"] if not nullable}
        # SQLite's driver reports an INTEGER PRIMARY KEY (the rowid) as nullable: compare the other columns.
        assert not_null - set(doc["pk"]) == doc["not_null"] - set(doc["pk"]), name
        assert got["partitions"] == [] and got["triggers"] == [] and got["partitioned_by"] is None, name
    assert not re.search(r"^(ENUM|DOMAIN) ", run.stdout, re.M)


@pytest.mark.parametrize("database", ALL_DATABASES)
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
            word = mermaid_word(sample_spelling(database, doc["types"][column]))
            assert re.fullmatch(r"[A-Za-z][\w-]*", word), word
            assert f"        {word} {column}" + (" " + ", ".join(keys) if keys else "") in lines, (table, column)


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


@pytest.mark.parametrize("database", ALL_DATABASES)
def test_reflects_a_chinook_like_schema(database, server_url_for):
    url = server_url_for(database)
    name = fresh(database, url, "chinook")
    run_sql(name, url, *(s.strip() for s in CHINOOK_LIKE.split(";") if s.strip()))

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
    expected_indexes = [("ix_track_album", ["album_id"], False)]
    if database == "mariadb":
        # InnoDB gives a foreign key an index of the constraint's name when no index starts with its
        # columns (fk_track_album's went when ix_track_album came); reflect lists it like any other.
        expected_indexes.append(("fk_track_media_type", ["media_type_id"], False))
    assert sorted(tables["track"]["indexes"]) == sorted(expected_indexes)
    nullable = {c: n for c, _, n in tables["track"]["columns"]}
    assert (nullable["name"], nullable["album_id"], nullable["media_type_id"]) == (False, True, False)
    types = {c: t for c, t, _ in tables["track"]["columns"]}
    assert types["name"] == own_spelling(database, "varchar(200)")
    assert types["media_type_id"] == own_spelling(database, "integer")
    assert types["unit_price"] == own_spelling(database, "numeric(10,2)")

    diagram = reflect(name, "--mermaid", server_url=url).stdout.splitlines()
    relations = {line.strip() for line in diagram if "--" in line}
    assert relations == {'artist ||--o{ album : "artist_id"', 'album |o--o{ track : "album_id"',
                         'media_type ||--o{ track : "media_type_id"', 'playlist ||--o{ playlist_track : "playlist_id"',
                         'track ||--o{ playlist_track : "track_id"'}
    assert "    album_size {" not in diagram, "views are not entities of the diagram"
    assert f"        {mermaid_word(own_spelling(database, 'integer'))} track_id PK, FK" in diagram


# Columns of types every database has, then each database's own: (column, type as written in the DDL).
COMMON_TYPES = [("id", "integer"), ("title", "varchar(200)"), ("price", "numeric(6,2)"), ("body", "text"),
                ("flag", "boolean"), ("day", "date")]
OWN_TYPES = {
    "sqlite": [("untyped", ""), ("shouted", "NUMERIC(10,2)")],   # SQLite takes any type name, or none
    "postgresql": [("tags", "text[]"), ("scores", "int[]")],
    "mariadb": [("big", "bigint unsigned"), ("flags", "set('a','b')")],
}


@pytest.mark.parametrize("database", ALL_DATABASES)
def test_column_types_as_the_database_names_them(database, server_url_for):
    url = server_url_for(database)
    name = fresh(database, url, "types")
    columns = COMMON_TYPES + OWN_TYPES[database]
    run_sql(name, url, "create table typed (" + ", ".join(f"{c} {t}".strip() for c, t in columns) + ", primary key (id))",
            "create view typed_view as select id, title from typed")
    run = reflect(name, server_url=url)
    tables = parse_listing(run.stdout)
    expected = {c: own_spelling(database, t) or "(no type)" for c, t in columns}
    assert {c: t for c, t, _ in tables["typed"]["columns"]} == expected
    assert {c: t for c, t, _ in tables["typed_view"]["columns"]} == {c: expected[c] for c in ("id", "title")}
    assert "clob" not in run.stdout and " array" not in run.stdout, "jOOQ's type names, not the database's"
    assert run.stdout.splitlines()[0] == f"{name}: 1 table, 1 view"
    assert not re.search(r"^(ENUM|DOMAIN) |^  (partition|partitioned by|trigger):", run.stdout, re.M)

    diagram = reflect(name, "--mermaid", server_url=url).stdout.splitlines()
    for column, _ in columns:
        word = mermaid_word(expected[column]) if expected[column] != "(no type)" else "unknown"
        assert re.fullmatch(r"[A-Za-z][\w-]*", word), word
        assert any(re.fullmatch(rf"        {re.escape(word)} {column}( PK)?", line) for line in diagram), (column, word)


MOODS = ["sad", "ok", "happy", "it's fine"]   # in their order, one with a quote


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def test_postgresql_enum_types_and_domains(pg_url):
    name = fresh("postgresql", pg_url, "enums")
    labels = ", ".join(sql_literal(m) for m in MOODS)
    domains = {  # name: (base type as written, not null, default, check constraint name, check)
        "price_eur": ("numeric(8,2)", True, "0", "price_eur_nonnegative", "value >= 0"),
        "email": ("varchar(200)", False, None, "email_has_at", "value like '%@%'"),
    }
    statements = [f"create type mood as enum ({labels})", "create type unused_state as enum ()"]
    for domain, (base, not_null, default, check_name, check) in domains.items():
        statements.append(f"create domain {domain} as {base}" + (" not null" if not_null else "")
                          + (f" default {default}" if default else "") + f" constraint {check_name} check ({check})")
    statements.append("create table diary (id integer primary key, feeling mood not null, history mood[],"
                      " cost price_eur, contact email)")
    run_sql(name, pg_url, *statements)

    run = reflect(name, server_url=pg_url)
    assert run.stdout.splitlines()[0] == f"{name}: 1 table, 0 views, 2 enum types, 2 domains"
    enums, found = parse_type_sections(run.stdout)
    assert enums == {"mood": MOODS, "unused_state": []}
    assert list(enums) == sorted(enums)
    assert set(found) == set(domains)
    for domain, (base, not_null, default, check_name, check) in domains.items():
        got = found[domain]
        assert got["base"] == own_spelling("postgresql", base), domain
        assert got["not_null"] is not_null and got["default"] == default, domain
        # PostgreSQL prints the check as it deparses it (VALUE in capitals, casts and parentheses added,
        # LIKE as ~~): it names the constraint, says CHECK, and keeps the DDL's constant
        constant = check.split(" ")[-1]
        assert len(got["checks"]) == 1, got["checks"]
        assert got["checks"][0].startswith(f"{check_name} CHECK (") and "VALUE" in got["checks"][0], got["checks"]
        assert constant in got["checks"][0], (constant, got["checks"])
    types = {c: t for c, t, _ in parse_listing(run.stdout)["diary"]["columns"]}
    assert types == {"id": "integer", "feeling": "mood", "history": "mood[]", "cost": "price_eur", "contact": "email"}


def test_mariadb_enums_are_inline(mariadb_url):
    name = fresh("mariadb", mariadb_url, "enums")
    labels = ",".join(sql_literal(m) for m in MOODS)
    run_sql(name, mariadb_url, f"create table diary (id integer primary key, feeling enum({labels}) not null)")
    run = reflect(name, server_url=mariadb_url)
    assert run.stdout.splitlines()[0] == f"{name}: 1 table, 0 views"
    assert parse_type_sections(run.stdout) == ({}, {})
    feeling = next(c for c in parse_listing(run.stdout)["diary"]["columns"] if c[0] == "feeling")
    assert feeling == ("feeling", f"enum({labels})", False)
    diagram = reflect(name, "--mermaid", server_url=mariadb_url).stdout
    assert f"        {mermaid_word(f'enum({labels})')} feeling\n" in diagram


def test_postgresql_partitions(pg_url):
    name = fresh("postgresql", pg_url, "partitions")
    ranges = [("measurement_y2024", "2024-01-01", "2025-01-01"), ("measurement_y2025", "2025-01-01", "2026-01-01")]
    lists = [("measurement_y2025_low", [1, 2])]            # partitions of measurement_y2025, by list
    hashes = [("event_p0", 0), ("event_p1", 1)]            # partitions of event, by hash, modulus 2
    statements = [
        "create table measurement (city_id integer not null, logdate date not null, peaktemp integer) partition by range (logdate)",
        *(f"create table {p} partition of measurement for values from ('{lo}') to ('{hi}')"
          + (" partition by list (city_id)" if p == "measurement_y2025" else "") for p, lo, hi in ranges),
        *(f"create table {p} partition of measurement_y2025 for values in ({', '.join(map(str, vs))})" for p, vs in lists),
        "create table measurement_y2025_rest partition of measurement_y2025 default",
        "create table event (id integer not null) partition by hash (id)",
        *(f"create table {p} partition of event for values with (modulus 2, remainder {r})" for p, r in hashes),
        "create table plain (id integer primary key)",
        "create index measurement_city on measurement (city_id)",
        # a row trigger on a partitioned table is cloned onto every partition: listed once, on its table;
        # one made on a single partition is listed under the partitioned table, naming the partition
        "create function keep() returns trigger language plpgsql as $$ begin return new; end $$",
        "create trigger measurement_keep before insert on measurement for each row execute function keep()",
        "create trigger y2025_low_only after update on measurement_y2025_low for each row execute function keep()",
    ]
    run_sql(name, pg_url, *statements)
    partitions = [p for p, _, _ in ranges] + [p for p, _ in lists] + ["measurement_y2025_rest"] + [p for p, _ in hashes]

    run = reflect(name, server_url=pg_url)
    assert run.stdout.splitlines()[0] == f"{name}: 3 tables, 0 views, {len(partitions)} partitions, 2 triggers"
    tables = parse_listing(run.stdout)
    assert set(tables) == {"measurement", "event", "plain"}, "partitions are listed under their table only"
    m = tables["measurement"]
    assert m["partitioned_by"] == "RANGE (logdate)"
    assert m["partitions"] == [
        (0, "measurement_y2024", "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')", None),
        (0, "measurement_y2025", "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')", "LIST (city_id)"),
        (1, "measurement_y2025_low", "FOR VALUES IN (1, 2)", None),
        (1, "measurement_y2025_rest", "DEFAULT", None)]
    assert [(d, p, b) for d, p, b, _ in m["partitions"]][:2] == [
        (0, p, f"FOR VALUES FROM ('{lo}') TO ('{hi}')") for p, lo, hi in ranges]
    assert m["indexes"] == [("measurement_city", ["city_id"], False)]
    assert m["triggers"] == [("measurement_keep", "BEFORE", ["INSERT"], "ROW", None),
                             ("y2025_low_only", "AFTER", ["UPDATE"], "ROW", "measurement_y2025_low")]
    assert tables["event"]["partitioned_by"] == "HASH (id)"
    assert tables["event"]["partitions"] == [(0, p, f"FOR VALUES WITH (modulus 2, remainder {r})", None) for p, r in hashes]
    assert tables["plain"]["partitions"] == [] and tables["plain"]["partitioned_by"] is None
    for p in partitions:   # a partition shows on its own partition line (no table, no index of its own elsewhere)
        mentions = [line.strip() for line in run.stdout.splitlines() if re.search(rf"\b{p}\b", line)]
        assert mentions[0].startswith(f"partition: {p} ") and all(x.startswith("trigger: ") for x in mentions[1:]), mentions

    diagram = reflect(name, "--mermaid", server_url=pg_url).stdout.splitlines()
    assert {line.strip() for line in diagram if line.endswith("{")} == {"measurement {", "event {", "plain {"}


def test_mariadb_partitions(mariadb_url):
    name = fresh("mariadb", mariadb_url, "partitions")
    ranges = [("p2023", "2024"), ("p2024", "2025"), ("pmax", "maxvalue")]
    lists = [("p_eu", [1, 2]), ("p_rest", None)]   # None: the DEFAULT partition
    hashed = 3
    run_sql(name, mariadb_url,
            "create table sales (id integer not null, sold date not null, primary key (id, sold)) partition by range (year(sold)) ("
            + ", ".join(f"partition {p} values less than " + (v if v == "maxvalue" else f"({v})") for p, v in ranges) + ")",
            "create table regional (id integer not null, region integer) partition by list (region) ("
            + ", ".join(f"partition {p} " + (f"values in ({','.join(map(str, vs))})" if vs else "default") for p, vs in lists) + ")",
            f"create table hashed (id integer not null) partition by hash (id) partitions {hashed}",
            "create table plain (id integer primary key)")
    run = reflect(name, server_url=mariadb_url)
    count = len(ranges) + len(lists) + hashed
    assert run.stdout.splitlines()[0] == f"{name}: 4 tables, 0 views, {count} partitions"
    tables = parse_listing(run.stdout)
    assert set(tables) == {"sales", "regional", "hashed", "plain"}
    # MariaDB writes the expression back with its column names in backquotes
    assert tables["sales"]["partitioned_by"] == "RANGE (year(`sold`))"
    assert tables["sales"]["partitions"] == [
        (0, p, "VALUES LESS THAN MAXVALUE" if v == "maxvalue" else f"VALUES LESS THAN ({v})", None) for p, v in ranges]
    assert tables["regional"]["partitioned_by"] == "LIST (`region`)"
    assert tables["regional"]["partitions"] == [
        (0, p, f"VALUES IN ({','.join(map(str, vs))})" if vs else "DEFAULT", None) for p, vs in lists]
    assert tables["hashed"]["partitioned_by"] == "HASH (`id`)"
    # PARTITIONS n names them p0 ... p(n-1); a hash partition has no bound
    assert tables["hashed"]["partitions"] == [(0, f"p{i}", "", None) for i in range(hashed)]
    assert tables["plain"]["partitions"] == [] and tables["plain"]["partitioned_by"] is None


# Triggers: (name, table, timing as written or None, events, FOR EACH level as written or None, body)
TRIGGERS = {
    "sqlite": [
        ("account_touch", "account", "after", ["update"], "row", "update account set updated = 'now' where id = new.id"),
        # SQLite ignores the case of names: a trigger ON Account is account's
        ("account_guard", "Account", None, ["insert"], None, "select raise(abort, 'no overdraft') where new.balance < 0"),
        ('"audit delete"', "account", "before", ["delete"], None, "insert into audit (what) values ('delete')"),
        ("rich_insert", "rich", "instead of", ["insert"], "row", "insert into account (id, balance) values (new.id, new.balance)"),
    ],
    "postgresql": [
        ("account_touch", "account", "before", ["insert", "update"], "row", None),
        ("account_audit", "account", "after", ["delete", "truncate"], "statement", None),
        ("rich_insert", "rich", "instead of", ["insert"], "row", None),
    ],
    "mariadb": [
        ("account_touch", "account", "before", ["update"], "row", "set new.updated = 'now'"),
        ("account_audit", "account", "after", ["delete"], "row", "insert into audit (what) values ('delete')"),
    ],
}


def trigger_ddl(database: str, name: str, table: str, timing, events, level, body) -> str:
    head = " ".join(p for p in ("create trigger", name, timing, " or ".join(events), "on", table) if p)
    if database == "postgresql":
        return f"{head} for each {level} execute function {'keep_view' if table == 'rich' else 'keep'}()"
    if database == "sqlite":
        return f"{head}{' for each ' + level if level else ''} begin {body}; end"
    return f"{head} for each {level} {body}"


@pytest.mark.parametrize("database", ALL_DATABASES)
def test_triggers(database, server_url_for):
    url = server_url_for(database)
    name = fresh(database, url, "triggers")
    statements = [
        "create table account (id integer primary key, balance integer, updated varchar(20))",
        "create table audit (what varchar(20))",
        # the foreign key gives PostgreSQL internal triggers, which are not listed
        "create table ledger (id integer primary key, account_id integer references account (id))",
        "create view rich as select id, balance from account where balance > 1000",
    ]
    if database == "postgresql":
        statements += ["create function keep() returns trigger language plpgsql as $$ begin return new; end $$",
                       "create function keep_view() returns trigger language plpgsql as $$ begin return null; end $$"]
    statements += [trigger_ddl(database, *t) for t in TRIGGERS[database]]
    run_sql(name, url, *statements)

    run = reflect(name, server_url=url)
    triggers = TRIGGERS[database]
    assert run.stdout.splitlines()[0] == f"{name}: 3 tables, 1 view, {len(triggers)} triggers"
    tables = parse_listing(run.stdout)
    for table in tables:
        expected = sorted(
            (t_name.strip('"'),
             (timing or "before").upper(),   # SQLite's timing is BEFORE when none is written
             [e.upper() for e in events],
             (level or "row").upper(),        # SQLite's triggers are all FOR EACH ROW
             None)
            for t_name, t_table, timing, events, level, _ in triggers if t_table.lower() == table)
        assert tables[table]["triggers"] == expected, table
    assert tables["ledger"]["triggers"] == [] and tables["audit"]["triggers"] == []
    assert "RI_ConstraintTrigger" not in run.stdout


def assert_one_error(run, *fragments: str):
    assert run.returncode == 1, run.stdout + run.stderr
    errors = error_lines(run)
    assert len(errors) == 1, run.stderr
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    assert "Exception" not in run.stderr and "\tat " not in run.stderr, run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize("database", ALL_DATABASES)
def test_an_empty_database_is_an_error(database, server_url_for):
    url = server_url_for(database)
    name = fresh(database, url, "empty")
    assert_one_error(reflect(name, server_url=url, check_ok=False), f"{name}", "has no tables and no views")


@pytest.mark.parametrize("url, fragment", [
    ("jdbc:postgresql://127.0.0.1:1/nowhere", "Cannot reach PostgreSQL at 127.0.0.1:1"),
    ("jdbc:mariadb://127.0.0.1:1/nowhere", "Cannot reach MariaDB at 127.0.0.1:1"),
])
def test_unreachable_server(url, fragment):
    assert_one_error(reflect(url, check_ok=False), fragment)


@pytest.mark.parametrize("url, fragment", [
    ("jdbc:postgres://localhost/shop", "did you mean jdbc:postgresql://HOST:PORT/DATABASE ?"),
    ("jdbc:maria://localhost/shop", "did you mean jdbc:mariadb://HOST:PORT/DATABASE ?"),
    ("jdbc:nosuchdb:whatever", "No JDBC driver accepts 'jdbc:nosuchdb:whatever'"),
    ("jdbc:sqlite:no/such/folder/shop.db", "no SQLite database file no/such/folder/shop.db"),
    ("sqlite:ch08_reflect_never_created", "no SQLite database named sqlite:ch08_reflect_never_created"),
    ("postgresql:Bad-Name", "Invalid database name 'Bad-Name'"),
    ("mariadb:Bad-Name", "Invalid database name 'Bad-Name'"),
])
def test_malformed_or_missing_database(url, fragment):
    assert_one_error(reflect(url, check_ok=False), fragment)
    assert not (HOME / "db" / "ch08_reflect_never_created.sqlite").exists(), "reflect must not create a SQLite file"


def with_database(server_url: str, database: str) -> str:
    """The server URL with its database part replaced (empty: none)."""
    return re.sub(r"^(jdbc:[a-z]+://[^/?]*)(/[^?]*)?", lambda m: m[1] + "/" + database, server_url)


@pytest.mark.parametrize("database", SERVERS)
def test_schema_option(database, server_url_for, sample_databases):
    url = server_url_for(database)
    sample = sample_db(database, url, sample_databases)
    schema = sample.split(":", 1)[1]
    # on the bare server URL (PostgreSQL's public schema, MariaDB's database of the URL) --schema picks the sample's
    run = reflect(url, "--schema", schema, server_url=url)
    assert set(parse_listing(run.stdout)) == set(documented_sample())
    assert_one_error(reflect(sample, "--schema", "no_such_schema", server_url=url, check_ok=False),
                     "no schema named 'no_such_schema'", "pass one with --schema")
    if database == "mariadb":
        assert_one_error(reflect(with_database(url, ""), server_url=url, check_ok=False),
                         "names no current database", schema)
        assert_one_error(reflect(with_database(url, "ch08_reflect_no_such_db"), server_url=url, check_ok=False),
                         "has no such database")


def test_sqlite_has_one_schema(sample_databases):
    sqlite_sample = sample_db("sqlite", None, sample_databases)
    assert_one_error(reflect(sqlite_sample, "--schema", "other", check_ok=False), "SQLite has one schema per file")
