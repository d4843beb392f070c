"""scrapy capture NAME URL_OR_FILE... : save pages of a site with their extracted fields as expectations.
scrapy capture NAME --again : extract the saved pages again and rewrite their expectations (after a change
meant to alter them: review the diff before committing).

Pages go to the site's folder (``NAME/pages/`` beside ``NAME.toml``: scrapers/authoring/pages.py); URLs are
fetched as a crawl fetches (robots.txt, scope, user agent), files are read as they are. Each saved
expectation is a draft: read every field against docs/record.md before committing it.

Exit codes: 0 every page saved; 1 some page not (each named on stderr); 2 usage (unknown site, no such
file, a bundled site in an installed package).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from .. import extraction  # extraction.extract_article is imported on first use
from ..authoring.fetch import Fetched, PageFetcher
from ..authoring.pages import expected_fields, save_page, saved_pages, writable_folder
from ..discovery.urls import is_http
from ..extraction import ExtractionError
from ..sites import SiteConfig, SiteConfigError, load_site
from .program import one_line_errors, typed

EXIT_SOME_FAILED = 1
EXIT_USAGE = 2


class CaptureUsage(Exception):
    """One line, exit 2."""


class Command(ScrapyCommand):
    requires_project = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "NAME URL_OR_FILE... [--url URL] | NAME --again"

    def short_desc(self) -> str:
        return "Save pages of a site with their extracted fields as expectations (for `check`)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "capture")
        parser.add_argument("--url", help="the URL a saved FILE was fetched from (default: its canonical/og:url)")
        parser.add_argument("--again", action="store_true", help="extract the saved pages again and rewrite the "
                            "fields they expect (those still listed); review the diff")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) < (1 if opts.again else 2) or (opts.again and len(args) > 1):
            raise UsageError("give a site name and at least one URL or saved file, or a site name and --again")
        assert self.settings is not None
        try:
            if opts.again:
                self.exitcode = self._again(args[0], self.settings.get("SITES_DIR"))
                return
            self.exitcode = self._capture(args[0], args[1:], opts.url, self.settings.get("SITES_DIR"))
        except (CaptureUsage, SiteConfigError) as err:
            print(f"{typed('capture')}: {err}", file=sys.stderr)
            self.exitcode = EXIT_USAGE

    def _capture(self, name: str, targets: list[str], url: str | None, sites_dir: str | None) -> int:
        config = load_site(name, sites_dir)
        folder = writable_folder(name, sites_dir)
        urls = [t for t in targets if "://" in t]
        files = [Path(t) for t in targets if "://" not in t]
        for target in urls:
            if not is_http(target):
                raise CaptureUsage(f"{target}: only http(s) URLs can be fetched")
        for file in files:
            if not file.is_file():
                raise CaptureUsage(f"no such file: {file}")
        if url is not None and (len(files) != 1 or urls or not is_http(url)):
            raise CaptureUsage("--url names the http(s) URL of one saved file")
        pages = [Fetched(str(file), url or "", file.read_bytes(), None) for file in files]
        problems: dict[str, str] = {}
        if urls:
            fetched: dict[str, Fetched] = {}
            assert self.crawler_process is not None
            self.crawler_process.crawl(PageFetcher, urls=urls, pages=fetched, problems=problems)
            self.crawler_process.start()
            pages += [fetched[u] for u in urls if u in fetched]
            problems.update({u: "not fetched" for u in urls if u not in fetched and u not in problems})
        for page in pages:
            problem = self._save(config, folder, page)
            if problem:
                problems[page.requested] = problem
        for target, problem in problems.items():
            print(f"{typed('capture')}: {target}: {problem}", file=sys.stderr)
        if len(problems) < len(targets):
            print(f"review every field of the saved expectations against docs/record.md, then run "
                  f"`{typed('check')} {name}`", file=sys.stderr)
        return EXIT_SOME_FAILED if problems else 0

    def _again(self, name: str, sites_dir: str | None) -> int:
        config = load_site(name, sites_dir)
        folder = writable_folder(name, sites_dir)
        pages = saved_pages(name, sites_dir)
        if not pages:
            raise CaptureUsage(f"{name}: no saved pages to extract again")
        failed = 0
        for page in pages:
            try:
                article = extraction.extract_article(page.html, url=page.url, content_type=page.content_type,
                                          selectors=config.selectors)
            except ExtractionError as err:
                print(f"{typed('capture')}: {page.slug}: no article ({err}); its expectations are kept",
                      file=sys.stderr)
                failed += 1
                continue
            now = expected_fields(article, config.name)
            fields = {key: now[key] for key in page.expected if key in now}  # a field taken out stays out
            changed = [key for key in fields if fields[key] != page.expected[key]]
            if changed:
                try:
                    save_page(folder, page.url, page.html, fields, page.content_type)
                except OSError as err:
                    print(f"{typed('capture')}: {page.slug}: not saved: {err}", file=sys.stderr)
                    failed += 1
                    continue
            print(f"{name}/{page.slug}: " + (f"rewrote {', '.join(changed)}" if changed else "unchanged"))
        return EXIT_SOME_FAILED if failed else 0

    def _save(self, config: SiteConfig, folder: Path, page: Fetched) -> str | None:
        try:
            article = extraction.extract_article(page.body, url=page.url or None, content_type=page.content_type,
                                      selectors=config.selectors)
            url = page.url or article.canonical_url
            if not url or not is_http(url):
                return "the page declares no canonical or og:url; pass --url"
            if not page.url:  # read again at its own URL, so relative links resolve as when it was fetched
                article = extraction.extract_article(page.body, url=url, selectors=config.selectors)
        except ExtractionError as err:
            return f"no article ({err})"
        fields = expected_fields(article, config.name)
        try:
            saved = save_page(folder, url, page.body, fields, page.content_type)
        except OSError as err:  # a full disk, a folder without write permission
            return f"not saved: {err}"
        authors = ", ".join(fields.get("authors") or []) or "no authors"
        print(f"{saved}: {fields.get('title')!r}; {authors}; {fields.get('date_published')}; "
              f"{len((fields.get('body') or '').split())} words")
        return None
