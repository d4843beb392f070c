"""A crawl stopped by a signal before it could close: Ctrl-C (or SIGTERM, Scrapyd's cancel) a second
time makes Scrapy stop the reactor at once, so the spider never closes, no ``finish_reason`` is set and
nothing is published. The operator still gets one line saying what was written, where it is, and the
command that recovers it. The first signal gets a line too: at ``presswire``'s WARNING level Scrapy's
own "shutting down gracefully" message is not shown."""

from __future__ import annotations

import signal
import sys
from typing import Any

from scrapy.settings import BaseSettings

from ..jobs.files import partial_path
from ..jobs.run import Run
from .program import program

# 128 + the signal's number, as a shell reports a command a signal ended (Ctrl-C: 130, SIGTERM: 143)
EXIT_SIGNAL_BASE = 128


class SignalWatch:
    """Notes the signals Scrapy's ``CrawlerProcess`` acts on: its first (graceful) and second (forced) stop."""

    def __init__(self, process: Any, jobdir: str | None) -> None:
        self.jobdir = jobdir
        self.forced: int | None = None  # the signal that forced the stop, if one did
        graceful, kill = getattr(process, "_signal_shutdown", None), getattr(process, "_signal_kill", None)
        if graceful is None or kill is None:  # another Scrapy: its own messages only
            return

        def on_first(signum: int, frame: Any) -> None:
            graceful(signum, frame)
            from twisted.internet import reactor

            # printing in a signal handler could interrupt a write to the same stream: do it in the reactor
            reactor.callFromThread(self._say_stopping, signum)

        def on_second(signum: int, frame: Any) -> None:
            self.forced = signum
            kill(signum, frame)

        process._signal_shutdown = on_first  # Scrapy installs its handlers by these attributes
        process._signal_kill = on_second
        from twisted.internet import reactor

        # A closed terminal (SIGHUP) killed the crawl on the spot, publishing nothing: close it as Ctrl-C does
        reactor.callWhenRunning(self._on_hangup, on_first)

    @staticmethod
    def _on_hangup(graceful: Any) -> None:
        def hangup(signum: int, frame: Any) -> None:
            signal.signal(signal.SIGHUP, signal.SIG_IGN)  # once: a second one must not stop it twice
            graceful(signum, frame)

        if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) == signal.SIG_DFL:  # not under nohup
            signal.signal(signal.SIGHUP, hangup)

    def _say_stopping(self, signum: int) -> None:
        # a JOBDIR job stopped cleanly is not published: its queue and partial dump wait for the resume
        doing = (f"keeping the job in JOBDIR={self.jobdir} for the same command to resume" if self.jobdir
                 else "publishing what was written")
        again = ("" if signum == getattr(signal, "SIGHUP", None)
                 else " (the same signal again stops at once, publishing nothing)")
        try:
            print(f"{program()} crawl: {signal_name(signum)}: closing the crawl, {doing}{again}", file=sys.stderr,
                  flush=True)
        except OSError:  # the terminal that hung up
            pass


def signal_name(signum: int) -> str:
    name = signal.Signals(signum).name
    return "Ctrl-C (SIGINT)" if name == "SIGINT" else name


def stopped_line(run: Run, settings: BaseSettings, signum: int | None) -> str:
    """What a crawl stopped before it closed wrote, where, and how to get it back."""
    how = f"stopped by a second {signal_name(signum)}" if signum else "stopped"
    written = run.counts.written
    files = run.files
    if files is None:  # JSONL_ENABLED=0: no dump of our own
        return f"{how} before the crawl closed: {written} articles handed to the item pipelines, no dump written"
    if files.manifest.exists():  # stopped after publication, before the engine closed
        return f"{how} after the crawl published {files.dump} ({written} articles): nothing is lost"
    part = partial_path(files.dump)
    jobdir = settings.get("JOBDIR")
    if jobdir:
        again = (f"to resume, run the same command with the same -s JOBDIR={jobdir}: it keeps these "
                 f"{written} and fetches the rest")
    else:
        again = ("run the same command again: the incremental store did not count these articles, so they are "
                 "fetched again (with -s JOBDIR=DIR a later stop can be resumed)")
    return (f"{how} before the crawl closed: {written} articles written to the partial dump {part}, nothing "
            f"published; {again}")


def resume_hint(finish_reason: str | None, settings: BaseSettings) -> str:
    """After one Ctrl-C a JOBDIR job is kept, not published (scrapers/jobs/extension.py): say how it goes on."""
    jobdir = settings.get("JOBDIR")
    if finish_reason != "shutdown" or not jobdir:
        return ""
    return (f"; nothing published yet: the job waits in JOBDIR={jobdir}, run the same command with it to resume")


def exit_code(signum: int | None) -> int:
    return EXIT_SIGNAL_BASE + signum if signum else 1
