"""scrapy check [NAME...] : extract every saved page of the sites again and compare it with its expectations.

Replaces Scrapy's spider-contract check in this project (its spiders have no contracts; sites have saved
pages instead: scrapers/authoring/). Without names, every site that has saved pages is checked.

Exit codes: 0 every expected field as saved; 1 a difference, a page without an article, or a selector that
matches nothing on the saved pages (each a line on stdout); 2 usage (unknown site, no saved pages, a broken
saved page).
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands import ScrapyCommand

from ..authoring.check import check_site
from ..authoring.pages import saved_pages
from ..sites import SiteConfigError, load_site, site_names
from .program import one_line_errors, typed

EXIT_DIFFERENT = 1
EXIT_USAGE = 2


class Command(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[NAME...]"

    def short_desc(self) -> str:
        return "Check the saved pages of sites against their expected fields (exit 1 on a difference)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "check")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        sites_dir = self.settings.get("SITES_DIR")
        try:
            names = args or site_names(sites_dir)
            work = [(load_site(name, sites_dir), saved_pages(name, sites_dir)) for name in names]
        except SiteConfigError as err:
            print(f"{typed('check')}: {err}", file=sys.stderr)
            self.exitcode = EXIT_USAGE
            return
        if args:
            empty = [config.name for config, pages in work if not pages]
            if empty:
                print(f"{typed('check')}: {', '.join(empty)}: no saved pages "
                      f"(`{typed('capture')} NAME URL` saves some)", file=sys.stderr)
                self.exitcode = EXIT_USAGE
                return
        work = [(config, pages) for config, pages in work if pages]
        if not work:
            print(f"{typed('check')}: no site has saved pages (`{typed('capture')} NAME URL` saves some)",
                  file=sys.stderr)
            self.exitcode = EXIT_USAGE
            return
        failed = False
        for config, pages in work:
            result = check_site(config, pages)
            for line in result.lines():
                print(line)
            verdict = "ok" if result.ok else (f"{len(result.differences)} differences, {len(result.failures)} "
                                              f"pages failed, {len(result.dead_selectors)} dead selectors")
            print(f"{config.name}: {result.pages} saved pages: {verdict}")
            failed = failed or not result.ok
        self.exitcode = EXIT_DIFFERENT if failed else 0
