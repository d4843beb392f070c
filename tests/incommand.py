"""``scrapy COMMAND ARGS`` in the test process, for the commands that start no crawler (``extract``,
``reextract``, ``validate``): the same entry code as the command line (``scrapy.cmdline.execute``, from
the project root), its stdout and stderr captured and its ``SystemExit`` turned into the exit code.
A Python start-up per call was most of what these tests cost; a subprocess stays where the process
boundary is the point (tests/harness.py)."""

from __future__ import annotations

import io
import os
import subprocess
from contextlib import redirect_stderr, redirect_stdout

from scrapy.cmdline import execute

from scrapers.commands.program import set_program
from tests.harness import ROOT


def scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    """What ``python -m scrapy ARGS`` run from the project root exits with and prints."""
    out, err = io.StringIO(), io.StringIO()
    cwd, module = os.getcwd(), os.environ.get("SCRAPY_SETTINGS_MODULE")
    os.environ["SCRAPY_SETTINGS_MODULE"] = "scrapers.settings"
    set_program("scrapy")
    os.chdir(ROOT)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                execute(["scrapy", *args])
                code = 0
            except SystemExit as done:
                if isinstance(done.code, str):  # sys.exit(message): Python prints it and exits 1
                    print(done.code, file=err)
                code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    finally:
        os.chdir(cwd)
        if module is None:
            os.environ.pop("SCRAPY_SETTINGS_MODULE", None)
        else:
            os.environ["SCRAPY_SETTINGS_MODULE"] = module
    return subprocess.CompletedProcess(["scrapy", *args], code, out.getvalue(), err.getvalue())
