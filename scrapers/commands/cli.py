"""The ``presswire`` console command: the project's scrapy commands, usable from any folder.

    presswire crawl https://site.example/ [https://b.example/ ...] [scrapy crawl options]
    presswire crawl NAME [options]               # a site config (SITES_DIR / PRESSWIRE_SITES_DIR)
    presswire extract | reextract | validate | export | sites | list   (--help on each)

Outside the repository there is no scrapy.cfg, so the settings module is named through
``SCRAPY_SETTINGS_MODULE``; a user's own site configs come from ``PRESSWIRE_SITES_DIR`` or
``-s SITES_DIR=``. Exit codes are those of the wrapped command (``presswire crawl --help``).

Unlike ``scrapy``, ``presswire`` logs at WARNING unless told otherwise (``-L INFO``, ``--logfile``,
``-s LOG_LEVEL=``, ``-s LOG_FILE=``): a terminal or a cron mail gets the problems and the summary line,
a log file the whole story.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys

from ..discovery.start_urls import start_url_problem
from .program import set_program

COMMANDS: tuple[str, ...] = ("crawl", "extract", "reextract", "validate", "export", "sites", "list")
COMMANDS += ("capture", "check", "new-site", "explain")  # the one-site developer's loop (scrapers/authoring/)
COMMANDS += ("health",)  # each site's runs against its normal (scrapers/health/)
# a Scrapy command is named by its module
MODULES = {"new-site": "newsite"}
EXIT_USAGE = 2
# ``scrapers`` in the repository, ``presswire.scrapers`` installed
PACKAGE = (__package__ or "scrapers.commands").rpartition(".")[0]
QUIET_LEVEL = "WARNING"
# options and settings by which the user chose what to log
_LOG_OPTIONS = ("-L", "--loglevel", "--nolog", "--logfile")
_LOG_SETTINGS = ("LOG_LEVEL=", "LOG_FILE=", "LOG_ENABLED=")


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = ["usage: presswire COMMAND [options]   (presswire COMMAND --help for each)", "",
             "commands:"]
    for name in COMMANDS:
        command = importlib.import_module(f"{__package__}.{MODULES.get(name, name)}").Command()
        lines.append(f"  {name.ljust(width)}  {command.short_desc()}")
    lines += ["", "  presswire crawl https://site.example/     crawl a site from its homepage",
              "  presswire crawl NAME                      crawl a site config (presswire sites lists them)",
              "", "options: -h, --help   this list;  --version   the installed version"]
    return "\n".join(lines)


def version() -> str:
    import scrapy

    from presswire import __version__

    return f"presswire {__version__} (Scrapy {scrapy.__version__}, Python {sys.version.split()[0]})"


def crawl_arguments(args: list[str]) -> list[str]:
    """``URL... [options]`` -> ``news -a url=URL,URL [options]``; ``SITE [options]`` stays as it is."""
    targets = []
    while args and not args[0].startswith("-"):
        targets.append(args.pop(0))
    if not targets:
        return args  # scrapy crawl's own usage error
    if len(targets) == 1 and not any(mark in targets[0] for mark in ":/."):
        return [targets[0], *args]
    for target in targets:
        problem = start_url_problem(target)
        if problem:
            raise CrawlUsage(f"{target}: {problem}")
    if any(arg.startswith("url=") for arg in args):
        raise CrawlUsage(f"the start URLs twice: {' '.join(targets)} and -a url=…; give them one way")
    return ["news", "-a", "url=" + ",".join(targets), *args]


class CrawlUsage(Exception):
    """A ``presswire crawl`` command line that cannot be turned into ``scrapy crawl``'s."""


def chose_logging(args: list[str]) -> bool:
    for index, arg in enumerate(args):
        if arg.split("=")[0] in _LOG_OPTIONS:
            return True
        if arg.startswith("-s") or arg == "--set":
            value = arg[2:] if arg.startswith("-s") and len(arg) > 2 else " ".join(args[index + 1:index + 2])
            if value.startswith(_LOG_SETTINGS):
                return True
    return False


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    set_program("presswire")
    try:
        os.getcwd()
    except FileNotFoundError:  # Scrapy looks for scrapy.cfg from here up: a traceback
        print("presswire: the current folder no longer exists (deleted or moved): cd to a folder that exists",
              file=sys.stderr)
        return EXIT_USAGE
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", f"{PACKAGE}.settings")
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage(), file=sys.stderr if not args else sys.stdout)
        return EXIT_USAGE if not args else 0
    if args[0] in ("--version", "-V", "version"):
        print(version())
        return 0
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        print(f"presswire: unknown command {command!r}; expected one of {', '.join(COMMANDS)} "
              "(presswire --help)", file=sys.stderr)
        return EXIT_USAGE
    if command == "crawl":
        try:
            rest = crawl_arguments(rest)
        except CrawlUsage as err:
            print(f"presswire crawl: {err}", file=sys.stderr)
            return EXIT_USAGE
    if not chose_logging(rest):
        rest = ["-L", QUIET_LEVEL, *rest]
    command = MODULES.get(command, command)
    from scrapy.cmdline import execute

    try:
        execute(["presswire", command, *rest])
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except KeyboardInterrupt:
        # Ctrl-C in a command that does not handle it (validate, export, health: each reads, or writes
        # atomically): Python's traceback says nothing a user needs
        print(f"presswire {args[0]}: Ctrl-C (SIGINT): stopped", file=sys.stderr)
        return 128 + signal.SIGINT  # as a shell reports a command Ctrl-C ended
    return 0


if __name__ == "__main__":
    sys.exit(main())
