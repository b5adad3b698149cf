"""The README's first command: `python3 workbook.py lab` starts JupyterLab on notebooks/ with
the Java kernel registered (checked through the server's REST API, then stopped)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import HOME


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_starts_with_the_java_kernel():
    port, token = free_port(), "workbook-test-token"
    lab = subprocess.Popen([sys.executable, "workbook.py", "lab", "--no-browser", f"--port={port}",
                            "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}"],
                           cwd=HOME, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           start_new_session=True)
    try:
        specs = None
        deadline = time.time() + 120
        while time.time() < deadline and specs is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kernelspecs?token={token}", timeout=5) as r:
                    specs = json.load(r)
            except OSError:
                if lab.poll() is not None:
                    break
                time.sleep(1)
        assert specs is not None, "JupyterLab did not answer:\n" + (lab.stdout.read() if lab.poll() is not None else "")
        spec = specs["kernelspecs"]["java-workbook"]["spec"]
        assert spec["language"] == "java" and spec["display_name"] == "Java (workbook)"
        assert spec["argv"][1].endswith("environment/kernel/launch.py")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents/notebooks?token={token}", timeout=10) as r:
            names = {item["name"] for item in json.load(r)["content"]}
        assert "01-introduction.ipynb" in names
    finally:
        os.killpg(lab.pid, signal.SIGTERM)   # workbook.py and the server it started
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
