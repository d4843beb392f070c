"""scrapy health [ROOT] [--html FILE]: every site's last run against its normal, from the history the crawls
kept in ROOT's incremental store (default ``JSONL_ROOT``), as one table on stdout and one static HTML page
(default ``ROOT/health.html``; docs/health.md).

Exit codes: 0 the report is written; 1 the page cannot be written; 2 usage (no such folder, no store or no
run kept in it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand

from ..health.measure import merge_blocks
from ..health.normal import Thresholds
from ..health.report import SiteRun, page, table
from ..incremental.store import SeenStore, StoreUnusable
from ..jobs.files import write_atomically
from .interrupted import ctrl_c_is_one_line
from .program import one_line_errors, typed

EXIT_FAILED = 1
EXIT_USAGE = 2


class Command(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[ROOT] [--html FILE]"

    def short_desc(self) -> str:
        return "Site health: each site's last run against its normal (a table, and an HTML page of charts)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "health")
        parser.add_argument("--html", metavar="FILE", help="where the HTML page goes (default ROOT/health.html)")

    @ctrl_c_is_one_line("health")
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if len(args) > 1:
            self._fail(EXIT_USAGE, "give at most one ROOT (the folder crawls write to, JSONL_ROOT)")
            return
        root = Path(args[0] if args else self.settings.get("JSONL_ROOT"))
        configured = self.settings.get("INCREMENTAL_DB") if not args else None
        path = Path(configured) if configured else root / ".state" / "seen.sqlite"
        if not root.is_dir() and not configured:
            self._fail(EXIT_USAGE, f"{root}: no such folder (give the JSONL_ROOT your crawls write to)")
            return
        if not path.is_file():
            self._fail(EXIT_USAGE, f"{path}: no incremental store (crawl into {root} first)")
            return
        thresholds = Thresholds.from_settings(self.settings)
        try:
            store = SeenStore(path)
        except StoreUnusable as err:
            self._fail(EXIT_USAGE, str(err))
            return
        try:
            keep = self.settings.getint("HEALTH_HISTORY_RUNS")
            sites = {key: [SiteRun(job_id, finished, merge_blocks(blocks), lines)
                           for job_id, blocks, finished, lines in store.health_history(key, keep)]
                     for key in store.health_keys()}
        finally:
            store.close()
        if not sites:
            self._fail(EXIT_USAGE, f"{path}: no run's health is kept there yet (HEALTH_ENABLED crawls keep it)")
            return
        print(table(sites, thresholds))
        target = Path(opts.html) if opts.html else root / "health.html"
        try:
            # the last page stays whole until the new one is (a full disk, a kill, a browser reading it)
            write_atomically(target, page(sites, thresholds).encode("utf-8"))
        except OSError as err:
            self._fail(EXIT_FAILED, f"{target}: cannot write the page: {err.strerror or err}")
            return
        print(f"\nhealth page: {target}", file=sys.stderr)

    def _fail(self, code: int, message: str) -> None:
        print(f"{typed('health')}: {message}", file=sys.stderr)
        self.exitcode = code
