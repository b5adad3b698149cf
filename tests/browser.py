"""Debian's Chromium, driven by Playwright: the real browser of the JupyterLab test and of the
pictures of Mermaid diagrams.

Never a downloaded browser: Playwright's own browser downloads come from a vendor site (not
reachable here, and not what a learner's distribution ships). As root on a machine with apt,
Chromium is installed from Debian's packages on first use; Playwright (pinned in
environment/requirements-browser.txt) is installed into the Python that runs the tests.
"""
from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

HOME = Path(__file__).resolve().parents[1]
REQUIREMENTS = HOME / "environment" / "requirements-browser.txt"
CHROMIUM_NAMES = ("chromium", "chromium-browser")


def log(message: str) -> None:
    print(f"[browser] {message}", file=sys.stderr, flush=True)


def chromium_path() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing Chromium from Debian's packages (apt-get install chromium)")
        quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=quiet, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
                       check=True, env=quiet, stdout=subprocess.DEVNULL)
        for name in CHROMIUM_NAMES:
            found = shutil.which(name)
            if found:
                return found
    raise RuntimeError("no Chromium found: install your distribution's package "
                       "(for example `apt install chromium`) and run this again")


def playwright():
    """Playwright's sync API, installed from environment/requirements-browser.txt if missing."""
    try:
        return importlib.import_module("playwright.sync_api")
    except ImportError:
        log(f"installing Playwright ({REQUIREMENTS.name})")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-r", str(REQUIREMENTS)], check=True)
        importlib.invalidate_caches()
        return importlib.import_module("playwright.sync_api")


@contextlib.contextmanager
def chromium():
    """A headless Debian Chromium under Playwright, closed afterwards."""
    executable = chromium_path()
    api = playwright()
    with api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True)
        try:
            yield browser
        finally:
            browser.close()
