"""Fault injection for tests: ``PRESSWIRE_FAULT_KILL_AT=POINT`` kills the process at a named point.

The points are the transitions of a job (docs/jobs.md): ``closing``, ``pending_recorded``,
``dump_published``, ``failures_published``, ``manifest_temp``, ``manifest_published``,
``store_committed``, and ``article_written:N`` (after the Nth line of the dump). SIGKILL, not an
exception: nothing of ours runs after it, exactly as after an OOM kill or a power cut
(``PRESSWIRE_FAULT_SIGNAL=SIGINT`` sends Ctrl-C's signal instead).
"""

from __future__ import annotations

import os
import signal

ENV = "PRESSWIRE_FAULT_KILL_AT"
# SIGINT instead: the Ctrl-C of an operator, at a point a test can name
SIGNAL_ENV = "PRESSWIRE_FAULT_SIGNAL"


def kill_point(point: str, count: int | None = None) -> None:
    """SIGKILL this process when the environment names this point (and count, for ``POINT:N``)."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name == point and (not nth or count == int(nth)):
        os.kill(os.getpid(), signal.SIGINT if os.environ.get(SIGNAL_ENV) == "SIGINT" else signal.SIGKILL)
