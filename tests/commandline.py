"""The project's commands (``scrapy CMD``, ``presswire CMD``) run in the test process: the same entry
function the console script calls, its stdout, stderr and exit code captured.

A subprocess costs a Python start and Scrapy's imports (about 1.2 s of CPU) for each case; most command
tests check what the command prints and its exit code, which need no process of their own. A command that
crawls (``crawl``, ``capture``, ``new-site``, ``explain``) gets, in place of Scrapy's ``CrawlerProcess``,
one that runs its crawls on the session's reactor thread (tests/inprocess.py): Twisted's reactor runs once
per process. Everything else is the command's own code: its checks, its summary line, its exit code.
What needs a process of its own stays a subprocess (``subprocess_command``): a kill, a signal, the
install, a process-wide limit.

Run in-process, a command sees what a fresh process would: the working folder and the environment the
test gives (restored afterwards), the settings module read again when ``PRESSWIRE_SITES_DIR`` changed
(scrapers/settings.py reads it at import), no logging handler but Scrapy's, the program name put back.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import importlib
import io
import logging
import os
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_MODULE = "scrapers.settings"
CRAWL_TIMEOUT = 300  # seconds


class Completed(subprocess.CompletedProcess[str]):
    """What ``subprocess.run(..., capture_output=True, text=True)`` gives, for a command run either way."""

    @property
    def log(self) -> str:
        """Both streams, as tests/harness.py's log of a crawl subprocess holds them."""
        return self.stdout + self.stderr


class SessionCrawlerProcess:
    """Scrapy's ``AsyncCrawlerProcess`` for a command run in the test process: the same logging set-up, its
    crawls on the session's reactor thread; ``start`` waits for them (no signal handlers: not a main thread)."""

    def __init__(self, settings: Any, install_root_handler: bool | None = None) -> None:
        from scrapy.crawler import AsyncCrawlerRunner
        from scrapy.utils.log import configure_logging, log_scrapy_info

        from tests.inprocess import reactor_thread

        self.settings = settings
        configure_logging(settings, install_root_handler)
        log_scrapy_info(settings)
        self._reactor = reactor_thread()
        self._ended: list[threading.Event] = []
        self._runner: AsyncCrawlerRunner = self._on_reactor(lambda: AsyncCrawlerRunner(settings))

    def _on_reactor(self, call: Any) -> Any:
        done: concurrent.futures.Future[Any] = concurrent.futures.Future()

        def run() -> None:
            try:
                done.set_result(call())
            except BaseException as error:  # handed to the calling thread
                done.set_exception(error)

        self._reactor.reactor.callFromThread(run)
        return done.result(timeout=60)

    @property
    def bootstrap_failed(self) -> bool:
        return self._runner.bootstrap_failed

    @property
    def crawlers(self) -> Any:
        return self._runner.crawlers

    def create_crawler(self, crawler_or_spidercls: Any) -> Any:
        return self._on_reactor(lambda: self._runner.create_crawler(crawler_or_spidercls))

    def crawl(self, crawler_or_spidercls: Any, *args: Any, **kwargs: Any) -> concurrent.futures.Future[None]:
        """Like ``AsyncCrawlerProcess.crawl``: something with ``add_done_callback``, ``cancelled`` and
        ``exception``, as the task it returns has."""
        finished: concurrent.futures.Future[None] = concurrent.futures.Future()
        ended = threading.Event()  # set once the command's own callbacks on ``finished`` have run

        def start() -> None:
            task = self._runner.crawl(crawler_or_spidercls, *args, **kwargs)

            def copy(task: Any) -> None:
                if task.cancelled():
                    finished.cancel()
                elif task.exception() is not None:
                    finished.set_exception(task.exception())
                else:
                    finished.set_result(None)
                ended.set()

            task.add_done_callback(copy)

        self._on_reactor(start)
        self._ended.append(ended)
        return finished

    def start(self, *args: Any, **kwargs: Any) -> None:
        for ended in self._ended:
            if not ended.wait(timeout=CRAWL_TIMEOUT):
                raise AssertionError(f"a crawl of the command did not end within {CRAWL_TIMEOUT}s")


@contextlib.contextmanager
def _environment(cwd: Path, env: Mapping[str, str | None]) -> Iterator[None]:
    saved_cwd, saved_env = os.getcwd(), dict(os.environ)
    os.chdir(cwd)
    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        _reread_settings()
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        _reread_settings()


def _reread_settings() -> None:
    """scrapers/settings.py reads PRESSWIRE_SITES_DIR when imported: a new process would see the new value."""
    module = sys.modules.get(SETTINGS_MODULE)
    if module is not None and module.SITES_DIR != (os.environ.get("PRESSWIRE_SITES_DIR") or None):
        importlib.reload(module)


@contextlib.contextmanager
def _logging_restored() -> Iterator[None]:
    from scrapy.utils import log as scrapy_log

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    root.handlers[:] = []  # as in a new process: pytest's capture handlers are not Scrapy's logging
    root.setLevel(logging.WARNING)
    try:
        yield
    finally:
        handler = scrapy_log._scrapy_root_handler
        scrapy_log._uninstall_scrapy_root_handler()
        if handler is not None:
            handler.close()  # a LOG_FILE's file
        root.handlers[:] = handlers
        root.setLevel(level)


def run_command(*args: str, cwd: Path = ROOT, env: Mapping[str, str | None] | None = None,
                program: str = "scrapy") -> Completed:
    """``scrapy ARGS`` (or ``presswire ARGS``: ``scrapers.commands.cli.main``) in this process, from ``cwd``.
    ``env`` sets (a value) or removes (None) environment variables for the command's time."""
    from scrapy import cmdline

    from scrapers.commands import cli
    from scrapers.commands.program import set_program

    if program == "scrapy":
        # as the subprocess tests give it: scrapy's project commands also work outside the repository
        env = {"SCRAPY_SETTINGS_MODULE": SETTINGS_MODULE, **(env or {})}
    # text streams over bytes, as sys.stdout is: a command may write bytes to sys.stdout.buffer
    stdout, stderr = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="replace", write_through=True)
                      for _ in range(2))
    code: int
    with (_environment(cwd, env or {}), _logging_restored(),
          mock.patch.object(cmdline, "CrawlerProcess", SessionCrawlerProcess),
          mock.patch.object(cmdline, "AsyncCrawlerProcess", SessionCrawlerProcess),
          contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr)):
        try:
            if program == "presswire":
                code = cli.main(list(args))
            else:
                cmdline.execute([program, *args])
                code = 0
        except SystemExit as done:
            if isinstance(done.code, str):  # sys.exit(message): Python prints it and exits 1
                print(done.code, file=sys.stderr)
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        except BaseException:  # what Python prints for an uncaught exception, and its exit code
            traceback.print_exc(file=stderr)
            code = 1
        finally:
            set_program("scrapy")
    return Completed([program, *args], code, _text(stdout), _text(stderr))


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8", "replace")  # type: ignore[attr-defined]


def subprocess_command(*args: str, cwd: Path = ROOT, env: Mapping[str, str | None] | None = None,
                       program: str = "scrapy", timeout: float = 180) -> Completed:
    """The same command in a process of its own (``python -m scrapy`` or ``python -m scrapers.commands.cli``)."""
    environ = {**os.environ, "PYTHONPATH": str(ROOT)}
    if program == "scrapy":
        environ["SCRAPY_SETTINGS_MODULE"] = SETTINGS_MODULE
    for name, value in (env or {}).items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    module = "scrapy" if program == "scrapy" else "scrapers.commands.cli"
    proc = subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=environ, capture_output=True,
                          text=True, timeout=timeout)
    return Completed([program, *args], proc.returncode, proc.stdout, proc.stderr)


def crawl_command(root: Path, *args: str, settings: Mapping[str, str] | None = None,
                  env: Mapping[str, str | None] | None = None) -> Completed:
    """``scrapy crawl ARGS`` with tests/harness.py's settings and ``JSONL_ROOT=root``, in this process."""
    from tests.harness import TEST_SETTINGS

    root.mkdir(parents=True, exist_ok=True)
    flags = [flag for name, value in {**TEST_SETTINGS, "JSONL_ROOT": str(root), **(settings or {})}.items()
             for flag in ("-s", f"{name}={value}")]
    return run_command("crawl", *args, *flags, env=env)
