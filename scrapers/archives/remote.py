"""WARC files over HTTP, read as a stream: CC-NEWS path lists and a ranged, unbuffered opener.

Scrapy's downloader keeps a whole response in memory, and a CC-NEWS file is about 1 GB, so the
``ccnews`` spider reads WARC files with this plain HTTP client (in a thread), a block at a time.
"""

from __future__ import annotations

import gzip
import http.client
import re
import urllib.request
from pathlib import Path
from typing import IO

USER_AGENT = "Presswire/0.1 (news archiving crawler)"
_MONTH = re.compile(r"^(\d{4})/(\d{1,2})$")


def ccnews_paths_url(month: str, base_url: str) -> str:
    """``2026/11`` -> the month's ``warc.paths.gz`` under ``base_url`` (Common Crawl's layout)."""
    match = _MONTH.match(month.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"month must look like 2026/11, not {month!r}")
    return f"{base_url.rstrip('/')}/crawl-data/CC-NEWS/{match.group(1)}/{int(match.group(2)):02d}/warc.paths.gz"


def read_paths(source: str, base_url: str, timeout: float = 60) -> list[str]:
    """The WARC URLs a ``warc.paths[.gz]`` file lists (a local file or an http(s) URL); relative
    paths, as Common Crawl writes them, are taken under ``base_url``."""
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read()
    else:
        data = Path(source).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    urls = []
    for line in data.decode("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        urls.append(line if line.startswith(("http://", "https://")) else f"{base_url.rstrip('/')}/{line.lstrip('/')}")
    return urls


class DownloadCut(ConnectionError):
    """The connection closed before the ``Content-Length`` the server announced: the file is whole on
    the server, so it is read again from here, never reported as a truncated archive."""


class _LengthChecked:
    """A response read to its end: fewer bytes than its Content-Length raise ``DownloadCut``
    (http.client returns b"" there, as at the end of the file)."""

    def __init__(self, response: http.client.HTTPResponse, url: str) -> None:
        self.response = response
        self.url = url
        length = response.headers.get("Content-Length")
        self.expected = int(length) if length and length.isdigit() else None
        self.received = 0

    def read(self, size: int = -1) -> bytes:
        data = self.response.read(size)
        self.received += len(data)
        if not data and size != 0 and self.expected is not None and self.received < self.expected:
            raise DownloadCut(f"{self.url}: the connection closed after {self.received} of the "
                              f"{self.expected} bytes the server announced")
        return data

    def close(self) -> None:
        self.response.close()


def open_warc(url: str, offset: int = 0, timeout: float = 60) -> IO[bytes]:
    """The WARC file at ``url`` from byte ``offset`` on (an HTTP Range request), unbuffered."""
    headers = {"User-Agent": USER_AGENT}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    response = urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout)
    if offset and response.status != 206:
        response.close()
        raise OSError(f"{url}: the server ignored the range request (status {response.status})")
    return _LengthChecked(response, url)  # type: ignore[return-value]  # read() and close(): all warcio uses
