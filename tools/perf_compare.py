"""The Python side of `jbang perf@. SUITE --compare` (tools/Perf.java calls this; stdlib + pip only).

    perf_compare.py setup
        Installs environment/requirements-compare.txt (SQLAlchemy, psycopg2) into this Python if
        missing, and unpacks examples/performance from SQLAlchemy's source distribution on PyPI
        into .workbook/sqlalchemy-examples/.
    perf_compare.py sqlalchemy SUITE TEST JDBC_URL NUM WARMUP RUNS
        Runs SQLAlchemy's own test (`python -m examples.performance SUITE --test TEST`), one process
        per run as DESIGN.md advises, and prints the median of its reported "total time" in seconds.
    perf_compare.py native JDBC_URL NUM WARMUP RUNS
        The native floor for bulk_inserts: the same rows through Python's sqlite3 executemany (SQLite)
        or psycopg2's COPY FROM STDIN (PostgreSQL). Prints "name seconds" lines (medians).
"""
from __future__ import annotations

import io
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.parse
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent
REQUIREMENTS = HOME / "environment" / "requirements-compare.txt"
EXAMPLES = HOME / ".workbook" / "sqlalchemy-examples"


def pinned(package: str) -> str:
    for line in REQUIREMENTS.read_text().splitlines():
        if line.lower().startswith(package.lower() + "=="):
            return line.split("==", 1)[1].strip()
    raise SystemExit(f"error: {package} is not pinned in {REQUIREMENTS.relative_to(HOME)}")


def setup() -> None:
    version = pinned("SQLAlchemy")
    try:
        import sqlalchemy  # noqa: F401
        import psycopg2  # noqa: F401
        ok = sqlalchemy.__version__ == version
    except ImportError:
        ok = False
    if not ok:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-r", str(REQUIREMENTS)], check=True, stdout=sys.stderr)
    marker = EXAMPLES / f"version-{version}"
    if marker.exists():
        return
    with tempfile.TemporaryDirectory() as tmp:
        sdist = download_sdist("SQLAlchemy", version, Path(tmp))
        shutil.rmtree(EXAMPLES, ignore_errors=True)
        EXAMPLES.mkdir(parents=True)
        with tarfile.open(sdist) as tar:
            for member in tar.getmembers():
                parts = Path(member.name).parts
                if len(parts) >= 3 and parts[1] == "examples" and (parts[2] == "__init__.py" or parts[2] == "performance"):
                    member.name = str(Path(*parts[1:]))
                    tar.extract(member, EXAMPLES, filter="data") if hasattr(tarfile, "data_filter") else tar.extract(member, EXAMPLES)
    if not (EXAMPLES / "examples" / "performance" / "__init__.py").exists():
        raise SystemExit("error: SQLAlchemy's source distribution has no examples/performance")
    marker.write_text(version + "\n")


def download_sdist(package: str, version: str, folder: Path) -> Path:
    """The source distribution of package==version, straight from the package index (PyPI's simple
    API, or PIP_INDEX_URL's, names the file and its SHA-256). Not `pip download --no-binary`, which
    also builds the package's build dependencies (Cython) from source: minutes of silence for a
    file that is only unpacked."""
    import hashlib
    import json
    import os
    import urllib.request
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/")
    request = urllib.request.Request(f"{index}/{package.lower()}/",
                                     headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    name = f"{package.lower()}-{version}.tar.gz"
    sdist = next((f for f in files if f["filename"].lower() == name), None)
    if sdist is None:
        raise SystemExit(f"error: {index} has no source distribution {name}")
    print(f"downloading {sdist['filename']} from {index} (for its examples/performance)", file=sys.stderr, flush=True)
    target = folder / sdist["filename"]
    with urllib.request.urlopen(urllib.parse.urljoin(f"{index}/{package.lower()}/", sdist["url"]), timeout=300) as response:
        target.write_bytes(response.read())
    if hashlib.sha256(target.read_bytes()).hexdigest() != sdist["hashes"]["sha256"]:
        raise SystemExit(f"error: {sdist['filename']} does not match the SHA-256 the index gives for it")
    return target


def parse_jdbc(url: str) -> tuple[str, dict]:
    """jdbc:sqlite:PATH or jdbc:postgresql://host:port/db?user=..&password=.. -> (kind, parts)."""
    if url.startswith("jdbc:sqlite:"):
        path = url[len("jdbc:sqlite:"):].split("?", 1)[0]
        return "sqlite", {"path": str((HOME / path).resolve()) if not path.startswith("/") else path}
    if url.startswith("jdbc:postgresql://"):
        rest = urllib.parse.urlsplit(url[len("jdbc:"):])
        query = dict(urllib.parse.parse_qsl(rest.query))
        return "postgresql", {"host": rest.hostname or "localhost", "port": rest.port or 5432,
                              "dbname": rest.path.lstrip("/"), "user": query.get("user", ""),
                              "password": query.get("password", "")}
    raise SystemExit(f"error: cannot compare on {url.split('?')[0]}: use a jdbc:sqlite: or jdbc:postgresql: URL")


def sqlalchemy_url(url: str) -> str:
    kind, p = parse_jdbc(url)
    if kind == "sqlite":
        return "sqlite:///" + p["path"]
    auth = urllib.parse.quote(p["user"], safe="")
    if p["password"]:
        auth += ":" + urllib.parse.quote(p["password"], safe="")
    return f"postgresql+psycopg2://{auth}@{p['host']}:{p['port']}/{p['dbname']}"


def run_sqlalchemy(suite: str, test: str, url: str, num: int, warmup: int, runs: int) -> float:
    times = []
    for run in range(warmup + runs):
        out = subprocess.run([sys.executable, "-m", "examples.performance", suite, "--test", test,
                              "--dburl", sqlalchemy_url(url), "--num", str(num)],
                             cwd=EXAMPLES, capture_output=True, text=True, timeout=3600)
        match = re.search(r"total time ([0-9.]+) sec", out.stdout)
        if out.returncode != 0 or not match:
            sys.stderr.write(out.stdout[-2000:] + out.stderr[-2000:])
            raise SystemExit(f"error: SQLAlchemy's {suite} {test} failed (exit {out.returncode})")
        if run >= warmup:
            times.append(float(match.group(1)))
    return statistics.median(times)


def rows(num: int):
    return [("customer name %d" % i, "customer description %d" % i) for i in range(num)]


def native(url: str, num: int, warmup: int, runs: int) -> dict[str, float]:
    kind, p = parse_jdbc(url)
    times: list[float] = []
    data = rows(num)
    if kind == "sqlite":
        import sqlite3
        name = "python_sqlite3_executemany"
        for run in range(warmup + runs):
            conn = sqlite3.connect(p["path"])
            conn.execute("drop table if exists customer")
            conn.execute("create table customer (id integer not null primary key, name varchar(255), description varchar(255))")
            conn.commit()
            start = time.perf_counter()
            conn.executemany("insert into customer (name, description) values (?, ?)", data)
            conn.commit()
            elapsed = time.perf_counter() - start
            assert conn.execute("select count(*) from customer").fetchone()[0] == num
            conn.close()
            if run >= warmup:
                times.append(elapsed)
    else:
        import psycopg2
        name = "psycopg2_copy_from_stdin"
        text = "".join(f"{a}\t{b}\n" for a, b in data)
        for run in range(warmup + runs):
            conn = psycopg2.connect(host=p["host"], port=p["port"], dbname=p["dbname"], user=p["user"] or None,
                                    password=p["password"] or None)
            cur = conn.cursor()
            cur.execute("drop table if exists customer")
            cur.execute("create table customer (id integer generated by default as identity primary key,"
                        " name varchar(255), description varchar(255))")
            conn.commit()
            start = time.perf_counter()
            cur.copy_expert("copy customer (name, description) from stdin", io.StringIO(text))
            conn.commit()
            elapsed = time.perf_counter() - start
            cur.execute("select count(*) from customer")
            assert cur.fetchone()[0] == num
            conn.close()
            if run >= warmup:
                times.append(elapsed)
    return {name: statistics.median(times)}


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command, args = argv[0], argv[1:]
    if command == "setup":
        setup()
    elif command == "sqlalchemy":
        suite, test, url, num, warmup, runs = args
        print("%.6f" % run_sqlalchemy(suite, test, url, int(num), int(warmup), int(runs)))
    elif command == "native":
        url, num, warmup, runs = args
        for name, seconds in native(url, int(num), int(warmup), int(runs)).items():
            print(f"{name} {seconds:.6f}")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
