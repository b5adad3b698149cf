"""Measures the setup and run times that the workbook promises, and prints them as a table.

    python3 tests/timings.py          warm: install re-run, kernel start, each chapter
    python3 tests/timings.py --cold   also a cold setup: a fresh clone of HEAD, no pip cache

A measurement, not a test: times depend on the machine and the network. Run it with the
workbook's Python environment (`.venv/bin/python tests/timings.py`).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HOME = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HOME / "tests"))
import nbrun  # noqa: E402


def timed(label: str, rows: list, fn) -> None:
    start = time.perf_counter()
    fn()
    rows.append((label, time.perf_counter() - start))
    print(f"  {label}: {rows[-1][1]:.1f} s", flush=True)


def cold_setup() -> None:
    with tempfile.TemporaryDirectory(prefix="workbook-cold-") as tmp:
        clone = Path(tmp) / "workbook"
        subprocess.run(["git", "clone", "-q", str(HOME), str(clone)], check=True)
        env = dict(os.environ, PIP_NO_CACHE_DIR="1")
        for key in ("JBANG_DIR", "JBANG_REPO", "WORKBOOK_HOME"):
            env.pop(key, None)
        subprocess.run(["python3", "workbook.py", "install"], cwd=clone, env=env,
                       check=True, stdout=subprocess.DEVNULL)


def kernel_first_result() -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    client = NotebookClient(nb, kernel_name=nbrun.KERNEL, timeout=120)
    client.execute(env=nbrun.kernel_env(None))
    assert nb.cells[0].outputs[0]["data"]["text/plain"] == "2"


def main() -> None:
    rows: list = []
    if "--cold" in sys.argv:
        timed("cold setup (fresh clone, empty caches)", rows, cold_setup)
    timed("warm re-run of `python3 workbook.py install`", rows,
          lambda: subprocess.run(["python3", "workbook.py", "install"], cwd=HOME, check=True, stdout=subprocess.DEVNULL))
    timed("Java kernel: start to first cell result", rows, kernel_first_result)
    total = 0.0
    for notebook in sorted((HOME / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        timed(f"execute {notebook.name} (fresh kernel, SQLite)", rows, lambda: nbrun.execute(notebook))
        total += rows[-1][1]
    rows.append(("all chapters", total))
    width = max(len(label) for label, _ in rows)
    print(f"\n| {'measurement'.ljust(width)} | seconds |\n|{'-' * (width + 2)}|---------|")
    for label, seconds in rows:
        print(f"| {label.ljust(width)} | {seconds:7.1f} |")


if __name__ == "__main__":
    main()
