"""The README's chapter and alias lists, generated from the notebooks and the catalog so that
they are never typed twice. `python3 tests/readme_sections.py` rewrites them in README.md;
tests/test_project.py fails when they are out of date."""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

HOME = Path(__file__).resolve().parents[1]


def chapters() -> str:
    lines = ["| # | Chapter | Notebook | Headless |", "|---|---|---|---|"]
    for path in sorted((HOME / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        title = nb.cells[0].source.splitlines()[0].lstrip("# ").strip()
        title = re.sub(r"^Chapter \d+\s*[·:.-]\s*", "", title)
        number = path.name[:2]
        lines.append(f"| {int(number)} | {title} | [{path.name}](notebooks/{path.name}) | `jbang ch{number}@.` |")
    return "\n".join(lines)


def aliases() -> str:
    catalog = json.loads((HOME / "jbang-catalog.json").read_text())
    lines = ["| Alias | What it does |", "|---|---|"]
    for name, alias in catalog["aliases"].items():
        lines.append(f"| `{name}@.` | {alias['description']} |")
    return "\n".join(lines)


SECTIONS = {"chapters": chapters, "aliases": aliases}


def render(readme: str) -> str:
    for name, make in SECTIONS.items():
        pattern = re.compile(rf"(<!-- begin generated: {name} -->\n)(?:.*?\n)?(<!-- end generated: {name} -->)", re.S)
        readme = pattern.sub(lambda m: m.group(1) + make() + "\n" + m.group(2), readme)
    return readme


if __name__ == "__main__":
    path = HOME / "README.md"
    path.write_text(render(path.read_text()))
