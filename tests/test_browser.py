"""What a learner sees in JupyterLab, checked in a real browser (Debian's Chromium, driven by
Playwright; see tests/browser.py).

`python3 workbook.py lab` is started as the README starts it, on a copy of notebooks/ (so that
nothing the browser does is saved into the workbook), with fresh Jupyter data and settings
folders: every notebook is untrusted, as in a fresh clone or on Binder. For each chapter below
the test opens it, checks that the kernel shows "Idle" before any cell runs, that the committed
outputs render (tables as tables, charts and diagrams as pictures, diagrams large enough to
read), then runs all cells and checks the same again, with no error output beyond what the
committed notebook has. Screenshots of what it saw are kept in .workbook/screenshots/
(git-ignored) for a person to look at.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import browser
from conftest import HOME
from test_lab import free_port

SCREENSHOTS = HOME / ".workbook" / "screenshots"
TOKEN = "workbook-browser-test"
# Chapter 1: result tables; chapter 8: Mermaid diagrams; chapter 13: benchmark charts.
CHAPTERS = ["01-introduction.ipynb", "08-metadata-and-reflection.ipynb", "13-optimization-and-performance.ipynb"]
KERNEL_STATUS = ".jp-StatusBar-TextItem"
# Mermaid draws text 16 px high; JupyterLab shrinks a wide picture to the notebook's width.
MIN_DIAGRAM_SCALE = 0.6


def committed_counts(path: Path) -> dict[str, int]:
    """What the committed notebook holds: tables, charts, diagrams, stderr and error outputs."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    counts = {"tables": 0, "charts": 0, "diagrams": 0, "stderr": 0}
    for cell in nb["cells"]:
        last_stream = None
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            html = "".join(data.get("text/html", ""))
            if "text/vnd.mermaid" in data:
                counts["diagrams"] += 1
            elif html.startswith("<img src=\"data:image/svg+xml"):
                counts["charts"] += 1
            elif "<table" in html:
                counts["tables"] += 1
            if out.get("output_type") == "error":
                counts["stderr"] += 1
            # JupyterLab shows consecutive stderr stream outputs as one
            if out.get("output_type") == "stream" and out.get("name") == "stderr" and last_stream != "stderr":
                counts["stderr"] += 1
            last_stream = out.get("name") if out.get("output_type") == "stream" else None
    return counts


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab as `python3 workbook.py lab` starts it, on a copy of the notebooks."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(HOME / "notebooks", root / "notebooks")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBOOK_")}
    for name in ("JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        env[name] = str(tmp_path_factory.mktemp(name.lower()))
    port = free_port()
    server = subprocess.Popen([sys.executable, "workbook.py", "lab", "--no-browser", f"--port={port}",
                               "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
                               f"--ServerApp.root_dir={root}"],
                              cwd=HOME, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.time() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + (server.stdout.read() if server.poll() is not None else ""))
                time.sleep(1)
        with browser.chromium() as chromium:
            yield base, chromium
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)   # workbook.py, the server and its kernels
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


def kernel_status(page) -> str:
    texts = [t for t in page.locator(KERNEL_STATUS).all_inner_texts() if "Java (workbook)" in t]
    return texts[0] if texts else ""


def wait_for(condition, seconds: float, what: str):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"not within {seconds:.0f} s: {what}")


def rendered(page) -> dict:
    """What the page shows: tables, charts and diagrams drawn, diagram scales, stderr outputs."""
    return page.evaluate("""() => {
        const outputs = '.jp-OutputArea-output';
        const drawn = img => img.complete && img.naturalWidth > 0;
        const charts = [...document.querySelectorAll(outputs + ' img[src^="data:image/svg+xml"]')];
        const diagrams = [...document.querySelectorAll(outputs + '.jp-RenderedMermaid img, ' + outputs + ' .jp-RenderedMermaid img')];
        const left = [...document.querySelectorAll(outputs + ' td[align="left"]')];
        const right = [...document.querySelectorAll(outputs + ' td[align="right"]')];
        return {
            tables: document.querySelectorAll(outputs + ' table').length,
            charts: charts.filter(drawn).length,
            diagrams: diagrams.filter(drawn).length,
            scales: diagrams.filter(drawn).map(img => img.getBoundingClientRect().width / img.naturalWidth),
            stderr: document.querySelectorAll(outputs + '[data-mime-type="application/vnd.jupyter.stderr"]').length,
            svgFallbacks: document.querySelectorAll(outputs + '[data-mime-type="image/svg+xml"]').length,
            misaligned: left.filter(td => getComputedStyle(td).textAlign !== 'left').length
                      + right.filter(td => getComputedStyle(td).textAlign !== 'right').length,
            aligned: left.length + right.length,
            prompts: [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim()),
        };
    }""")


def check_rendering(seen: dict, expected: dict, when: str) -> None:
    # JupyterLab renders cells lazily as they scroll into view (windowing), so at least one of
    # each kind the notebook holds must be drawn; the page is scrolled through first.
    for kind in ("tables", "charts", "diagrams"):
        if expected[kind]:
            assert seen[kind] >= 1, f"{when}: no {kind} drawn, {expected[kind]} in the notebook"
    assert seen["svgFallbacks"] == 0, f"{when}: {seen['svgFallbacks']} SVG outputs not drawn (untrusted)"
    assert seen["misaligned"] == 0, f"{when}: {seen['misaligned']} table cells not aligned as their column"
    if expected["tables"]:
        assert seen["aligned"] > 0, f"{when}: no table cell carries an alignment"
    for scale in seen["scales"]:
        assert scale >= MIN_DIAGRAM_SCALE, f"{when}: a diagram is shrunk to {scale:.2f} of its size: its text is unreadable"


def scroll_through(page, shots: str | None = None) -> dict:
    """Scrolls the notebook from top to bottom (so that every output is rendered) and returns
    the union of what was seen; with `shots`, keeps a screenshot of the first chart or diagram."""
    total = {"tables": 0, "charts": 0, "diagrams": 0, "stderr": 0, "svgFallbacks": 0, "misaligned": 0,
             "aligned": 0, "scales": []}
    scroller = ".jp-WindowedPanel-outer"
    page.evaluate(f"() => document.querySelector('{scroller}').scrollTo(0, 0)")
    shot_taken = False
    for _ in range(400):
        seen = rendered(page)
        for key in ("tables", "charts", "diagrams", "stderr", "svgFallbacks", "misaligned", "aligned"):
            total[key] = max(total[key], seen[key]) if key in ("tables", "charts", "diagrams", "stderr") else total[key] + seen[key]
        total["scales"] += seen["scales"]
        if shots and not shot_taken and (seen["charts"] or seen["diagrams"]):
            target = page.locator(".jp-OutputArea-output img").first
            target.scroll_into_view_if_needed()
            page.wait_for_timeout(300)
            page.screenshot(path=str(SCREENSHOTS / f"{shots}-picture.png"))
            shot_taken = True
        at_end = page.evaluate(f"""() => {{ const s = document.querySelector('{scroller}');
            const end = s.scrollTop + s.clientHeight >= s.scrollHeight - 2; s.scrollBy(0, s.clientHeight * 0.8); return end; }}""")
        page.wait_for_timeout(150)
        if at_end:
            break
    return total


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_renders_and_runs_in_jupyterlab(lab, chapter: str):
    base, chromium = lab
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = Path(chapter).stem
    expected = committed_counts(HOME / "notebooks" / chapter)
    page = chromium.new_page(viewport={"width": 1280, "height": 1000})
    try:
        page.goto(f"{base}/lab/tree/notebooks/{chapter}?token={TOKEN}&reset")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        # The kernel is known to be idle as soon as it is up, before any cell runs.
        status = wait_for(lambda: "Idle" in kernel_status(page) and kernel_status(page), 90,
                          f"the kernel status of {chapter} to show Idle (it shows {kernel_status(page)!r})")
        assert "Unknown" not in status
        # No pop-up (Jupyter news, updates) over the notebook.
        assert page.locator(".jp-toast-container .Toastify__toast").count() == 0, "a notification covers the notebook"
        page.screenshot(path=str(SCREENSHOTS / f"{stem}-opened.png"))
        check_rendering(scroll_through(page, shots=f"{stem}-opened"), expected, f"{chapter} as committed")

        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        started = time.time()
        # Run All is finished when no prompt shows [*] or is empty, and the kernel is idle.
        def finished():
            prompts = rendered(page)["prompts"]
            return (prompts and all(p not in ("[*]:", "[ ]:", "") for p in prompts)
                    and "Idle" in kernel_status(page))
        wait_for(finished, 600, f"Run All of {chapter} to finish")
        seconds = time.time() - started
        seen = scroll_through(page, shots=f"{stem}-run")
        page.screenshot(path=str(SCREENSHOTS / f"{stem}-run.png"))
        check_rendering(seen, expected, f"{chapter} after Run All ({seconds:.0f} s)")
        assert seen["stderr"] <= expected["stderr"], (
            f"{chapter}: {seen['stderr']} error or stderr outputs after Run All, {expected['stderr']} in the committed notebook")
    finally:
        page.close()


def test_the_kernel_has_its_logos(lab):
    base, _ = lab
    with urllib.request.urlopen(f"{base}/api/kernelspecs?token={TOKEN}", timeout=10) as r:
        resources = json.load(r)["kernelspecs"]["java-workbook"]["resources"]
    for name, kind in (("logo-svg", b"<svg"), ("logo-64x64", b"\x89PNG"), ("logo-32x32", b"\x89PNG")):
        assert name in resources, f"the kernel has no {name}"
        with urllib.request.urlopen(f"{base}{resources[name]}?token={TOKEN}", timeout=10) as r:
            assert kind in r.read(200), f"{name} is not an image"
