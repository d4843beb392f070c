"""Downloader middleware: a request for a whole WARC file is answered at once with an empty
response; the spider's callback then streams the file itself (``scrapers.archives.remote``).

The request still goes through Scrapy's scheduler, so JOBDIR, Scrapyd and the Redis frontier
share out WARC files as they share pages; only the download is left to the spider.
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.http import Response

STREAM_META = "stream_warc"


class WarcStreamStub:
    def process_request(self, request: Request, spider: Spider | None = None) -> Response | None:
        if request.meta.get(STREAM_META):
            return Response(request.url, status=200, request=request)
        return None
