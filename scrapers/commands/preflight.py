"""What ``scrapy crawl`` checks before the first request: settings, spider name and arguments, site
configs, ``-o`` folders, Redis and the start hosts. Each problem is one line and an exit code, so a
typo never costs a traceback or a crawl that fails page by page. (No ``Command`` here: Scrapy takes
only modules with one as commands.)"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings

from scrapers.config.checks import check_settings, job_id
from scrapers.config.jobdir import jobdir_damage
from scrapers.config.reach import proxied, redis_problem, unreachable
from scrapers.incremental.everything import wants_all
from scrapers.jobs.state import job_state
from scrapers.sites import SiteConfigError, site_files

EXIT_FAILED = 1
EXIT_USAGE = 2
# A connection check should not take as long as a whole download may.
MAX_CONNECT_TIMEOUT = 10.0


class Refused(Exception):
    """The crawl must not start: ``str()`` is the one-line reason, ``exit_code`` the documented code."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def check_crawl(settings: BaseSettings, spider_names: list[str], spidercls: Any | None, name: str,
                spargs: dict[str, str]) -> list[str]:
    """Raise ``Refused`` for a crawl that cannot start; return warnings (one line each) for one that can."""
    problems = check_settings(settings)
    if problems:
        raise Refused("; ".join(problems))
    _check_scrapyd_job_id(spargs)
    _check_jobdir(settings)
    sites_dir = settings.get("SITES_DIR")
    try:
        site_files(sites_dir)
    except SiteConfigError as err:
        raise Refused(str(err)) from None
    if spidercls is None:
        raise Refused(f"no spider or site config named {name!r} (known: {', '.join(spider_names)}; "
                      "`scrapy list` shows them)")
    try:
        wants_all(spargs.get("all"))
    except ValueError as err:
        raise Refused(str(err)) from None
    urls: list[str] = []
    resolve = getattr(spidercls, "resolve_arguments", None)
    if resolve is not None:
        try:
            urls, _ = resolve(spargs.get("url"), spargs.get("site"), sites_dir)
        except ValueError as err:  # SiteConfigError included: it names the file
            raise Refused(str(err)) from None
    resolve_window = getattr(spidercls, "resolve_window", None)
    if resolve_window is not None:
        try:
            resolve_window(spargs.get("since"), spargs.get("until"), settings)
        except ValueError as err:
            raise Refused(str(err)) from None
    for uri in settings.getdict("FEEDS"):
        folder = _local_folder(str(uri))
        if folder is not None and not folder.is_dir():
            raise Refused(f"-o {uri}: the folder {folder} does not exist")
    redis_url = settings.get("REDIS_URL")
    if redis_url:
        problem = redis_problem(redis_url)
        if problem:
            raise Refused(problem, EXIT_FAILED)
    if not settings.getbool("PREFLIGHT_ENABLED", True) or not urls or proxied():
        return []
    timeout = min(settings.getfloat("DOWNLOAD_TIMEOUT", 30.0), MAX_CONNECT_TIMEOUT)
    hosts = {(urlsplit(u).hostname, urlsplit(u).port, urlsplit(u).scheme): u for u in urls}
    failed = [problem for url in hosts.values() if (problem := unreachable(url, timeout))]
    if failed and len(failed) == len(hosts):
        raise Refused(f"crawl of {name} failed: no pages fetched: {'; '.join(failed)} "
                      "(checked before the crawl started)", EXIT_FAILED)
    return [f"warning: {problem}; crawling the other start URLs" for problem in failed]


def _check_scrapyd_job_id(spargs: dict[str, str]) -> None:
    """Scrapyd's job id names the dump when JOB_ID is unset (scrapers/jobs/files.py): held to JOB_ID's rule."""
    given = (("-a _job", spargs.get("_job")), ("SCRAPY_JOB (environment)", os.environ.get("SCRAPY_JOB") or None))
    for where, value in given:
        try:
            job_id(value)
        except ValueError as err:
            raise Refused(f"{where}={value!r} (the job id): {err}") from None


def _check_jobdir(settings: BaseSettings) -> None:
    """Only a job stopped cleanly (Ctrl-C) hands Scrapy its queue and state back; after a kill, or once
    published, the crawl clears them itself (scrapers/jobs/recovery.py)."""
    jobdir = settings.get("JOBDIR")
    if not jobdir or job_state(jobdir) != "interrupted":
        return
    damage = jobdir_damage(jobdir, str(settings.get("SCHEDULER_DISK_QUEUE") or ""))
    if damage:
        raise Refused(f"JOBDIR {jobdir} is damaged: {damage}; re-run without -s JOBDIR={jobdir} (or with a new, "
                      "empty one): nothing is lost, the store has not counted this job's articles")


def _local_folder(uri: str) -> Path | None:
    """The folder a feed file will be written to, when it is on the local disk and fixed."""
    parts = urlsplit(uri)
    if parts.scheme == "file":
        path = parts.path
    elif parts.scheme and len(parts.scheme) > 1:
        return None  # s3://, ftp://, … (a one-letter scheme is a Windows drive)
    else:
        path = uri
    if "%(" in path:
        return None  # %(name)s and %(time)s are filled in when the feed opens
    return Path(path).expanduser().parent
