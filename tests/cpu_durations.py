"""``pytest --cpu-durations=N``: the N tests that cost the most CPU, and the CPU per file.

Wall time says little on a shared machine (a test waits for cores, for timers, for a server); the CPU a
test costs is what decides how long the whole suite takes on a given number of cores. Counted: this
process (its threads: the in-process reactor, the local HTTP servers) and every child process it waited
for (the subprocess crawls, redis-server, the browser), setup and teardown included. Works under xdist:
each worker measures its own tests and the numbers travel with the reports.
"""

from __future__ import annotations

import resource
from collections import defaultdict
from collections.abc import Generator
from typing import Any

import pytest

KEY = "cpu_seconds"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--cpu-durations", type=int, default=None, metavar="N",
                     help="show the N tests that used the most CPU (0: all) and the CPU per file")
    parser.addoption("--cpu-log", default=None, metavar="FILE",
                     help="with --cpu-durations: also append 'SECONDS NODEID PHASE' to FILE as each phase ends")


def _cpu() -> float:
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Generator[None, Any, None]:
    outcome = yield
    if item.config.getoption("cpu_durations") is None:
        return
    report = outcome.get_result()
    started = getattr(item, "_cpu_started", None)
    now = _cpu()
    if started is not None:
        report.user_properties.append((KEY, now - started))
    item._cpu_started = now  # type: ignore[attr-defined]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.config.getoption("cpu_durations") is not None:
        item._cpu_started = _cpu()  # type: ignore[attr-defined]


class _Collector:
    def __init__(self, log: str | None) -> None:
        self.per_test: dict[str, float] = defaultdict(float)
        self.log = log

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == KEY:
                self.per_test[report.nodeid] += value
                if self.log:
                    with open(self.log, "a", encoding="utf-8") as log:
                        log.write(f"{value:.3f} {report.nodeid} {report.when}\n")

    def pytest_terminal_summary(self, terminalreporter: Any, config: pytest.Config) -> None:
        shown = config.getoption("cpu_durations")
        tests = sorted(self.per_test.items(), key=lambda kv: -kv[1])
        per_file: dict[str, float] = defaultdict(float)
        for nodeid, seconds in tests:
            per_file[nodeid.split("::")[0]] += seconds
        write = terminalreporter.write_line
        terminalreporter.section("CPU per file (this process + waited-for children)")
        for path, seconds in sorted(per_file.items(), key=lambda kv: -kv[1]):
            write(f"{seconds:8.2f}s {path}")
        write(f"{sum(per_file.values()):8.2f}s total")
        terminalreporter.section(f"slowest {shown or 'all'} tests by CPU")
        for nodeid, seconds in tests[:shown or None]:
            write(f"{seconds:8.2f}s {nodeid}")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("cpu_durations") is not None:
        config.pluginmanager.register(_Collector(config.getoption("cpu_log")), "cpu-durations-collector")
