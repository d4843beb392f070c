"""scrapy sites : list the configured sites and how to crawl each."""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand

from scrapers.sites import all_sites


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "List the site configs in scrapers/sites/"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        for site in all_sites():
            print(f"{site.name}\t{', '.join(site.start_urls)}\t{site.description}")
            print(f"\tscrapy crawl {site.name}   (or: scrapy crawl news -a site={site.name})")
