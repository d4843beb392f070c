"""scrapy explain URL_OR_FILE : each field of the article with where it came from, and what was passed over.

The page is fetched as a crawl fetches it (a URL) or read (a file, at ``--url`` or the URL it declares). The
site config whose start URLs share the page's host applies its selectors (``--site NAME`` names one).
``--html OUT.html`` writes the page with the chosen elements outlined and labelled (scrapers/authoring/).

Exit codes: 0 explained; 1 the page gave no article or could not be fetched; 2 usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from .. import extraction  # extraction.extract_article is imported on first use
from ..authoring.fetch import Fetched, PageFetcher
from ..discovery.urls import host_of, is_http
from ..extraction import ExtractionError, SiteSelectors
from ..sites import SiteConfig, SiteConfigError, all_sites, load_site
from .program import one_line_errors, typed

EXIT_FAILED = 1
EXIT_USAGE = 2


class Failed(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class Command(ScrapyCommand):
    requires_project = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "URL_OR_FILE [--site NAME] [--url URL] [--html OUT.html]"

    def short_desc(self) -> str:
        return "Show where each field of a page's article came from, and the candidates passed over"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "explain")
        parser.add_argument("--site", metavar="NAME", help="apply this site config's selectors (default: the "
                            "config whose start URLs share the page's host)")
        parser.add_argument("--url", help="the URL a saved FILE was fetched from (default: its canonical/og:url)")
        parser.add_argument("--html", metavar="OUT", help="write the page with the chosen elements outlined")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one URL or saved page")
        try:
            self._explain(args[0], opts)
        except SiteConfigError as err:
            print(f"{typed('explain')}: {err}", file=sys.stderr)
            self.exitcode = EXIT_USAGE
        except Failed as err:
            print(f"{typed('explain')}: {err}", file=sys.stderr)
            self.exitcode = err.exit_code

    def _explain(self, target: str, opts: argparse.Namespace) -> None:
        # imported here: Scrapy imports every command module for any command, a crawl too, and these bring
        # extraction's libraries (trafilatura, dateparser), which a crawl leaves to its worker processes
        from ..authoring.explain import explain, report_lines
        from ..authoring.outline import outlined_html

        assert self.settings is not None
        sites_dir = self.settings.get("SITES_DIR")
        if opts.url is not None and not is_http(opts.url):
            raise Failed(f"--url {opts.url}: expected an http(s) URL", EXIT_USAGE)
        if opts.html and not Path(opts.html).expanduser().parent.is_dir():
            raise Failed(f"--html {opts.html}: the folder {Path(opts.html).parent} does not exist", EXIT_USAGE)
        config = load_site(opts.site, sites_dir) if opts.site else None
        page = self._page(target, opts.url)
        url = page.url or None
        if url is None:  # a saved page without --url: read at the URL it declares
            try:
                url = extraction.extract_article(page.body).canonical_url
            except ExtractionError as err:
                raise Failed(f"{target}: no article ({err})") from None
            if not url or not is_http(url):
                raise Failed(f"{target}: the page declares no canonical or og:url; pass --url", EXIT_USAGE)
        config = config or _site_for(url, sites_dir)
        selectors = config.selectors if config else SiteSelectors()
        try:
            _article, origins, parsed = explain(page.body, url, selectors, page.content_type)
        except ExtractionError as err:
            raise Failed(f"{target}: no article ({err})") from None
        print(f"{url}" + (f"   (site config {config.name}: its selectors apply)" if config else ""))
        for line in report_lines(origins):
            print(line)
        if opts.html:
            output = Path(opts.html).expanduser()
            temporary = output.with_name(f".{output.name}.{os.getpid()}.part")
            try:
                temporary.write_bytes(outlined_html(parsed, origins))
                os.replace(temporary, output)
            except OSError as err:
                raise Failed(f"--html {opts.html}: not written: {err}") from None
            finally:
                temporary.unlink(missing_ok=True)
            print(f"{typed('explain')}: wrote {output} (the page as extraction reads it, chosen elements outlined)",
                  file=sys.stderr)

    def _page(self, target: str, url: str | None) -> Fetched:
        if "://" not in target:
            path = Path(target)
            if not path.is_file():
                raise Failed(f"no such file: {target}", EXIT_USAGE)
            return Fetched(target, url or "", path.read_bytes(), None)
        if not is_http(target) or not host_of(target):
            raise Failed(f"{target}: only http(s) URLs can be fetched", EXIT_USAGE)
        pages: dict[str, Fetched] = {}
        problems: dict[str, str] = {}
        assert self.crawler_process is not None
        self.crawler_process.crawl(PageFetcher, urls=[target], pages=pages, problems=problems)
        self.crawler_process.start()
        if target not in pages:
            raise Failed(f"{target}: {problems.get(target, 'not fetched')}")
        return pages[target]


def _site_for(url: str, sites_dir: str | None) -> SiteConfig | None:
    """The config whose start URLs (or allowed_domains) are on the page's host."""
    host = urlsplit(url).netloc.lower()
    try:
        sites = all_sites(sites_dir)
    except SiteConfigError:
        return None  # a broken config elsewhere does not stop explaining this page
    for site in sites:
        if any(urlsplit(start).netloc.lower() == host for start in site.start_urls) or \
                any(host_of(url) == d or host_of(url).endswith("." + d) for d in site.allowed_domains):
            return site
    return None
