"""What ``scrapy crawl`` checks before the first request: settings, spider name and arguments, site
configs, ``-o`` folders, Redis and the start hosts. Each problem is one line and an exit code, so a
typo never costs a traceback or a crawl that fails page by page. (No ``Command`` here: Scrapy takes
only modules with one as commands.)"""

from __future__ import annotations

import datetime as dt
import difflib
import inspect
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from ..config.checks import check_names, check_settings, job_id
from ..config.jobdir import jobdir_damage
from ..config.reach import proxied, redis_problem, unreachable, unwritable
from ..incremental.everything import wants_all
from ..jobs.state import job_state
from ..rendering.availability import browser_problem
from ..sites import SiteConfigError, UnknownSite, site_files, unread_files
from .program import program

EXIT_FAILED = 1
EXIT_USAGE = 2
# A connection check should not take as long as a whole download may.
MAX_CONNECT_TIMEOUT = 10.0


class Refused(Exception):
    """The crawl must not start: ``str()`` is the one-line reason, ``exit_code`` the documented code."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.warnings: list[str] = []  # found before the refusal: shown first


def check_crawl(settings: BaseSettings, spider_names: list[str], spidercls: Any | None, name: str,
                spargs: dict[str, str]) -> list[str]:
    """Raise ``Refused`` for a crawl that cannot start; return warnings (one line each) for one that can."""
    typos, warnings = check_names(given_settings(settings), known_settings(settings))
    if typos:
        raise Refused("; ".join(typos))
    try:
        return warnings + _check_crawl(settings, spider_names, spidercls, name, spargs)
    except Refused as refused:
        refused.warnings = warnings
        raise


def _check_crawl(settings: BaseSettings, spider_names: list[str], spidercls: Any | None, name: str,
                 spargs: dict[str, str]) -> list[str]:
    problems = check_settings(settings)
    if problems:
        raise Refused("; ".join(problems))
    _check_scrapyd_job_id(spargs)
    _check_jobdir(settings)
    sites_dir = settings.get("SITES_DIR")
    try:
        site_files(sites_dir)
    except SiteConfigError as err:
        from_environment = sites_dir == os.environ.get("PRESSWIRE_SITES_DIR") and \
            settings.getpriority("SITES_DIR") != SETTINGS_PRIORITIES["cmdline"]
        raise Refused(f"{err}" + (" (set by the PRESSWIRE_SITES_DIR variable)" if from_environment else "")) from None
    if spidercls is None:
        close = difflib.get_close_matches(name.lower(), spider_names, n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise Refused(f"no spider or site config named {name!r} ({hint}known: {', '.join(spider_names)}; "
                      f"`{program()} list` shows them){_unread_hint(name, sites_dir)}")
    check_arguments(spidercls, spargs)
    try:
        wants_all(spargs.get("all"))
    except ValueError as err:
        raise Refused(str(err)) from None
    urls: list[str] = []
    resolve = getattr(spidercls, "resolve_arguments", None)
    if resolve is not None:
        try:
            urls, _ = resolve(spargs.get("url"), spargs.get("site"), sites_dir)
        except UnknownSite as err:
            raise Refused(f"{err}; `{program()} sites` lists them{_unread_hint(spargs.get('site') or name, sites_dir)}"
                          ) from None
        except ValueError as err:  # SiteConfigError included: it names the file
            raise Refused(str(err)) from None
    else:
        try:  # a spider without a separate check (ccnews) checks its arguments when it is made
            spidercls(**{key: value for key, value in spargs.items() if key != "all"})
        except (ValueError, TypeError) as err:
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
    for setting in output_folders(settings):
        value = Path(str(settings.get(setting))).expanduser()
        if setting in FILE_SETTINGS and value.is_dir():
            raise Refused(f"{setting}={settings.get(setting)}: a folder, not a file (name a file in it, like "
                          f"{value / ('crawl.log' if setting == 'LOG_FILE' else 'seen.sqlite')})")
        # Scrapy's log file handler makes no folder; the store, the lock and the dumps make theirs
        problem = unwritable(value.parent if setting in FILE_SETTINGS else value, create=setting != "LOG_FILE")
        if problem:
            raise Refused(f"{setting}={settings.get(setting)}: {problem}")
    _check_rendering(settings)
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


def append_to_log(log_file: str, line: str) -> None:
    """One line in LOG_FILE (Scrapyd's job log) for a crawl refused before logging was set up."""
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    try:
        with open(log_file, "a", encoding="utf-8") as log:
            log.write(f"{stamp} [{line.split(' ', 1)[0]}] {line.split(' ', 1)[1]}\n")
    except OSError:
        pass  # stderr has it; preflight reports a LOG_FILE that cannot be written


def given_settings(settings: BaseSettings) -> list[str]:
    """The names set on the command line (-s NAME=VALUE, -L, -o)."""
    return [name for name in settings if settings.getpriority(name) == SETTINGS_PRIORITIES["cmdline"]]


def known_settings(settings: BaseSettings) -> list[str]:
    """Every name the project, Scrapy or an add-on set below the command line."""
    return [name for name in settings if (settings.getpriority(name) or 0) < SETTINGS_PRIORITIES["cmdline"]]


def accepted_arguments(spidercls: Any) -> list[str]:
    """The spider's ``-a`` arguments: its ``__init__`` parameters, and ``all`` (read by every spider's
    from_crawler, scrapers/incremental/everything.py)."""
    parameters = inspect.signature(spidercls.__init__).parameters.values()
    named = [p.name for p in parameters if p.name != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    return sorted({*named, "all"} - {"sites_dir", "name"})


def check_arguments(spidercls: Any, spargs: dict[str, str]) -> None:
    """A misspelt -a argument would be ignored; ``_job`` and other ``_`` names are Scrapyd's."""
    accepted = accepted_arguments(spidercls)
    for given in sorted(spargs):
        if given in accepted or given.startswith("_") or given == "sites_dir":
            continue
        close = difflib.get_close_matches(given, accepted, n=1, cutoff=0.5)
        hint = f"did you mean -a {close[0]}=? " if close else ""
        raise Refused(f"-a {given}={spargs[given]}: {spidercls.name} takes no such argument ({hint}"
                      f"accepted: {', '.join(accepted)}; `{program()} crawl --help` describes them)")


# settings naming a file (its folder is checked) rather than a folder
FILE_SETTINGS = ("INCREMENTAL_DB", "LOG_FILE")


def output_folders(settings: BaseSettings) -> list[str]:
    """The settings naming folders (or files, ``FILE_SETTINGS``) this crawl writes to."""
    folders = [name for name in ("LOG_FILE", "JOBDIR") if settings.get(name)]
    if settings.getbool("JSONL_ENABLED", True):
        folders.append("JSONL_ROOT")
    if settings.getbool("INCREMENTAL_ENABLED") and settings.get("INCREMENTAL_DB"):
        folders.append("INCREMENTAL_DB")
    if settings.get("RUN_LOCK_DIR"):
        folders.append("RUN_LOCK_DIR")
    return folders
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
    published, the crawl clears them itself (scrapers/jobs/state.py)."""
    jobdir = settings.get("JOBDIR")
    if not jobdir or job_state(jobdir) != "interrupted":
        return
    damage = jobdir_damage(jobdir, str(settings.get("SCHEDULER_DISK_QUEUE") or ""))
    if damage:
        raise Refused(f"JOBDIR {jobdir} is damaged: {damage}; re-run without -s JOBDIR={jobdir} (or with a new, "
                      "empty one): nothing is lost, the store has not counted this job's articles")


def _unread_hint(name: str, sites_dir: str | None) -> str:
    """A file the user meant as this site's config, that is not read (mysite.yaml, MySite.toml)."""
    for path, why in unread_files(sites_dir).items():
        if Path(path).stem.lower() == name.lower():
            return f"; {path} is {why}"
    return ""


def _check_rendering(settings: BaseSettings) -> None:
    """Rendering every page was asked for: without a browser the crawl would go on without it."""
    if not settings.getbool("RENDER_ENABLED") or settings.get("RENDER_MODE") != "always":
        return
    problem = browser_problem(str(settings.get("RENDER_BROWSER")))
    if problem:
        raise Refused(f"RENDER_MODE=always, but pages cannot be rendered: {problem}; or -s RENDER_MODE=auto")


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
