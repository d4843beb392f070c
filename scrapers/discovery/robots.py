"""Scrapy's robots.txt middleware, refusing with a typed ``PolicySkip`` (not a failure)."""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.robotstxt import RobotParser

from scrapers.discovery.refusals import PolicySkip


class RobotsForbidden(PolicySkip):
    """robots.txt disallows the URL for our user agent."""


class TypedRobotsTxtMiddleware(RobotsTxtMiddleware):
    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as err:
            raise RobotsForbidden("forbidden by robots.txt") from err
