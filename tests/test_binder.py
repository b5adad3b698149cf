"""Binder installs the workbook cleanly: repo2docker finds environment/ (through .binder), and
the pinned requirements install into Binder's own base environment without a dependency
conflict.

No Docker here, so the base environment is rebuilt from what repo2docker itself pins: its conda
lock file for the Python of environment/runtime.txt names the versions of the Jupyter packages
of Binder's base image (notebook 7.4.7 in repo2docker 2026.4.0, which needs jupyterlab < 4.5).
Those are installed from PyPI into a fresh virtual environment, then environment/requirements.txt
exactly as Binder installs it; pip must report no error and `pip check` no conflict.
"""
from __future__ import annotations

import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import HOME

REPO2DOCKER = "jupyter-repo2docker==2026.4.0"
# conda-forge names of the base image's packages whose PyPI names differ
PYPI_NAMES = {"jupyterhub-singleuser": "jupyterhub", "jupyter_server": "jupyter-server"}


def pip(python: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def binder_python(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("binder-env")
    venv.create(folder, with_pip=True)
    python = folder / "bin" / "python"
    result = pip(python, "install", "--quiet", REPO2DOCKER)
    assert result.returncode == 0, result.stdout + result.stderr
    return python


def base_packages(python: Path) -> list[str]:
    """The Jupyter packages of Binder's base image, at the versions repo2docker's lock pins."""
    runtime = (HOME / "environment" / "runtime.txt").read_text().strip()
    version = re.fullmatch(r"python-(3\.\d+)", runtime).group(1)
    root = Path(subprocess.run([str(python), "-c", "import repo2docker, os; print(os.path.dirname(repo2docker.__file__))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    conda = root / "buildpacks" / "conda"
    wanted = re.findall(r"^- ([A-Za-z0-9_.\-]+)==", (conda / f"environment.py-{version}.yml").read_text(), re.M)
    lock = (conda / f"environment.py-{version}-linux-64.lock").read_text()
    packages = []
    for name in wanted:
        found = re.search(rf"/{re.escape(name)}-(\d[^-/]*)-[^-/]+\.(?:conda|tar\.bz2)", lock)
        assert found, f"{name} is not in repo2docker's lock file"
        packages.append(f"{PYPI_NAMES.get(name, name)}=={found.group(1)}")
    return packages


def test_repo2docker_uses_the_environment_folder(binder_python):
    result = subprocess.run([str(binder_python.parent / "repo2docker"), "--no-build", "--debug", str(HOME)],
                            capture_output=True, text=True, timeout=300)
    dockerfile = result.stdout + result.stderr
    apt = (HOME / "environment" / "apt.txt").read_text().split()
    runtime = (HOME / "environment" / "runtime.txt").read_text().strip().replace("python-", "python=")
    for found in (".binder/requirements.txt", ".binder/postBuild", *apt, runtime):
        assert found in dockerfile, f"repo2docker's Dockerfile does not use {found}:\n{dockerfile[-3000:]}"


def test_requirements_install_cleanly_over_binders_base(binder_python):
    base = base_packages(binder_python)
    assert any(p.startswith("notebook==") for p in base) and any(p.startswith("jupyterlab==") for p in base)
    result = pip(binder_python, "install", "--quiet", *base)
    assert result.returncode == 0, f"the base image's packages {base} did not install:\n{result.stderr[-3000:]}"
    # what Binder runs after its base image: pip install -r requirements.txt
    result = pip(binder_python, "install", "-r", str(HOME / "environment" / "requirements.txt"))
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout + result.stderr
    assert "ERROR" not in output, "pip reported, installing environment/requirements.txt over Binder's base image " \
                                  f"({', '.join(base)}):\n" + output[output.index("ERROR"):][:3000]
    check = pip(binder_python, "check")
    assert check.returncode == 0, "pip check over Binder's base image:\n" + check.stdout + check.stderr
