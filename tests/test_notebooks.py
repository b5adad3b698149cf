"""Every chapter notebook runs top to bottom in a fresh Java kernel on each database it runs on
(SQLite and PostgreSQL; MariaDB where its metadata says so) and prints what is held: the
notebook's committed outputs, and for cells tagged dialect-specific on a server database, the
page beside it in notebooks/outputs/."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

import nbrun
from conftest import HOME

NOTEBOOKS = sorted((HOME / "notebooks").glob("[0-9][0-9]-*.ipynb"))
RUNS = [(notebook, database) for notebook in NOTEBOOKS
        for database in nbrun.databases_of(nbformat.read(notebook, as_version=4))]


def test_there_are_chapters():
    assert len(NOTEBOOKS) >= 3, "notebooks/ should hold chapters 01-03 at least"


@pytest.mark.parametrize("notebook,database", RUNS, ids=[f"{n.stem}-{d}" for n, d in RUNS])
def test_notebook_runs_and_matches_committed_outputs(notebook: Path, database: str, server_url_for):
    url = server_url_for(database)
    committed = nbformat.read(notebook, as_version=4)
    fresh = nbrun.execute(notebook, server_url=url)
    problems = nbrun.differences(committed, fresh, database, notebook)
    assert not problems, f"{notebook.name} on {database}: outputs differ from the held ones " \
                         f"(re-record with `python3 workbook.py record {notebook.relative_to(HOME)}` " \
                         f"if the change is intended):\n\n" + "\n\n".join(problems)


@pytest.mark.parametrize("notebook,database", [r for r in RUNS if r[1] != "sqlite"],
                         ids=[f"{n.stem}-{d}" for n, d in RUNS if d != "sqlite"])
def test_every_dialect_specific_cell_is_held_beside_the_notebook(notebook: Path, database: str):
    """No cell is left unheld: each dialect-specific cell has its output on the page beside the
    notebook, the page holds no cell that is not tagged, and the chapter links to the page."""
    nb = nbformat.read(notebook, as_version=4)
    tagged = {number for number, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), start=1)
              if nbrun.DIALECT_SPECIFIC in cell.get("metadata", {}).get("tags", [])}
    held = set(nbrun.read_page(notebook, database))
    assert held == tagged, f"cells tagged but not held: {sorted(tagged - held)}, held but not tagged: {sorted(held - tagged)}"
    if tagged:
        page = f"outputs/{notebook.stem}.{database}.md"
        assert any(page in c.source for c in nb.cells if c.cell_type == "markdown"), f"link {page} from the chapter"
        # what a reader sees on the page (code, SQLite's output) follows the notebook: re-record if not
        text = nbrun.outputs_page(notebook, database).read_text(encoding="utf-8")
        for unstable in ("/root/", "/tmp/", "/work/", "/home/"):
            assert unstable not in text, f"a machine path ({unstable}) is in {page}"
        assert not re.search(r"(127\.0\.0\.1|localhost):(?!1\b)\d+", text), f"a test server's port is in {page}"
        assert text == nbrun.page_text(notebook, nb, nbrun.read_page(notebook, database), database), \
            f"{page} is out of date with the notebook: python3 workbook.py record notebooks/{notebook.name}"


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
def test_outputs_render_for_every_reader(notebook: Path):
    """What JupyterLab draws in a notebook it does not trust (a fresh clone, Binder) and what
    GitHub shows: no SVG output without its HTML form, each Mermaid diagram with a picture drawn
    from the text it prints now, tables with NULL rather than jOOQ's {null}."""
    nb = nbformat.read(notebook, as_version=4)
    for number, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), start=1):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/svg+xml" in data and "text/vnd.mermaid" not in data:
                assert "text/html" in data, f"code cell {number}: an SVG output without its HTML form (not drawn untrusted)"
            text = "".join(data.get("text/plain", "")) + "".join(data.get("text/html", "")) + "".join(out.get("text", ""))
            assert "{null}" not in text, f"code cell {number}: jOOQ's {{null}} in a table (Show prints NULL)"
    import pictures
    problems = pictures.stale_pictures(nb)
    assert not problems, f"{notebook.name}: " + "; ".join(problems) + \
        f" (python3 workbook.py record notebooks/{notebook.name} draws them)"


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
