"""``python -m scrapers.archives.check FILE...``: ``warcio check`` (record and payload digests)
on WARC files that hold br bodies, which warcio 1.8.1's own command cannot open with the brotli
package Scrapy installs (scrapers/archives/codings.py ``warcio_compat``)."""

from __future__ import annotations

import sys

from warcio.cli import main as warcio_main

from scrapers.archives.codings import warcio_compat


def main(argv: list[str] | None = None) -> int:
    warcio_compat()
    try:
        warcio_main(["check", *(sys.argv[1:] if argv is None else argv)])
    except SystemExit as done:
        return int(done.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
