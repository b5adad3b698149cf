"""Every alias of jbang-catalog.json runs (`bin/jbang ALIAS@.`), on SQLite and PostgreSQL where
it touches a database; chapter scripts print what their notebooks show; helper scripts
answer --help and fail with one clear line on bad input."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

import nbrun

from conftest import ALL_DATABASES, DATABASES, HOME, database_env
from support import error_lines, jbang, rows, table_cells

CATALOG = json.loads((HOME / "jbang-catalog.json").read_text())
ALIASES = CATALOG["aliases"]
CHAPTERS = sorted(a for a in ALIASES if re.fullmatch(r"ch\d\d", a))
TOOLS = sorted(a for a in ALIASES if a not in CHAPTERS)


def test_catalog_entries_are_complete():
    for name, alias in ALIASES.items():
        assert alias.get("description"), f"{name} has no description"
        assert (HOME / alias["script-ref"]).is_file(), f"{name}: {alias['script-ref']} is missing"
    for notebook in sorted((HOME / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        alias = "ch" + notebook.name[:2]
        assert alias in ALIASES, f"{notebook.name} has no {alias} alias in jbang-catalog.json"
        assert ALIASES[alias]["arguments"] == [notebook.name[:2]]


def test_every_alias_has_a_run_test():
    # chapters and the helper scripts here; reflect, migrate and perf in their own test files
    tested = set(CHAPTERS) | {"sample-db", "sql", "reset", "workbook", "reflect", "migrate", "perf", "writers"}
    assert set(ALIASES) <= tested, f"aliases without a test: {set(ALIASES) - tested}"


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_alias_answers_help(alias):
    run = jbang(f"{alias}@.", "--help") if alias != "workbook" else jbang("workbook@.")
    assert "Usage" in run.stdout or "helper API" in run.stdout


def notebook_of(alias: str) -> Path:
    return next((HOME / "notebooks").glob(ALIASES[alias]["arguments"][0] + "-*.ipynb"))


def stdout_of_cells(notebook: Path, database: str) -> list[str]:
    """The printed (stdout) text of each code cell the script runs, in order, as held for `database`
    (the notebook's outputs, or the page beside it for dialect-specific cells)."""
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    texts = []
    for cell, blocks in zip(code, nbrun.expected(nb, notebook, database)):
        if blocks is None or "notebook-only" in cell.get("metadata", {}).get("tags", []):
            continue
        text = "\n".join(b.split("\n", 1)[1] for b in blocks if b.startswith("[stdout]\n")).strip()
        if text:
            texts.append(text)
    return texts


CHAPTER_RUNS = [(alias, database) for alias in CHAPTERS
                for database in nbrun.databases_of(nbformat.read(notebook_of(alias), as_version=4))]


@pytest.mark.parametrize("alias,database", CHAPTER_RUNS, ids=[f"{a}-{d}" for a, d in CHAPTER_RUNS])
def test_chapter_script_prints_what_the_notebook_shows(alias, database, server_url_for):
    run = jbang(f"{alias}@.", server_url=server_url_for(database))
    printed = nbrun.sanitize(run.stdout)      # the same masking as the notebook's held outputs
    position = 0
    for text in stdout_of_cells(notebook_of(alias), database):
        found = printed.find(text, position)
        assert found >= 0, f"{alias} on {database} did not print, in order, what is held for it:\n{text[:800]}"
        position = found + len(text)


@pytest.mark.parametrize("database", ALL_DATABASES)
def test_sample_db_creates_and_loads(database, server_url_for):
    run = jbang("sample-db@.", f"{database}:sample_test", server_url=server_url_for(database))
    for table in ("author", "book", "member", "loan"):
        assert re.search(rf"^\s+{table}\s+{len(rows(table + 's.csv'))} rows$", run.stdout, re.M), run.stdout


@pytest.mark.parametrize("database", ALL_DATABASES)
def test_sql_runs_a_statement_and_prints_a_table(database, server_url_for):
    url = server_url_for(database)
    jbang("sample-db@.", f"{database}:sql_test", server_url=url)
    out_of_print = sorted(r["title"] for r in rows("books.csv") if r["in_print"] == "false")
    run = jbang("sql@.", f"{database}:sql_test", "select title from book where not in_print order by title",
                server_url=url)
    assert table_cells(run.stdout) == ["title", *out_of_print]


@pytest.mark.parametrize("database", ALL_DATABASES)
def test_sql_file_runs_in_one_transaction(database, server_url_for, tmp_path):
    url = server_url_for(database)
    jbang("sample-db@.", f"{database}:sql_test", server_url=url)
    script = tmp_path / "bad.sql"
    script.write_text("insert into author (id, name) values (500, 'New; Author');\n"
                      "-- the next one breaks the primary key\n"
                      "insert into author (id, name) values (1, 'Duplicate');\n")
    run = jbang("sql@.", f"{database}:sql_test", "-f", str(script), server_url=url, check_ok=False)
    assert run.returncode == 1
    assert len(error_lines(run)) == 1 and "nothing was changed" in error_lines(run)[0]
    count = jbang("sql@.", f"{database}:sql_test", "select count(*) as n from author", server_url=url)
    assert table_cells(count.stdout) == ["n", str(len(rows("authors.csv")))]


def test_sql_bad_url_is_one_clear_line():
    run = jbang("sql@.", "jdbc:postgres://127.0.0.1/x", "select 1", check_ok=False)
    assert run.returncode == 1
    assert error_lines(run) == [("error: No JDBC driver accepts 'jdbc:postgres://127.0.0.1/x': "
                                  "did you mean jdbc:postgresql://HOST:PORT/DATABASE ?")]


@pytest.mark.parametrize("database", ALL_DATABASES)
def test_reset_empties_a_database(database, server_url_for):
    url = server_url_for(database)
    jbang("sample-db@.", f"{database}:reset_test", server_url=url)
    run = jbang("reset@.", f"{database}:reset_test", server_url=url)
    assert run.stdout.strip() == f"emptied {database}:reset_test"
    after = jbang("sql@.", f"{database}:reset_test", "select count(*) from author", server_url=url, check_ok=False)
    assert after.returncode == 1
    assert len(error_lines(after)) == 1 and re.search("no such table|does not exist|doesn.t exist", error_lines(after)[0])


def test_workbook_alias_describes_the_setup():
    run = jbang("workbook@.")
    assert "Java Data Workbook helper API" in run.stdout and "SQLite files in db/" in run.stdout


AS_WRITTEN = {
    # each database's own syntax, which jOOQ's parser would rewrite or refuse
    "sqlite": ["create table t (id integer primary key, note text)",
               "create trigger t_note after insert on t begin\n"
               "  update t set note = case when new.note is null then 'none; given' else new.note end where id = new.id;\nend",
               "insert into t (id) values (1)", "pragma user_version = 7",
               "select note, (select user_version from pragma_user_version) as version from t"],
    "postgresql": ["create table t (id int generated always as identity primary key, note text)",
                   "create function t_note() returns trigger language plpgsql as $body$\n"
                   "begin new.note := coalesce(new.note, 'none; given'); return new; end; $body$",
                   "create trigger t_note before insert on t for each row execute function t_note()",
                   "insert into t (note) values (null)",
                   "select note, (select is_identity from information_schema.columns where table_name = 't' "
                   "and column_name = 'id' and table_schema = current_schema()) as version from t"],
    "mariadb": ["create table t (id int auto_increment primary key, note text)",
                "create trigger t_note before insert on t for each row begin\n"
                "  if new.note is null then set new.note = 'none; given'; end if;\nend",
                "insert into t (note) values (null)", "select note, 'as written' as version from t"],
}
EXPECTED_VERSION = {"sqlite": "7", "postgresql": "YES", "mariadb": "as written"}


@pytest.mark.parametrize("database", ALL_DATABASES)
def test_sql_file_sends_each_statement_as_written(database, server_url_for, tmp_path):
    url = server_url_for(database)
    jbang("reset@.", f"{database}:sql_written", server_url=url)
    script = tmp_path / "written.sql"
    script.write_text("-- a comment; with a semicolon\n" + ";\n".join(AS_WRITTEN[database]) + ";\n")
    run = jbang("sql@.", f"{database}:sql_written", "-f", str(script), server_url=url)
    last = [line for line in run.stdout.splitlines() if line.startswith("|")][-1]
    assert [cell.strip() for cell in last.strip("|").split("|")] == ["none; given", EXPECTED_VERSION[database]]


def test_sql_file_with_an_open_quote_is_one_clear_line(tmp_path):
    script = tmp_path / "open.sql"
    script.write_text("select 1;\nselect 'unfinished;\n")
    jbang("reset@.", "sqlite:sql_written_bad")
    run = jbang("sql@.", "sqlite:sql_written_bad", "-f", str(script), check_ok=False)
    assert run.returncode == 1
    assert error_lines(run) == ["error: the file ends inside a quoted string that starts at line 2: close it"]


@pytest.mark.parametrize("alias", ["sql", "reflect", "migrate", "perf", "writers", "reset", "sample-db", "workbook"])
def test_help_is_wrapped_once(alias):
    """picocli wraps each description line at 80 columns: a source line longer than that comes out
    ragged (a few words alone on a line). Paragraphs go in as one string, examples fit in 80."""
    lines = jbang(f"{alias}@.", "--help").stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    ragged = [(a, b) for a, b in zip(lines, lines[1:]) if a.strip() and len(a.split()) <= 3 and b[:1].islower()]
    assert not ragged, ragged
    if "Examples:" in lines:
        examples = lines[lines.index("Examples:") + 1:]
        assert all(line.startswith("  ") for line in examples if line.strip()), examples


def test_a_chapter_that_fails_says_so_on_stderr():
    """A chapter script whose cell fails (here: no server at the URL) prints the error and which
    cell failed on stderr, not among the chapter's output, and exits 1."""
    run = jbang("ch01@.", server_url="jdbc:postgresql://127.0.0.1:1/nowhere", check_ok=False)
    assert run.returncode == 1
    assert "Cannot reach PostgreSQL at 127.0.0.1:1" in run.stderr and "error: cell" in run.stderr
    assert "Cannot reach" not in run.stdout and "error:" not in run.stdout


@pytest.mark.parametrize("database", ALL_DATABASES)
def test_sql_on_a_database_that_does_not_exist_creates_nothing(database, server_url_for):
    url = server_url_for(database)
    run = jbang("sql@.", f"{database}:nosuch_db", "select 1", server_url=url, check_ok=False)
    assert run.returncode == 1
    lines = error_lines(run)
    assert len(lines) == 1 and lines[0].startswith("error: no ") and "check the name, or create it" in lines[0], run.stderr
    assert not (HOME / "db" / "nosuch_db.sqlite").exists()
    again = jbang("sql@.", f"{database}:nosuch_db", "select 1", server_url=url, check_ok=False)
    assert error_lines(again) == lines, "the first try created something"


def test_reset_checks_every_name_before_it_empties_any():
    jbang("sample-db@.", "sqlite:reset_r1")
    run = jbang("reset@.", "sqlite:reset_r1", "BAD NAME", "sqlite:reset_r2", check_ok=False)
    assert run.returncode == 1
    assert error_lines(run) == ["error: Invalid database name 'BAD NAME' in \"BAD NAME\": use lowercase letters, "
                                "digits and _ (for example ch03)"]
    count = jbang("sql@.", "sqlite:reset_r1", "select count(*) as n from author")
    assert table_cells(count.stdout) == ["n", str(len(rows("authors.csv")))]


def test_a_long_bad_name_is_not_echoed_in_full():
    run = jbang("reset@.", "sqlite:" + "x" * 5000, check_ok=False)
    assert run.returncode == 1 and len(error_lines(run)) == 1 and len(error_lines(run)[0]) < 400


def test_workbook_alias_refuses_arguments():
    run = jbang("workbook@.", "--bogus", check_ok=False)
    assert run.returncode == 2 and error_lines(run)[0].startswith("error: workbook@. takes no arguments (got --bogus)")


# (file, change, the error's words): each a bad value that used to load silently or half-way
BAD_SAMPLE = {
    "missing-file": ("members.csv", None, "data/members.csv not found"),
    "impossible-date": ("members.csv", ("2023-03-02", "2023-06-31"),
                        "data/members.csv line 3, column joined: '2023-06-31' is not a date"),
    "letters-in-a-number": ("authors.csv", (",1812,", ",18x2,"), "data/authors.csv line 3, column born: '18x2' is not a whole number"),
    "a-field-too-many": ("authors.csv", ("2,Charles Dickens,1812,United Kingdom", "2,Charles Dickens,1812,United Kingdom,x"),
                         "data/authors.csv line 3: 5 fields, but the header has 4"),
    "too-many-decimals": ("books.csv", (",8.50,", ",8.5049,"), "data/books.csv line 3, column price: '8.5049' does not fit numeric(6,2)"),
    "duplicate-id": ("authors.csv", ("2,Charles Dickens", "1,Charles Dickens"), "data/authors.csv line 3, column id: 1 is the id of an earlier row"),
    "dangling-reference": ("books.csv", ("2,Emma,1,", "2,Emma,99,"), "data/books.csv line 3, column author_id: 99 is not the id of a row"),
    "not-a-boolean": ("books.csv", (",true\n", ",yes\n"), "data/books.csv line 2, column in_print: 'yes' is not true or false"),
    "not-utf8": ("authors.csv", b"bytes", "data/authors.csv is not UTF-8 text"),
    "empty-required-field": ("members.csv", ("alice@example.org", ""), "data/members.csv line 2, column email: empty, but the column is not null"),
}


def broken_home(tmp_path, case: str):
    file, change, _ = BAD_SAMPLE[case]
    root = tmp_path / case
    shutil.copytree(HOME / "data", root / "data")
    (root / "workbook").mkdir()          # looks like the workbook folder: the hint is to restore the file
    (HOME / "db").mkdir(exist_ok=True)
    (root / "db").symlink_to(HOME / "db")  # the SQLite database under test is the workbook's own
    target = root / "data" / file
    if change is None:
        target.unlink()
    elif change == b"bytes":
        target.write_bytes(target.read_bytes().replace(b"Jane", b"J\xe9ne", 1))
    else:
        text = target.read_text(encoding="utf-8")
        assert change[0] in text, f"{case}: the data changed, the test's edit no longer applies"
        target.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    return root


@pytest.mark.parametrize("database", DATABASES)
def test_sample_db_checks_every_value_before_it_touches_the_database(database, server_url_for, tmp_path):
    """A bad data file is one clear line naming file, line, column and value; the database that
    was there stays as it was, row for row (the tool checks everything before it empties it)."""
    url = server_url_for(database)
    name = f"{database}:sample_strict"
    jbang("sample-db@.", name, server_url=url)
    before = jbang("sql@.", name, "select count(*) as n from loan", server_url=url).stdout
    for case, (_, _, words) in BAD_SAMPLE.items():
        env_home = broken_home(tmp_path, case)
        run = subprocess.run(["bash", "bin/jbang", "sample-db@.", name], cwd=HOME, capture_output=True, text=True,
                             env={**database_env(database, url), "WORKBOOK_HOME": str(env_home)}, timeout=300)
        assert run.returncode == 1, f"{case}: {run.stdout}"
        lines = error_lines(run)
        assert len(lines) == 1 and words in lines[0], f"{case}: {run.stderr[-1500:]}"
        assert "Exception" not in run.stderr, run.stderr
    assert jbang("sql@.", name, "select count(*) as n from loan", server_url=url).stdout == before


def test_sample_db_warns_about_a_data_file_without_rows(tmp_path):
    for content in ("", "id,book_id,member_id,loaned_on,returned_on\n"):
        root = tmp_path / f"empty{len(content)}"
        shutil.copytree(HOME / "data", root / "data")
        (root / "data" / "loans.csv").write_text(content)
        run = subprocess.run(["bash", "bin/jbang", "sample-db@.", "sqlite:sample_no_loans"], cwd=HOME, capture_output=True,
                             text=True, env={**database_env("sqlite", None), "WORKBOOK_HOME": str(root)}, timeout=300)
        assert run.returncode == 0, run.stderr[-1500:]
        warnings = [line for line in run.stderr.splitlines() if line.startswith("warning: ")]
        assert warnings == ["warning: data/loans.csv has no rows: the sample's loan table stays empty"]
        assert re.search(r"^  loan\s+0 rows$", run.stdout, re.M), run.stdout
