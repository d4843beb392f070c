"""scrapy export DUMP_OR_FOLDER... -o FILE.parquet : every record of the dumps in one Parquet file, with
the columns and types of the DuckDB view (``scrapers/export/articles.sql``). Needs pyarrow.

Exit codes: 0 written; 2 usage error (no such path, no dump found, not a .parquet output, no pyarrow).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from scrapers.commands.program import program
from scrapers.export.parquet import ParquetUnavailable, export_parquet
from scrapers.jobs.files import find_dumps

EXIT_USAGE = 2


class Command(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "DUMP.jsonl[.gz]... | FOLDER... -o FILE.parquet"

    def short_desc(self) -> str:
        return "Export JSONL dumps to one Parquet file (the typed columns of the DuckDB view)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-o", "--output", metavar="FILE.parquet", help="the Parquet file to write")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give at least one dump or folder")
        if not opts.output or not opts.output.endswith(".parquet"):
            raise UsageError("-o FILE.parquet is required")
        out = Path(opts.output)
        if not out.parent.is_dir():
            raise UsageError(f"-o {opts.output}: the folder {out.parent} does not exist")
        try:
            dumps = find_dumps([Path(name) for name in args])
        except FileNotFoundError as err:
            raise UsageError(f"no such file or folder: {err}") from None
        if not dumps:
            raise UsageError(f"no dump (*.jsonl, *.jsonl.gz) under {' '.join(args)}")
        try:
            rows = export_parquet(dumps, out)
        except ParquetUnavailable as err:
            print(f"{program()} export: {err}", file=sys.stderr)
            self.exitcode = EXIT_USAGE
            return
        print(f"{rows} records from {len(dumps)} dumps written to {out}", file=sys.stderr)
