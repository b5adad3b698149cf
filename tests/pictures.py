"""Pictures of a notebook's Mermaid diagrams, for readers whose viewer draws no Mermaid.

A cell that calls `diagram(...)` sends a `text/vnd.mermaid` output (with the diagram's text as its
`text/plain` fallback): JupyterLab 4 draws it, also in a notebook it does not trust. GitHub draws
no Mermaid inside notebooks, so `record` adds to each such output the picture JupyterLab itself
would save there: an `image/svg+xml` drawn by the same Mermaid release JupyterLab ships, in
Debian's Chromium (driven by Playwright). The output's metadata keeps the SHA-256 of the text it
was drawn from, so that the tests can tell a picture that no longer matches its diagram.
"""
from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.request
from pathlib import Path

import browser

HOME = Path(__file__).resolve().parents[1]
MERMAID_MIME = "text/vnd.mermaid"
SVG_MIME = "image/svg+xml"
# The Mermaid release JupyterLab 4.6 ships, from the npm registry, checked against its integrity hash.
MERMAID_VERSION = "11.16.1"
MERMAID_URL = f"https://registry.npmjs.org/mermaid/-/mermaid-{MERMAID_VERSION}.tgz"
MERMAID_SHA512 = "TQsq6u22fAn3rek5VOubrhKPo1g5hwC3FXUN9hiyupTckcYiGuuKGkNQrKYwGJkXUxZdojwRG46gsSCFZMDp4g=="
MERMAID_JS = HOME / ".workbook" / "npm" / f"mermaid-{MERMAID_VERSION}.min.js"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_of(value) -> str:
    return "".join(value) if isinstance(value, list) else value


def mermaid_js() -> Path:
    """Mermaid's browser bundle, downloaded once into .workbook/npm/."""
    if MERMAID_JS.exists():
        return MERMAID_JS
    print(f"  downloading mermaid {MERMAID_VERSION} from the npm registry", flush=True)
    with urllib.request.urlopen(MERMAID_URL, timeout=120) as response:
        archive = response.read()
    got = base64.b64encode(hashlib.sha512(archive).digest()).decode()
    if got != MERMAID_SHA512:
        raise SystemExit(f"error: {MERMAID_URL} does not match its pinned sha512 (got {got})")
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        script = tar.extractfile("package/dist/mermaid.min.js").read()
    MERMAID_JS.parent.mkdir(parents=True, exist_ok=True)
    partial = MERMAID_JS.with_suffix(".part")
    partial.write_bytes(script)
    partial.replace(MERMAID_JS)
    return MERMAID_JS


def diagram_outputs(nb) -> list:
    """The outputs of a notebook that hold a Mermaid diagram."""
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])
            if MERMAID_MIME in out.get("data", {})]


def draw(texts: list[str]) -> list[str]:
    """Each Mermaid text drawn as SVG, in one headless Chromium."""
    script = mermaid_js()
    with browser.chromium() as chromium:
        page = chromium.new_page()
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(path=str(script))
        page.evaluate("""() => mermaid.initialize({startOnLoad: false, securityLevel: 'strict',
                         theme: 'default', htmlLabels: false, er: {useMaxWidth: false}})""")
        svgs = []
        for number, text in enumerate(texts):
            svgs.append(page.evaluate("async ([id, text]) => (await mermaid.render(id, text)).svg",
                                      [f"diagram-{number + 1}", text]))
        return svgs


def add_pictures(nb) -> int:
    """Adds (or renews) the SVG picture of every Mermaid output; returns how many it drew."""
    outputs = [out for out in diagram_outputs(nb)
               if out.get("metadata", {}).get("workbook", {}).get("drawn_from") != digest(text_of(out["data"][MERMAID_MIME]))
               or SVG_MIME not in out["data"]]
    if not outputs:
        return 0
    svgs = draw([text_of(out["data"][MERMAID_MIME]) for out in outputs])
    for out, svg in zip(outputs, svgs):
        out["data"][SVG_MIME] = svg
        out.setdefault("metadata", {})["workbook"] = {"drawn_from": digest(text_of(out["data"][MERMAID_MIME]))}
    return len(outputs)


def stale_pictures(nb) -> list[str]:
    """Problems with the pictures of a notebook's diagrams (empty when each matches its text)."""
    problems = []
    for number, out in enumerate(diagram_outputs(nb), start=1):
        text = text_of(out["data"][MERMAID_MIME])
        if SVG_MIME not in out["data"]:
            problems.append(f"diagram {number} has no picture")
        elif out.get("metadata", {}).get("workbook", {}).get("drawn_from") != digest(text):
            problems.append(f"diagram {number}'s picture was drawn from another text")
        elif not text_of(out["data"][SVG_MIME]).lstrip().startswith("<svg"):
            problems.append(f"diagram {number}'s picture is not an SVG")
    return problems
