"""The ``presswire`` console command: the project's scrapy commands, usable from any folder.

    presswire crawl https://site.example/ [https://b.example/ ...] [scrapy crawl options]
    presswire crawl harbour [options]            # a site config (bundled or in SITES_DIR)
    presswire extract PAGE_OR_FOLDER... | validate DUMP... | export DUMP... -o FILE.parquet | sites | list

Outside the repository there is no scrapy.cfg, so the settings module is named through
``SCRAPY_SETTINGS_MODULE``; a user's own site configs come from ``PRESSWIRE_SITES_DIR`` or
``-s SITES_DIR=``. Exit codes are those of the wrapped command (docs/failures.md, "Mistakes end in one line").
"""

from __future__ import annotations

import os
import sys

COMMANDS: tuple[str, ...] = ("crawl", "extract", "validate", "export", "sites", "list")
COMMANDS += ("capture", "check", "new-site", "explain")  # the one-site developer's loop (scrapers/authoring/)
COMMANDS += ("health",)  # each site's runs against its normal (scrapers/health/)
USAGE = ("usage: presswire crawl URL... | SITE [options]\n"
         "       presswire extract PATH... | validate DUMP... | export DUMP... -o FILE.parquet | sites | list"
         "\n       presswire health [ROOT] [--html FILE]"
         "   (--help on each)")
EXIT_USAGE = 2


def crawl_arguments(args: list[str]) -> list[str]:
    """``URL... [options]`` -> ``news -a url=URL,URL [options]``; ``SITE [options]`` stays as it is."""
    targets = []
    while args and not args[0].startswith("-"):
        targets.append(args.pop(0))
    if not targets:
        return args  # scrapy crawl's own usage error
    if len(targets) == 1 and not any(mark in targets[0] for mark in ":/."):
        return [targets[0], *args]
    return ["news", "-a", "url=" + ",".join(targets), *args]


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr if not args else sys.stdout)
        return EXIT_USAGE if not args else 0
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        print(f"presswire: unknown command {command!r}; expected one of {', '.join(COMMANDS)}", file=sys.stderr)
        return EXIT_USAGE
    if command == "crawl":
        rest = crawl_arguments(rest)
    command = {"new-site": "newsite"}.get(command, command)  # a Scrapy command is named by its module
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scrapers.settings")
    from scrapy.cmdline import execute

    try:
        execute(["presswire", command, *rest])
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
