"""Every alias of jbang-catalog.json runs (`bin/jbang ALIAS@.`), on SQLite and PostgreSQL where
it touches a database; chapter scripts print what their notebooks show; helper scripts
answer --help and fail with one clear line on bad input."""
from __future__ import annotations

import csv
import json
import os
import re
import subprocess

import nbformat
import pytest

from conftest import DATABASES, HOME

CATALOG = json.loads((HOME / "jbang-catalog.json").read_text())
ALIASES = CATALOG["aliases"]
CHAPTERS = sorted(a for a in ALIASES if re.fullmatch(r"ch\d\d", a))
TOOLS = sorted(a for a in ALIASES if a not in CHAPTERS)


def jbang(*args: str, pg_url: str | None = None, check_ok: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, WORKBOOK_HOME=str(HOME))
    env.pop("WORKBOOK_PG_URL", None)
    if pg_url:
        env["WORKBOOK_PG_URL"] = pg_url
    run = subprocess.run(["bash", "bin/jbang", *args], cwd=HOME, env=env, capture_output=True, text=True,
                         timeout=900)
    if check_ok:
        assert run.returncode == 0, f"jbang {' '.join(args)} exited {run.returncode}:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return run


def error_lines(run: subprocess.CompletedProcess) -> list[str]:
    """The script's own error lines (JBang's build messages on stderr left aside)."""
    return [line for line in run.stderr.splitlines() if line.startswith("error: ")]


def table_cells(text: str) -> list[str]:
    """The single-column values of a printed jOOQ text table, header first."""
    return [line.strip("|").strip() for line in text.splitlines() if line.startswith("|")]


def rows(name: str) -> list[dict]:
    with open(HOME / "data" / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


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
    tested = set(CHAPTERS) | {"sample-db", "sql", "reset", "workbook", "reflect", "migrate", "perf"}
    assert set(ALIASES) <= tested, f"aliases without a test: {set(ALIASES) - tested}"


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_alias_answers_help(alias):
    run = jbang(f"{alias}@.", "--help") if alias != "workbook" else jbang("workbook@.")
    assert "Usage" in run.stdout or "helper API" in run.stdout


def stdout_of_cells(notebook, database: str) -> list[str]:
    """The printed (stdout) text of each code cell the script runs, in order."""
    texts = []
    for cell in notebook.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type != "code" or "notebook-only" in tags or "output-varies" in tags:
            continue
        if database != "sqlite" and "dialect-specific" in tags:
            continue
        text = "".join(o.get("text", "") for o in cell.get("outputs", [])
                       if o.get("output_type") == "stream" and o.get("name") == "stdout")
        if text.strip():
            texts.append(text.strip())
    return texts


@pytest.mark.parametrize("database", DATABASES)
@pytest.mark.parametrize("alias", CHAPTERS)
def test_chapter_script_prints_what_the_notebook_shows(alias, database, pg_url_lazy):
    run = jbang(f"{alias}@.", pg_url=pg_url_lazy(database))
    notebook = nbformat.read(next((HOME / "notebooks").glob(ALIASES[alias]["arguments"][0] + "-*.ipynb")), 4)
    position = 0
    for text in stdout_of_cells(notebook, database):
        found = run.stdout.find(text, position)
        assert found >= 0, f"{alias} on {database} did not print, in order, what the notebook shows:\n{text[:800]}"
        position = found + len(text)


@pytest.mark.parametrize("database", DATABASES)
def test_sample_db_creates_and_loads(database, pg_url_lazy):
    run = jbang("sample-db@.", f"{database}:sample_test", pg_url=pg_url_lazy(database))
    for table in ("author", "book", "member", "loan"):
        assert re.search(rf"^\s+{table}\s+{len(rows(table + 's.csv'))} rows$", run.stdout, re.M), run.stdout


@pytest.mark.parametrize("database", DATABASES)
def test_sql_runs_a_statement_and_prints_a_table(database, pg_url_lazy):
    url = pg_url_lazy(database)
    jbang("sample-db@.", f"{database}:sql_test", pg_url=url)
    out_of_print = sorted(r["title"] for r in rows("books.csv") if r["in_print"] == "false")
    run = jbang("sql@.", f"{database}:sql_test", "select title from book where not in_print order by title",
                pg_url=url)
    assert table_cells(run.stdout) == ["title", *out_of_print]


@pytest.mark.parametrize("database", DATABASES)
def test_sql_file_runs_in_one_transaction(database, pg_url_lazy, tmp_path):
    url = pg_url_lazy(database)
    jbang("sample-db@.", f"{database}:sql_test", pg_url=url)
    script = tmp_path / "bad.sql"
    script.write_text("insert into author (id, name) values (500, 'New; Author');\n"
                      "-- the next one breaks the primary key\n"
                      "insert into author (id, name) values (1, 'Duplicate');\n")
    run = jbang("sql@.", f"{database}:sql_test", "-f", str(script), pg_url=url, check_ok=False)
    assert run.returncode == 1
    assert len(error_lines(run)) == 1 and "nothing was changed" in error_lines(run)[0]
    count = jbang("sql@.", f"{database}:sql_test", "select count(*) as n from author", pg_url=url)
    assert table_cells(count.stdout) == ["n", str(len(rows("authors.csv")))]


def test_sql_bad_url_is_one_clear_line():
    run = jbang("sql@.", "jdbc:postgres://127.0.0.1/x", "select 1", check_ok=False)
    assert run.returncode == 1
    assert error_lines(run) == [("error: No JDBC driver accepts 'jdbc:postgres://127.0.0.1/x': "
                                  "did you mean jdbc:postgresql://HOST:PORT/DATABASE ?")]


@pytest.mark.parametrize("database", DATABASES)
def test_reset_empties_a_database(database, pg_url_lazy):
    url = pg_url_lazy(database)
    jbang("sample-db@.", f"{database}:reset_test", pg_url=url)
    run = jbang("reset@.", f"{database}:reset_test", pg_url=url)
    assert run.stdout.strip() == f"emptied {database}:reset_test"
    after = jbang("sql@.", f"{database}:reset_test", "select count(*) from author", pg_url=url, check_ok=False)
    assert after.returncode == 1
    assert len(error_lines(after)) == 1 and re.search("no such table|does not exist", error_lines(after)[0])


def test_workbook_alias_describes_the_setup():
    run = jbang("workbook@.")
    assert "Java Data Workbook helper API" in run.stdout and "SQLite files in db/" in run.stdout
