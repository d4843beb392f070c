"""scrapy sites : list the site configs and how to crawl each; report the ones that do not load."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from ..sites import SiteConfigError, check_sites, unread_files
from .preflight import EXIT_USAGE
from .program import one_line_errors, program


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "List the site configs (bundled and SITES_DIR); exit 2 when one does not load"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "sites")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"takes no arguments, not {' '.join(args)}")
        assert self.settings is not None
        try:
            good, problems = check_sites(self.settings.get("SITES_DIR"))
        except SiteConfigError as err:
            good, problems = [], [str(err)]
        for site in good:
            print(f"{site.name}\t{', '.join(site.start_urls)}\t{site.description}")
            print(f"\t{program()} crawl {site.name}   (or: {program()} crawl news -a site={site.name})")
        if not good and not problems:
            print(f"{program()} sites: no site configs yet: write NAME.toml files (README, Site configs) in a folder "
                  "and name it with PRESSWIRE_SITES_DIR=FOLDER or -s SITES_DIR=FOLDER", file=sys.stderr)
        for path, why in unread_files(self.settings.get("SITES_DIR")).items():
            print(f"{program()} sites: warning: {path} is {why}", file=sys.stderr)
        for problem in problems:
            print(f"{program()} sites: broken site config: {problem}", file=sys.stderr)
        if problems:
            self.exitcode = EXIT_USAGE
