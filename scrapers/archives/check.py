"""``python -m scrapers.archives.check [-v] FILE...``: the record and payload digests of WARC files,
as ``warcio check`` verifies them, on files that hold br bodies too.

warcio 1.8.1's own ``warcio check`` reads each payload through its content decoders and crashes on
br bodies with the brotli package Scrapy installs (it expects brotlipy). Digests are taken over the
payload as transferred, so this reads each record's raw stream, which warcio's digest checker
wraps, and never decodes a body: nothing in warcio is changed."""

from __future__ import annotations

import sys

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed


def check_file(path: str, verbose: bool = False) -> tuple[bool, list[str]]:
    """(whether every digest verifies, lines describing each record that fails: every record with
    ``verbose``)."""
    ok = True
    lines: list[str] = []
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream, check_digests=True)
        for record in records:
            while record.raw_stream.read(1 << 20):
                pass
            passed = record.digest_checker.passed
            ok = ok and passed is not False
            if passed is False or verbose:
                lines.append(f"  offset {records.get_record_offset()} WARC-Record-ID "
                             f"{record.rec_headers.get_header('WARC-Record-ID')} {record.rec_type}")
                lines += [f"    {problem}" for problem in record.digest_checker.problems]
                if passed is not False:
                    lines.append("    digest pass" if passed else "    no digest to check")
    return ok, lines


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args
    paths = [arg for arg in args if arg != "-v"]
    if not paths:
        print("usage: python -m scrapers.archives.check [-v] FILE.warc.gz ...", file=sys.stderr)
        return 2
    failed = False
    for path in paths:
        try:
            ok, lines = check_file(path, verbose)
        except (OSError, ArchiveLoadFailed) as err:
            print(f"{path}: cannot be read: {str(err).strip()[:200]}", file=sys.stderr)
            failed = True
            continue
        failed = failed or not ok
        if lines:
            print(path)
            print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
