"""The project's own promises: one place for library versions, a Binder setup that finds
environment/, a README whose generated lists and test command are true."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import readme_sections
from conftest import HOME

DEP = re.compile(r"^//DEPS\s+(.+)$", re.M)
PINNED_MAVEN = re.compile(r"^// %maven\s+(\S+)", re.M)
MAGIC_MAVEN = re.compile(r"^%maven\s+(\S+)", re.M)


def coordinates(spec: str) -> tuple[str, str]:
    parts = spec.split(":")
    assert len(parts) >= 3, f"{spec}: give group:artifact:version"
    return ":".join(parts[:2]), parts[2]


def pinned() -> dict[str, str]:
    source = (HOME / "workbook" / "Workbook.java").read_text()
    specs = [s for line in DEP.findall(source) for s in line.split()] + PINNED_MAVEN.findall(source)
    return dict(coordinates(s) for s in specs)


def java_files() -> list[Path]:
    skip = {".workbook", ".venv", ".git"}
    return [p for p in HOME.rglob("*.java") if not skip & set(p.relative_to(HOME).parts)]


def test_versions_have_one_source():
    versions = pinned()
    assert versions["org.jooq:jooq"] == "3.19.39"  # newer jOOQ needs Java 21, the workbook targets 17
    for artifact, version in versions.items():
        assert re.fullmatch(r"[0-9][0-9A-Za-z.\-]*", version), f"{artifact}: pin an exact version, not {version}"
    used = []
    for path in java_files():
        if path.name == "Workbook.java" and path.parent.name == "workbook":
            continue
        used += [(path.name, s) for line in DEP.findall(path.read_text()) for s in line.split()]
    for path in sorted((HOME / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        used += [(path.name, s) for c in nb.cells if c.cell_type == "code" for s in MAGIC_MAVEN.findall(c.source)]
    for where, spec in used:
        artifact, version = coordinates(spec)
        assert artifact in versions, f"{where} uses {artifact}, which workbook/Workbook.java does not pin"
        assert version == versions[artifact], f"{where} uses {spec}; workbook/Workbook.java pins {versions[artifact]}"


def test_scripts_share_the_helper_by_sources():
    for path in (HOME / "tools").glob("*.java"):
        assert "//SOURCES ../workbook/Workbook.java" in path.read_text(), path.name


def test_binder_finds_environment():
    binder = HOME / ".binder"
    assert binder.is_symlink() and os.readlink(binder) == "environment"
    env = HOME / "environment"
    assert "openjdk-17-jdk-headless" in (env / "apt.txt").read_text().split()
    post_build = (env / "postBuild").read_text()
    assert os.access(env / "postBuild", os.X_OK)
    assert "python3 workbook.py install --no-venv" in post_build


def test_requirements_are_pinned():
    lines = [l.strip() for l in (HOME / "environment" / "requirements.txt").read_text().splitlines()]
    packages = [l for l in lines if l and not l.startswith("#")]
    assert packages and all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][0-9A-Za-z.]*", p) for p in packages), packages


def test_ci_runs_the_readme_test_command():
    readme = (HOME / "README.md").read_text()
    assert "python3 workbook.py test" in readme and "python3 workbook.py lab" in readme
    ci = (HOME / ".ci" / "run").read_text()
    assert re.search(r"^python3 workbook.py test$", ci, re.M)


def test_readme_lists_are_generated_and_current():
    readme = (HOME / "README.md").read_text()
    for name in readme_sections.SECTIONS:
        assert f"<!-- begin generated: {name} -->" in readme
    assert readme_sections.render(readme) == readme, "run `python3 tests/readme_sections.py` to refresh README.md"
    for notebook in (HOME / "notebooks").glob("[0-9][0-9]-*.ipynb"):
        assert f"](notebooks/{notebook.name})" in readme, f"{notebook.name} is not in the README's chapter list"
    for alias in json.loads((HOME / "jbang-catalog.json").read_text())["aliases"]:
        assert f"| `{alias}@.` |" in readme, f"alias {alias} is not in the README's list"


def test_data_readme_documents_every_column():
    doc = (HOME / "data" / "README.md").read_text()
    for csv_file in sorted((HOME / "data").glob("*.csv")):
        assert f"`{csv_file.name}`" in doc, csv_file.name
        header = csv_file.read_text(encoding="utf-8").splitlines()[0].split(",")
        section = doc.split(f"`{csv_file.name}`", 1)[1].split("\n## ", 1)[0]
        for column in header:
            assert f"`{column}`" in section, f"{csv_file.name}: column {column} is not documented"


# A method, class, record, interface or enum header at the start of a line (any indentation).
DEFINITION = re.compile(r"^[ \t]*(?:(?:public|private|protected|static|final|abstract|default)\s+)*"
                        r"(?:(?:class|record|interface|enum)\s+(\w+)[^;{]*|[\w<>\[\], ?.]+\s+(\w+)\s*\([^;{]*\)\s*"
                        r"(?:throws [\w., ]+)?)\{", re.M)
NOT_NAMES = {"if", "for", "while", "switch", "catch", "try", "synchronized", "else", "return", "new"}


def definitions(source: str):
    """(name, normalized text) of every method and type defined in a cell: its header and body
    with comments and whitespace removed, found by matching braces."""
    for m in DEFINITION.finditer(source):
        name = m.group(1) or m.group(2)
        if name in NOT_NAMES:
            continue
        depth, end = 0, None
        for i in range(m.end() - 1, len(source)):
            depth += {"{": 1, "}": -1}.get(source[i], 0)
            if depth == 0:
                end = i + 1
                break
        if end is None:
            continue
        text = re.sub(r"//[^\n]*|/\*.*?\*/", "", source[m.start():end], flags=re.S)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) >= 4:     # a one-liner or a two-line getter may honestly recur
            yield name, " ".join(lines)


def test_no_definition_is_copied_between_notebooks():
    """Code lives once: a method or class written out in two notebooks belongs in the helper API
    (workbook/), where both can call it. (`duplicates` does not read notebooks; this does.)"""
    seen: dict[str, tuple[str, str]] = {}
    copies = []
    for notebook in sorted((HOME / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            for name, text in definitions(cell.source):
                first = seen.setdefault(text, (notebook.name, name))
                if first[0] != notebook.name:
                    copies.append(f"{name} in {notebook.name} repeats {first[1]} of {first[0]}")
    assert not copies, "move these into the helper API (workbook/) and call them:\n" + "\n".join(sorted(set(copies)))


def test_the_copy_check_finds_a_copy():
    """The check above can fail: the helpers that chapters 6, 10, 11 and 12 once each defined are found."""
    cell = ("String causes(Throwable e) {\n    List<String> names = new ArrayList<>();\n"
            "    for (Throwable t = e; t != null; t = t.getCause()) names.add(t.getClass().getSimpleName());\n"
            "    return String.join(\" <- \", names);\n}\n")
    assert [name for name, _ in definitions(cell)] == ["causes"]
    assert list(definitions(cell)) == list(definitions("// a comment\n" + cell.replace("    ", "  ")))


@pytest.mark.parametrize("args, message", [
    (["tset"], "error: unknown command 'tset': use one of install, lab, test, record, jbang, kernel --user, help"),
    (["kernel"], "error: kernel takes --user: python3 workbook.py kernel --user"),
])
def test_workbook_py_names_an_unknown_command(args, message):
    run = subprocess.run([sys.executable, str(HOME / "workbook.py"), *args], capture_output=True, text=True)
    assert run.returncode == 2 and run.stderr.strip() == message and run.stdout == ""
