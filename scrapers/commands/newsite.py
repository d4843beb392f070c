"""scrapy newsite NAME URL (presswire new-site) : draft a site config from what the site shows.

Reads the site as the generic spider would (robots.txt and its sitemaps, the homepage's feeds and sections:
scrapers/authoring/survey.py), proposes article_allow/article_deny from the article URLs found, extracts a few
samples, and writes ``NAME.toml`` (into ``--into DIR``, else SITES_DIR, else the current folder) with a
commented report: the sources, the field coverage on the samples, the fields that look wrong.

Exit codes, as the crawl's: 0 written; 1 the site could not be read (unreachable, no article found); 2 usage
(bad name or URL, the name exists, no such folder). Each failure is one line; nothing is written then.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from ..config.reach import proxied, unreachable
from ..discovery.urls import host_of, is_http
from ..sites import SiteConfigError, site_files
from .program import one_line_errors, typed

EXIT_FAILED = 1
EXIT_USAGE = 2
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # as scrapers/sites accepts it
MAX_SAMPLES = 20


class Refused(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class Command(ScrapyCommand):
    requires_project = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "NAME URL [--into DIR] [--samples N]"

    def short_desc(self) -> str:
        return "Draft a site config NAME.toml from a site's sources and a few extracted samples"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "newsite")
        parser.add_argument("--into", metavar="DIR", help="folder to write NAME.toml to (default: SITES_DIR, "
                            "else the current folder)")
        parser.add_argument("--samples", type=int, default=6, help=f"article pages to extract (1-{MAX_SAMPLES})")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 2:
            raise UsageError("give a site name and the site's URL")
        try:
            self.exitcode = self._new_site(args[0], args[1], opts)
        except Refused as err:
            print(f"{typed('newsite')}: {err}", file=sys.stderr)
            self.exitcode = err.exit_code

    def _new_site(self, name: str, url: str, opts: argparse.Namespace) -> int:
        # imported here: Scrapy imports every command module for any command, a crawl too, and these bring
        # extraction's libraries (trafilatura, dateparser), which a crawl leaves to its worker processes
        from ..authoring.draft import draft_config
        from ..authoring.survey import Survey, SurveySpider

        assert self.settings is not None
        sites_dir = self.settings.get("SITES_DIR")
        target = self._target(name, url, opts, sites_dir)
        if not proxied():
            problem = unreachable(url, min(self.settings.getfloat("DOWNLOAD_TIMEOUT", 30), 10.0))
            if problem:
                raise Refused(f"{url}: {problem}", EXIT_FAILED)
        survey = Survey(url)
        assert self.crawler_process is not None
        self.crawler_process.crawl(SurveySpider, url=url, survey=survey, samples=opts.samples)
        self.crawler_process.start()
        if not survey.articles:
            why = "; ".join(survey.problems) or "no sitemap, feed or article-like link found"
            raise Refused(f"no article URLs found on {url} ({why})", EXIT_FAILED)
        command = shlex.join(["presswire", "new-site", name, url])
        text, _config = draft_config(name, survey, command)
        _write_new(target, text)
        print(text.split("\n\n", 1)[0])
        print(f"{typed('newsite')}: wrote {target}", file=sys.stderr)
        if not sites_dir or Path(sites_dir).expanduser().resolve() != target.parent.resolve():
            print(f"{typed('newsite')}: to use it, export PRESSWIRE_SITES_DIR={shlex.quote(str(target.parent))}",
                  file=sys.stderr)
        return 0

    def _target(self, name: str, url: str, opts: argparse.Namespace, sites_dir: str | None) -> Path:
        if not _NAME.match(name):
            raise Refused(f"invalid site name {name!r} (lowercase letters, digits, - and _)")
        if not is_http(url) or not host_of(url):
            raise Refused(f"{url}: expected an http(s) URL, like https://site.example/")
        if not 1 <= opts.samples <= MAX_SAMPLES:
            raise Refused(f"--samples {opts.samples}: expected 1 to {MAX_SAMPLES}")
        folder = Path(opts.into or sites_dir or ".").expanduser()
        if not folder.is_dir():
            raise Refused(f"{folder}: no such folder")
        target = folder / f"{name}.toml"
        if target.exists():
            raise Refused(f"{target} exists; choose another name or remove it")
        try:
            existing = site_files(sites_dir).get(name)
        except SiteConfigError:
            existing = None  # a missing SITES_DIR: nothing there to clash with
        if existing is not None:
            raise Refused(f"a site named {name!r} exists ({existing}); choose another name")
        return target


def _write_new(target: Path, text: str) -> None:
    """Written whole, and never over a file that appeared meanwhile (a link fails on an existing name)."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
    temporary.write_text(text, "utf-8")
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise Refused(f"{target} exists; choose another name or remove it") from None
    finally:
        temporary.unlink()
