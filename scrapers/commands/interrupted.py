"""A batch command (``extract`` of pages or WARCs, ``reextract``) stopped by a signal: Ctrl-C, SIGTERM (a
service manager's stop, ``kill``) or SIGHUP (the terminal closed).

Python's own answer to Ctrl-C inside ``asyncio.run`` is a traceback and a ``.part`` file left behind;
SIGTERM and SIGHUP killed the command on the spot. Here the extraction loop stops at its next ``await``
(so a record is never half written and the counts match the lines), the pages in flight are dropped,
the extraction workers are stopped, and the command says in one line what it kept. Its exit code is
128 + the signal's number, as a shell reports a command a signal ended (Ctrl-C: 130, SIGTERM: 143).
A command that only reads, or writes atomically (``validate``, ``export``, ``health``), needs no stop of its
own: ``ctrl_c_is_one_line`` turns its Ctrl-C into one line and the same exit code.
"""

from __future__ import annotations

import asyncio
import functools
import signal
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from .program import program
from .stopped import exit_code, signal_name

T = TypeVar("T")

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class Interrupted(Exception):
    """The run was stopped by ``signum`` before its last page."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal_name(signum))
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return exit_code(self.signum)

    @property
    def finish_reason(self) -> str:
        """Scrapy's word for a crawl a signal closed, as a crawl's manifest has it."""
        return "shutdown"


def run_interruptible(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)``, stopped at its next ``await`` by the first of STOP_SIGNALS: raises
    Interrupted. A signal that is ignored (SIGHUP under ``nohup``) stays ignored; a second signal while
    the loop winds down changes nothing."""

    async def guarded() -> T:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None
        received: list[int] = []

        def stop(signum: int) -> None:
            if not received:
                received.append(signum)
                task.cancel()

        watched = [s for s in STOP_SIGNALS if signal.getsignal(s) is not signal.SIG_IGN]
        for signum in watched:
            loop.add_signal_handler(signum, stop, signum)
        try:
            return await main
        except asyncio.CancelledError:
            if received:
                raise Interrupted(received[0]) from None
            raise
        finally:
            for signum in watched:
                loop.remove_signal_handler(signum)

    return asyncio.run(guarded())


Method = TypeVar("Method", bound=Callable[..., None])


def ctrl_c_is_one_line(command: str) -> Callable[[Method], Method]:
    """For the ``run`` of a command that reads, or writes only atomically (``validate``, ``export``,
    ``health``): Ctrl-C ends it with one line and exit 130, not Python's ``KeyboardInterrupt`` traceback."""

    def decorate(run: Method) -> Method:
        @functools.wraps(run)
        def guarded(*args: Any, **kwargs: Any) -> None:
            try:
                run(*args, **kwargs)
            except KeyboardInterrupt:
                print(f"{program()} {command}: {signal_name(signal.SIGINT)}: stopped", file=sys.stderr)
                raise SystemExit(exit_code(signal.SIGINT)) from None
        return guarded  # type: ignore[return-value]

    return decorate
