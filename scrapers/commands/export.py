"""scrapy export DUMP_OR_FOLDER... -o FILE.parquet : the dumps in one Parquet file, one row per article
(its latest record; ``--all-versions``: every record), with the columns and types of the DuckDB views
(``scrapers/export/articles.sql``). Needs pyarrow.

Exit codes: 0 written; 2 usage error (no such path, no dump found, a line that is not a record, an
output that is not a .parquet file or cannot be written, no pyarrow).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand

from ..config.reach import unwritable
from ..export.parquet import DumpUnreadable, ParquetUnavailable, export_parquet
from ..jobs.files import find_dumps
from .interrupted import ctrl_c_is_one_line
from .program import one_line_errors, program

EXIT_USAGE = 2


class Refused(Exception):
    """One line for the user; the export writes nothing."""


class Command(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "DUMP.jsonl[.gz]... | FOLDER... -o FILE.parquet [--all-versions]"

    def short_desc(self) -> str:
        return "Export JSONL dumps to one Parquet file, one row per article (the typed columns of the DuckDB view)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.usage = f"{program()} export {self.syntax()}"
        one_line_errors(parser, "export")
        parser.add_argument("-o", "--output", metavar="FILE.parquet", help="the Parquet file to write")
        parser.add_argument("--all-versions", action="store_true",
                            help="every record of every dump, not only each article's latest")

    @ctrl_c_is_one_line("export")
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            self._export(args, opts)
        except Refused as refused:
            print(f"{program()} export: {refused}", file=sys.stderr)
            self.exitcode = EXIT_USAGE

    def _export(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise Refused("give at least one dump or folder, like: "
                          f"{program()} export output/ -o articles.parquet")
        out = output_file(opts.output)
        try:
            dumps = find_dumps([Path(name) for name in args])
        except FileNotFoundError as err:
            raise Refused(f"no such file or folder: {err}") from None
        if not dumps:
            raise Refused(f"no dump (*.jsonl, *.jsonl.gz) under {' '.join(args)}")
        try:
            rows = export_parquet(dumps, out, all_versions=opts.all_versions)
        except (ParquetUnavailable, DumpUnreadable) as err:
            raise Refused(str(err)) from None
        except OSError as err:
            raise Refused(f"-o {opts.output}: cannot write it ({err.strerror or err})") from None
        what = "records" if opts.all_versions else "articles (the latest record of each)"
        print(f"{rows} {what} from {len(dumps)} dumps written to {out}", file=sys.stderr)


def output_file(name: str | None) -> Path:
    """The Parquet file to write, or ``Refused`` saying what is wrong with ``-o``."""
    if not name:
        raise Refused("-o FILE.parquet is required: the Parquet file to write")
    out = Path(name).expanduser()
    if name.endswith(("/", "\\")) or out.is_dir():
        raise Refused(f"-o {name}: that is a folder; name the file, like -o {out / 'articles.parquet'}")
    if out.suffix != ".parquet":
        raise Refused(f"-o {name}: the export writes Parquet only; name the file {out.with_suffix('.parquet')} "
                      "(DuckDB or pandas turn it into CSV)")
    if not out.parent.is_dir():
        raise Refused(f"-o {name}: the folder {out.parent} does not exist")
    problem = unwritable(out.parent)
    if problem:
        raise Refused(f"-o {name}: {problem}")
    return out
