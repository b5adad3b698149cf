"""Runs notebooks in a fresh Java kernel through Jupyter's own machinery (nbclient), and
compares their outputs with the committed ones.

Used by the tests and by `python3 workbook.py record NOTEBOOK...`, which re-executes a
notebook on SQLite and saves its outputs (what readers see on GitHub).
"""
from __future__ import annotations

import copy
import difflib
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
#   dialect-specific  its output differs by database: on PostgreSQL only "runs without error" is held
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
]


def kernel_env(pg_url: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("WORKBOOK_PG_URL", None)
    if pg_url:
        env["WORKBOOK_PG_URL"] = pg_url
    env["WORKBOOK_HOME"] = str(HOME)
    return env


def execute(path: Path, pg_url: str | None = None) -> nbformat.NotebookNode:
    """Executes a copy of the notebook top to bottom in a fresh kernel; raises on an unexpected error."""
    nb = nbformat.read(path, as_version=4)
    fresh = copy.deepcopy(nb)
    for cell in fresh.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    client = NotebookClient(fresh, kernel_name=KERNEL, timeout=CELL_TIMEOUT, allow_errors=False,
                            record_timing=False, resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=kernel_env(pg_url))
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


def _sanitize(text: str) -> str:
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
            text = _sanitize(out.get("text", ""))
            if last_stream == out.get("name") and blocks:
                blocks[-1] += "\n" + text
            else:
                blocks.append(f"[{out.get('name')}]\n{text}")
            last_stream = out.get("name")
            continue
        last_stream = None
        if kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            for mime in ("text/plain", "text/html", "text/markdown", "image/svg+xml"):
                if mime in data:
                    value = data[mime]
                    value = "".join(value) if isinstance(value, list) else value
                    blocks.append(f"[{mime}]\n{_sanitize(value)}")
        elif kind == "error":
            blocks.append(f"[error]\n{out.get('ename')}: {_sanitize(out.get('evalue', ''))}")
    return blocks


def differences(committed: nbformat.NotebookNode, fresh: nbformat.NotebookNode, database: str) -> list[str]:
    """Human-readable differences between committed and fresh outputs (empty when they agree)."""
    problems = []
    number = 0
    for old, new in zip(committed.cells, fresh.cells):
        if old.cell_type != "code":
            continue
        number += 1
        tags = old.get("metadata", {}).get("tags", [])
        if OUTPUT_VARIES in tags or (database != "sqlite" and DIALECT_SPECIFIC in tags):
            continue
        want, got = normalize(old.outputs), normalize(new.outputs)
        if want != got:
            first_line = old.source.strip().splitlines()[0] if old.source.strip() else ""
            diff = "\n".join(difflib.unified_diff("\n".join(want).splitlines(), "\n".join(got).splitlines(),
                                                  "committed", "fresh run", lineterm="", n=2))
            problems.append(f"code cell {number} ({first_line[:60]}):\n{diff}")
    return problems


def record(path: Path) -> None:
    """Executes the notebook on SQLite and writes its outputs back into the file."""
    fresh = execute(path, pg_url=None)
    count = 0
    for cell in fresh.cells:
        cell.get("metadata", {}).pop("execution", None)
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            for out in cell.outputs:
                if "execution_count" in out:
                    out["execution_count"] = count
    nbformat.validate(fresh)
    nbformat.write(fresh, path)


if __name__ == "__main__":
    import sys
    for name in sys.argv[1:]:
        print(f"recording {name}", flush=True)
        record(Path(name).resolve())
