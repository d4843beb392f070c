"""What ``crawl --help`` shows beyond Scrapy's options: every spider argument, the settings a user
changes most, and the exit codes. tests/test_cli_help.py checks that every argument a spider accepts
is described here."""

from __future__ import annotations

ARGUMENTS: dict[str, dict[str, str]] = {
    "news (and every site config NAME)": {
        "url": "URL[,URL...]: start page(s) of the site(s) to crawl (a site config's own start URLs otherwise)",
        "site": "NAME: use the site config NAME (`PROGRAM sites` lists them); `PROGRAM crawl NAME` is the same",
        "since": "only articles published since: 2026-11-29, 2026-11-29T06:00Z, or a time before now: 3d, 6h",
        "until": "only articles published until (same spellings)",
        "all": "1: write every article found, also those unchanged since an earlier run",
    },
    "ccnews (Common Crawl News WARC files)": {
        "month": "YYYY/MM: that month's CC-News files",
        "paths": "FILE_OR_URL: a list of WARC paths (warc.paths.gz)",
        "urls": "URL[,URL...]: WARC files to read",
        "domains": "DOMAIN[,DOMAIN...]: keep pages of these domains",
        "language": "CODE[,CODE...]: keep articles in these languages (en, de, ...)",
        "since": "YYYY-MM-DD: keep pages archived (or published, with date_from=article) since",
        "until": "YYYY-MM-DD: ... until",
        "date_from": "warc (default) or article: which date since/until look at",
        "all": "1: write every article found, also those unchanged since an earlier run",
    },
}

SETTINGS = {
    "JSONL_ROOT": "folder of the dumps and of the incremental store (default: ./output)",
    "JSONL_GZIP": "1: write .jsonl.gz",
    "INCREMENTAL_RECRAWL_HOURS": "do not fetch again articles fetched less than this many hours ago",
    "SITES_DIR": "folder of your own site configs NAME.toml (or the PRESSWIRE_SITES_DIR variable)",
    "CLOSESPIDER_ITEMCOUNT": "stop after this many articles",
    "CONCURRENT_REQUESTS": "requests at once (default 16; 8 per site)",
    "DOWNLOAD_DELAY": "seconds between requests to one site (AutoThrottle adapts it)",
    "EXTRACTION_WORKERS": "extraction processes: auto (default), 0 (in the crawler), N",
    "WARC_ENABLED": "1: archive every response beside the dump (for reextract)",
    "SCHEDULED_MIN_ARTICLES": "exit 1 when fewer articles were written (or found unchanged)",
    "RUN_LOCK_ENABLED": "0: allow two crawls of one site at once",
}

EXIT_CODES = {
    "0": "the crawl worked",
    "1": "the crawl failed: no pages fetched, a start host or Redis unreachable, too many failed pages",
    "2": "usage error: a bad argument, setting, site config or output folder; nothing was fetched",
    "3": "the crawl worked, but its site health has findings (the health: lines)",
    "75": "another crawl of the same name is running (normal for overlapping schedules)",
    "130": "stopped by a second Ctrl-C before it closed: nothing published (143: a second SIGTERM)",
}


def crawl_epilog(program: str) -> str:
    lines = ["examples:", f"  {program} crawl news -a url=https://site.example/ -a since=2d",
             f"  {program} crawl NAME -s JSONL_ROOT=/data/presswire", ""]
    for spider, arguments in ARGUMENTS.items():
        lines.append(f"spider arguments (-a NAME=VALUE), {spider}:")
        lines += [f"  {name:<10} {text.replace('PROGRAM', program)}" for name, text in arguments.items()]
        lines.append("")
    lines.append("common settings (-s NAME=VALUE; every one is checked before the crawl starts):")
    lines += [f"  {name:<26} {text}" for name, text in SETTINGS.items()]
    lines += ["", "log level: " + ("WARNING unless -L, --logfile or -s LOG_LEVEL= says otherwise"
                                   if program == "presswire" else "INFO (-L WARNING for problems only)"),
              "", "exit codes:"]
    lines += [f"  {code:<3} {text}" for code, text in EXIT_CODES.items()]
    return "\n".join(lines)
