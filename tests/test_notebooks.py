"""Every chapter notebook runs top to bottom in a fresh Java kernel, on SQLite and on
PostgreSQL, and shows what its committed outputs show."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

import nbrun
from conftest import DATABASES, HOME

NOTEBOOKS = sorted((HOME / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def test_there_are_chapters():
    assert len(NOTEBOOKS) >= 3, "notebooks/ should hold chapters 01-03 at least"


@pytest.mark.parametrize("database", DATABASES)
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_matches_committed_outputs(notebook: Path, database: str, pg_url_lazy):
    url = pg_url_lazy(database)
    committed = nbformat.read(notebook, as_version=4)
    fresh = nbrun.execute(notebook, pg_url=url)
    problems = nbrun.differences(committed, fresh, database)
    assert not problems, f"{notebook.name} on {database}: outputs differ from the committed ones " \
                         f"(re-record with `python3 workbook.py record {notebook.relative_to(HOME)}` " \
                         f"if the change is intended):\n\n" + "\n\n".join(problems)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_executed_and_clean(notebook: Path):
    nb = nbformat.read(notebook, as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == nbrun.KERNEL
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "run it top to bottom and commit its outputs"
    assert not any("execution" in c.get("metadata", {}) for c in nb.cells), "nbclient timestamps left in metadata"
    text = notebook.read_text()
    for unstable in ("/root/", "/tmp/", "/work/", "/home/"):
        assert unstable not in text, f"a machine path ({unstable}) is in {notebook.name}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_follows_the_chapter_template(notebook: Path):
    """The shape every chapter shares (shared/DESIGN.md, "A chapter")."""
    nb = nbformat.read(notebook, as_version=4)
    number = int(notebook.name[:2])
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith(f"# Chapter {number} · ")
    assert "**Learning goals**" in nb.cells[0].source
    mapping = [m for m in markdown if m.startswith("## SQLAlchemy → Java")]
    assert mapping and mapping[0].count("\n|") >= 4, "a SQLAlchemy → Java table with a few rows"
    headings = [line for m in markdown for line in m.splitlines() if line.startswith("## ")]
    sections = [h for h in headings if h.startswith(f"## {number}.")]
    assert len(sections) >= 3, "one section per curriculum topic"
    for heading in ("## Pitfalls", "## Exercises", "## Summary"):
        assert heading in headings, f"missing {heading}"
    assert headings.index("## Pitfalls") < headings.index("## Exercises") < headings.index("## Summary")
    for m in markdown:
        if m.startswith(f"## {number}."):
            assert "*Layer:" in m, f"{m.splitlines()[0]}: say which layer (JDBC, jOOQ, Hibernate) it is about"
    assert sum(m.count("**Try this:**") for m in markdown) >= len(sections)
    solutions = [m for m in markdown if m.startswith("### Solution to exercise")]
    assert 2 <= len(solutions) <= 4
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.startswith("### Solution to exercise"):
            assert nb.cells[i + 1].cell_type == "code", "each solution is a code cell that the tests run"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_local_links_resolve(notebook: Path):
    """Links to other chapters, images and files of the repository point at files that exist."""
    import re
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for target in re.findall(r"\]\(([^)\s]+)\)", cell.source):
            if "://" in target or target.startswith("#"):
                continue
            assert (notebook.parent / target.split("#")[0]).exists(), f"{notebook.name}: broken link {target}"
