"""scrapy list : the spiders, with every site config that does not load reported on stderr (exit 2).

Scrapy's own ``list`` names a site spider whether or not its config loads; a broken config then
looks fine until its crawl starts."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.list import Command as ScrapyListCommand
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from ..sites import SiteConfigError, check_sites, site_names
from .preflight import EXIT_USAGE
from .program import one_line_errors, program


class Command(ScrapyListCommand):
    def short_desc(self) -> str:
        return "List the spiders (one per site config); report site configs that do not load"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "list")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"takes no arguments, not {' '.join(args)}")
        assert self.settings is not None
        sites_dir = self.settings.get("SITES_DIR")
        try:
            good, problems = check_sites(sites_dir)
            site_spiders = set(site_names(sites_dir))
        except SiteConfigError as err:
            good, problems, site_spiders = [], [str(err)], set(site_names())
        code_spiders = set(get_spider_loader(self.settings).list()) - site_spiders
        for name in sorted(code_spiders | {site.name for site in good}):
            print(name)
        for problem in problems:
            print(f"{program()} list: broken site config: {problem}", file=sys.stderr)
        if problems:
            self.exitcode = EXIT_USAGE
