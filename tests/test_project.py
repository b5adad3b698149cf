"""The project's own promises: one place for library versions, a Binder setup that finds
environment/, a README whose generated lists and test command are true."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import nbformat

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
