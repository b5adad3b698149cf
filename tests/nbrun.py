"""Runs notebooks in a fresh Java kernel through Jupyter's own machinery (nbclient), and
compares their outputs with the committed ones, on every database the notebook runs on.

A notebook holds what SQLite printed (what readers see on GitHub and in JupyterLab). A cell
whose output truly differs on another database is tagged `dialect-specific`; what PostgreSQL
(or MariaDB) printed for those cells is kept beside the notebook, in
notebooks/outputs/NN-name.postgresql.md, a page a reader can open, and the tests hold it there.
Every other cell must print the same on every database.

Used by the tests and by `python3 workbook.py record NOTEBOOK...`, which re-executes a
notebook on each of its databases (starting throwaway servers) and saves the outputs.
"""
from __future__ import annotations

import copy
import difflib
import json
import os
import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HOME = Path(__file__).resolve().parents[1]
KERNEL = "java-workbook"
CELL_TIMEOUT = 600

# Tags a code cell can carry:
#   raises-exception  the cell is meant to fail (nbclient lets it; its error is compared too)
#   dialect-specific  its output differs by database: each database's is held, the notebook
#                     showing SQLite's and notebooks/outputs/NN-name.DATABASE.md the others'
#   notebook-only     Jupyter magics (%maven): the headless chapter script skips it
#   output-varies     its output changes from run to run by nature (a timing): only "runs without
#                     error" is held, on both databases. Keep such cells rare and small.
DIALECT_SPECIFIC = "dialect-specific"
OUTPUT_VARIES = "output-varies"

# What is truly unstable between two runs and is therefore masked before comparing.
# Keep this list short: prefer making an output deterministic at its source.
SANITIZERS = [
    # IJava's tracebacks name the JShell snippet (#23:1), which depends on how many snippets ran before.
    (re.compile(r"\(#\d+:\d+\)"), "(#N:N)"),
    # MariaDB's driver numbers the server connection in its messages, "(conn=55) Cannot add ...":
    # the number depends on how many connections the server saw before.
    (re.compile(r"\(conn=\d+\)"), "(conn=N)"),
]


OUTPUTS = HOME / "notebooks" / "outputs"
DEFAULT_DATABASES = ["sqlite", "postgresql"]
ENV_VARS = {"postgresql": "WORKBOOK_PG_URL", "mariadb": "WORKBOOK_MARIADB_URL"}
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mariadb": "MariaDB"}


def databases_of(nb: nbformat.NotebookNode) -> list[str]:
    """The databases a notebook runs on: its metadata's workbook.databases, else SQLite and PostgreSQL."""
    return list(nb.metadata.get("workbook", {}).get("databases", DEFAULT_DATABASES))


def database_of(server_url: str | None) -> str:
    if not server_url:
        return "sqlite"
    return next(db for db, prefix in (("postgresql", "jdbc:postgresql:"), ("mariadb", "jdbc:mariadb:"))
                if server_url.startswith(prefix))


def kernel_env(server_url: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for var in ENV_VARS.values():
        env.pop(var, None)
    if server_url:
        env[ENV_VARS[database_of(server_url)]] = server_url
    env["WORKBOOK_HOME"] = str(HOME)
    return env


def execute(path: Path, server_url: str | None = None) -> nbformat.NotebookNode:
    """Executes a copy of the notebook top to bottom in a fresh kernel; raises on an unexpected error."""
    nb = nbformat.read(path, as_version=4)
    fresh = copy.deepcopy(nb)
    for cell in fresh.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    client = NotebookClient(fresh, kernel_name=KERNEL, timeout=CELL_TIMEOUT, allow_errors=False,
                            record_timing=False, resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=kernel_env(server_url))
    for cell in fresh.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    return fresh


def merge_streams(outputs: list) -> list:
    """Joins consecutive pieces of the same stream (IJava sends printf output in many small
    pieces); the order of streams and displays is kept."""
    merged: list = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def sanitize(text: str) -> str:
    for pattern, replacement in SANITIZERS:
        text = pattern.sub(replacement, text)
    return "\n".join(line.rstrip() for line in text.splitlines())


def normalize(outputs: list) -> list[str]:
    """The parts of a cell's outputs that a reader sees, as comparable text blocks."""
    blocks: list[str] = []
    last_stream = None
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            text = sanitize(out.get("text", ""))
            if last_stream == out.get("name") and blocks:
                blocks[-1] += "\n" + text
            else:
                blocks.append(f"[{out.get('name')}]\n{text}")
            last_stream = out.get("name")
            continue
        last_stream = None
        if kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            for mime in ("text/plain", "text/html", "text/markdown", "text/vnd.mermaid", "image/svg+xml"):
                # A diagram's SVG is its picture, drawn by `record` (tests/pictures.py), not by the kernel.
                if mime == "image/svg+xml" and "text/vnd.mermaid" in data:
                    continue
                if mime in data:
                    value = data[mime]
                    value = "".join(value) if isinstance(value, list) else value
                    blocks.append(f"[{mime}]\n{sanitize(value)}")
        elif kind == "error":
            blocks.append(f"[error]\n{out.get('ename')}: {sanitize(out.get('evalue', ''))}")
    return blocks


def beside(blocks: list[str]) -> list[str]:
    """What the page beside a notebook holds of a cell's output: everything but the HTML form of a
    table, which is a rendering of the same result as its text form (kept to stay readable)."""
    return [b for b in blocks if not b.startswith("[text/html]")]


def outputs_page(path: Path, database: str) -> Path:
    return OUTPUTS / f"{path.stem}.{database}.md"


CELL = re.compile(r"^<!-- cell (\d+) -->$.*?^`{4}output\n(.*?)^`{4}$", re.M | re.S)


def read_page(path: Path, database: str) -> dict[int, list[str]]:
    """{code cell number: its output blocks} from the page beside the notebook (empty if there is none)."""
    page = outputs_page(path, database)
    if not page.exists():
        return {}
    held = {}
    for number, body in CELL.findall(page.read_text(encoding="utf-8")):
        held[int(number)] = json.loads(body)
    return held


def expected(committed: nbformat.NotebookNode, path: Path, database: str) -> list[list[str] | None]:
    """For each code cell in order, the output blocks it must print on `database` (None: not held)."""
    page = read_page(path, database) if database != "sqlite" else {}
    out: list[list[str] | None] = []
    number = 0
    for cell in committed.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        tags = cell.get("metadata", {}).get("tags", [])
        if OUTPUT_VARIES in tags:
            out.append(None)
        elif database != "sqlite" and DIALECT_SPECIFIC in tags:
            out.append(page.get(number, ["(missing: re-record the notebook)"]))
        else:
            out.append(normalize(cell.outputs))
    return out


def differences(committed: nbformat.NotebookNode, fresh: nbformat.NotebookNode, database: str,
                path: Path | None = None) -> list[str]:
    """Human-readable differences between the held outputs and a fresh run's (empty when they agree)."""
    problems = []
    wanted = expected(committed, path, database) if path else [normalize(c.outputs) for c in committed.cells
                                                               if c.cell_type == "code"]
    code = [(old, new) for old, new in zip(committed.cells, fresh.cells) if old.cell_type == "code"]
    for number, ((old, new), want) in enumerate(zip(code, wanted), start=1):
        if want is None:
            continue
        tags = old.get("metadata", {}).get("tags", [])
        per_database = database != "sqlite" and DIALECT_SPECIFIC in tags
        got = beside(normalize(new.outputs)) if per_database else normalize(new.outputs)
        if want != got:
            first_line = old.source.strip().splitlines()[0] if old.source.strip() else ""
            where = f"notebooks/outputs/{path.stem}.{database}.md" if per_database else "the notebook"
            diff = "\n".join(difflib.unified_diff("\n".join(want).splitlines(), "\n".join(got).splitlines(),
                                                  where, "fresh run", lineterm="", n=2))
            problems.append(f"code cell {number} ({first_line[:60]}):\n{diff}")
    return problems


def section_of(cells: list, index: int) -> str:
    """The heading of the section a cell is in."""
    for cell in reversed(cells[:index]):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("## ") or line.startswith("### "):
                    return line.lstrip("# ").strip()
    return ""


def write_page(path: Path, committed: nbformat.NotebookNode, fresh: nbformat.NotebookNode, database: str) -> int:
    """Writes notebooks/outputs/NN-name.DATABASE.md: the dialect-specific cells as `database` printed them."""
    code = [(old, new) for old, new in zip(committed.cells, fresh.cells) if old.cell_type == "code"]
    held = {number: beside(normalize(new.outputs)) for number, (old, new) in enumerate(code, start=1)
            if DIALECT_SPECIFIC in old.get("metadata", {}).get("tags", [])}
    return render_page(path, committed, held, database)


def render_page(path: Path, committed: nbformat.NotebookNode, held: dict[int, list[str]], database: str) -> int:
    """Writes (or, with nothing held, removes) the page beside the notebook; returns the cells it holds."""
    page = outputs_page(path, database)
    if held:
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(page_text(path, committed, held, database), encoding="utf-8")
    elif page.exists():
        page.unlink()
    return len(held)


def page_text(path: Path, committed: nbformat.NotebookNode, held: dict[int, list[str]], database: str) -> str:
    """The page beside the notebook: for each held cell its code, what SQLite printed (the notebook's
    output) and what `database` printed, then the held form the tests compare."""
    name = NAMES[database]
    title = committed.cells[0].source.splitlines()[0].lstrip("# ").strip()
    lines = [f"# {title}: what {name} printed", "",
             f"The notebook [{path.name}](../{path.name}) shows what SQLite printed. The code cells below print",
             f"something else on {name}, because the SQL or the driver truly differs; this page shows, cell by",
             f"cell, what SQLite printed (as in the notebook) and what {name} printed. Every other cell prints the",
             f"same on every database, and the tests hold all of it: a fresh run of the notebook on {name} must",
             "print exactly what is here. Tables appear in their text form.",
             f"Re-recorded with `python3 workbook.py record notebooks/{path.name}`.", ""]
    number = 0
    for index, cell in enumerate(committed.cells):
        if cell.cell_type != "code":
            continue
        number += 1
        if number not in held:
            continue
        code = cell.source.strip().splitlines()
        shown = code[:12] + (["// ..."] if len(code) > 12 else [])
        lines += [f"<!-- cell {number} -->", f"## Cell {number} · {section_of(committed.cells, index)}", "",
                  "```java", *shown, "```", "",
                  "SQLite printed (the notebook):", "",
                  "````text", *"\n".join(beside(normalize(cell.outputs))).splitlines(), "````", "",
                  f"{name} printed:", "",
                  "````text", *"\n".join(held[number]).splitlines(), "````", "",
                  "<details><summary>as the tests hold it</summary>", "",
                  "````output", json.dumps(held[number], indent=1, ensure_ascii=False), "````", "",
                  "</details>", ""]
    return "\n".join(lines).rstrip() + "\n"


def record(path: Path, server_urls: dict[str, str] | None = None) -> None:
    """Executes the notebook on SQLite and writes its outputs back into the file; then on each other
    database it runs on, writes the page of its dialect-specific outputs, and fails if a cell that
    is not tagged prints something else there."""
    fresh = execute(path, server_url=None)
    count = 0
    for cell in fresh.cells:
        cell.get("metadata", {}).pop("execution", None)
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            for out in cell.outputs:
                if "execution_count" in out:
                    out["execution_count"] = count
    import pictures  # only recording draws pictures (it needs Chromium)
    drawn = pictures.add_pictures(fresh)
    if drawn:
        print(f"  {drawn} diagram(s) drawn as pictures", flush=True)
    nbformat.validate(fresh)
    nbformat.write(fresh, path)
    for database in databases_of(fresh):
        if database == "sqlite":
            continue
        url = (server_urls or {}).get(database)
        if not url:
            raise SystemExit(f"error: recording {path.name} on {NAMES[database]} needs a server")
        committed = nbformat.read(path, as_version=4)
        other = execute(path, server_url=url)
        held = write_page(path, committed, other, database)
        problems = differences(committed, other, database, path)
        print(f"  {NAMES[database]}: {held} cells kept in notebooks/outputs/{path.stem}.{database}.md", flush=True)
        if problems:
            raise SystemExit(f"error: on {NAMES[database]}, cells of {path.name} that are not tagged {DIALECT_SPECIFIC} "
                             "print something else: make the output the same, or tag the cell\n\n" + "\n\n".join(problems))


def servers_for(paths: list[Path]):
    """Starts the throwaway servers the notebooks need (or takes WORKBOOK_TEST_PG_URL / _MARIADB_URL)."""
    import contextlib
    import mariadbserver
    import pgserver
    needed = {d for p in paths for d in databases_of(nbformat.read(p, as_version=4))} - {"sqlite"}
    stack = contextlib.ExitStack()
    urls = {}
    if "postgresql" in needed:
        urls["postgresql"] = os.environ.get("WORKBOOK_TEST_PG_URL") or None
        if not urls["postgresql"]:
            server = pgserver.Server(pgserver.ensure_binaries())
            urls["postgresql"] = server.start()
            stack.callback(server.stop)
    if "mariadb" in needed:
        urls["mariadb"] = os.environ.get("WORKBOOK_TEST_MARIADB_URL") or None
        if not urls["mariadb"]:
            server = mariadbserver.Server(mariadbserver.ensure_binaries())
            urls["mariadb"] = server.start()
            stack.callback(server.stop)
    return stack, urls


if __name__ == "__main__":
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    paths = [Path(name).resolve() for name in sys.argv[1:]]
    stack, urls = servers_for(paths)
    with stack:
        for path in paths:
            print(f"recording {path.name}", flush=True)
            record(path, urls)
