"""scrapy validate DUMP... : check JSONL dumps against the record schema and their manifests."""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from ..jobs.dumpcheck import check_dump
from ..jobs.files import find_dumps
from .interrupted import ctrl_c_is_one_line
from .program import one_line_errors


class Command(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "DUMP.jsonl[.gz]... | FOLDER..."

    def short_desc(self) -> str:
        return "Validate JSONL dumps against the article schema (and their manifests)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "validate")

    @ctrl_c_is_one_line("validate")
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give at least one dump or folder")
        try:
            paths = find_dumps([Path(name) for name in args])
        except FileNotFoundError as err:
            raise UsageError(f"no such file or folder: {err}") from None
        for name in args:
            if Path(name).is_dir() and not find_dumps([Path(name)]):
                raise UsageError(f"no dump (*.jsonl, *.jsonl.gz) under {name}")
        reports = [check_dump(path) for path in paths]
        for report in reports:
            print(report.render())
        failed = sum(not r.ok for r in reports)
        print(f"{len(reports)} dumps checked, {len(reports) - failed} OK, {failed} failed")
        self.exitcode = 1 if failed or not reports else 0

