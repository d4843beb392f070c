"""Scrapy's robots.txt middleware, refusing with a typed ``PolicySkip`` (not a failure), and reading
a robots.txt that cannot be had as RFC 9309 (2.3.1.3, 2.3.1.4) says:

- a 4xx answer (none there, or not for us): everything is allowed;
- a 5xx or 429 answer (after the retries), a timeout or a failed connection: the site is
  "unreachable" and nothing on it is fetched; robots.txt is asked again ``UNREACHABLE_RETRY``
  seconds later, so a server that recovers during the crawl is crawled from then on. Each request
  refused meanwhile is a failure (``robots_unavailable``), so the run ends non-zero.
"""

from __future__ import annotations

import logging
import time

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from .refusals import PolicySkip, Refused

logger = logging.getLogger(__name__)

# Seconds before an unreachable robots.txt is asked again.
UNREACHABLE_RETRY = 60.0


class RobotsForbidden(PolicySkip):
    """robots.txt disallows the URL for our user agent."""


class RobotsUnavailable(Refused):
    """The site's robots.txt answered a server error or did not answer: nothing is fetched there yet."""

    reason = "robots_unavailable"


class _Unreachable:
    """Stands for the parser of a site whose robots.txt could not be had."""

    def __init__(self, why: str) -> None:
        self.why = why
        self.retry_at = time.monotonic() + UNREACHABLE_RETRY


class TypedRobotsTxtMiddleware(RobotsTxtMiddleware):
    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if isinstance(rp, _Unreachable):
            self._stats.inc_value("robotstxt/unreachable_refused")
            raise RobotsUnavailable(f"robots.txt unavailable ({rp.why}): disallowed until it answers (RFC 9309)")
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as err:
            raise RobotsForbidden("forbidden by robots.txt") from err

    async def robot_parser(self, request: Request) -> RobotParser | None:
        url = urlparse_cached(request)
        netloc = url.netloc
        known = self._parsers.get(netloc)
        if isinstance(known, _Unreachable) and time.monotonic() >= known.retry_at:
            del self._parsers[netloc]
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            robots = Request(f"{url.scheme}://{netloc}/robots.txt", priority=self.DOWNLOAD_PRIORITY,
                             meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
            try:
                response = await self.crawler.engine.download_async(robots)
                if response.status >= 500 or response.status == 429:
                    self._unreachable(netloc, f"HTTP {response.status}")
                elif response.status >= 400:  # whatever its body says: everything allowed
                    await self._parse_robots(response.replace(body=b""), netloc, request)
                else:
                    await self._parse_robots(response, netloc, request)
            except IgnoreRequest as err:  # refused on purpose (scope, size): as Scrapy, nothing to obey
                self._robots_error(err, netloc)
            except Exception as err:  # the waiting requests must be answered whatever went wrong
                self._unreachable(netloc, type(err).__name__)
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            return await maybe_deferred_to_future(parser)
        return parser

    def _unreachable(self, netloc: str, why: str) -> None:
        logger.warning("robots.txt of %s unavailable (%s): nothing there is fetched until it answers "
                       "(RFC 9309); asked again in %.0f s", netloc, why, UNREACHABLE_RETRY)
        self._stats.inc_value("robotstxt/unreachable")
        waiting = self._parsers[netloc]
        marker = _Unreachable(why)
        self._parsers[netloc] = marker  # type: ignore[assignment]
        if isinstance(waiting, Deferred):
            waiting.callback(marker)  # type: ignore[arg-type]
