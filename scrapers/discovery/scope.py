"""What a crawl may fetch: the start URLs' origins (scheme, host, port), or the site config's
``allowed_domains``; never a URL with ``user:pass@``; and, for a crawl started on a public
address, never a loopback, private, link-local or metadata address after DNS resolution.

Links, sitemap and feed entries and ``<base href>`` are filtered by the spider with ``Scope``;
``ScopeMiddleware`` checks every request before it is sent, redirects included, so nothing
reaches the network that the spider would not have asked for.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future

from .refusals import CredentialsInUrl, OutOfScope, PrivateAddress
from .urls import in_domains

Origin = tuple[str, str, int]
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s?#]*@")


def origin(url: str) -> Origin:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or (443 if parts.scheme == "https" else 80)


def has_credentials(url: str) -> bool:
    parts = urlsplit(url)
    return parts.username is not None or parts.password is not None


def redact(text: str) -> str:
    """Any URL in ``text`` without its ``user:pass@``: what logs and failure lines may show."""
    return _USERINFO.sub(r"\1", text)


def without_credentials(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@dataclass(frozen=True)
class Scope:
    origins: frozenset[Origin]
    domains: tuple[str, ...] = ()

    @classmethod
    def of(cls, start_urls: Iterable[str], allowed_domains: Iterable[str] = ()) -> Scope:
        origins = set()
        for url in start_urls:
            scheme, host, port = origin(url)
            origins.add((scheme, host, port))
            if scheme == "http" and port == 80:
                origins.add(("https", host, 443))  # the usual upgrade of the same site
        return cls(frozenset(origins), tuple(d.lower() for d in allowed_domains))

    def allows(self, url: str) -> bool:
        if has_credentials(url):
            return False
        if self.domains:
            return in_domains(url, self.domains)
        return origin(url) in self.origins


def is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def _host_is_private(host: str) -> bool:
    """True when ``host`` is (or resolves to) a non-public address; unresolvable hosts are public."""
    try:
        return is_private(host)
    except ValueError:
        pass
    try:
        return any(is_private(str(info[4][0])) for info in socket.getaddrinfo(host, None))
    except OSError:
        return False


class ScopeMiddleware:
    """Downloader middleware (before robots.txt, so even its request is checked)."""

    def __init__(self, crawler: Crawler, private: str) -> None:
        self.crawler = crawler
        self.private = private  # "auto", "allow" or "deny"
        self._guard: bool | None = None
        # handed over by the spider when it opens (``use``): a spider without them is not limited
        self.scope: Scope | None = None
        self.start_urls: list[str] = []

    def use(self, scope: Scope | None, start_urls: list[str]) -> None:
        """The crawl's origins and start URLs, handed over by the spider when it opens."""
        self.scope = scope
        self.start_urls = list(start_urls)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        return cls(crawler, str(crawler.settings.get("SCOPE_PRIVATE_ADDRESSES") or "auto").lower())

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if has_credentials(request.url):
            raise CredentialsInUrl("a URL with credentials is never fetched")
        scope = self.scope
        if scope is not None and not scope.allows(request.url):
            raise OutOfScope(f"{request.url} is outside the crawl's origins")
        if self._guards_private():
            host = urlsplit(request.url).hostname or ""
            if await self._resolves_private(host):
                raise PrivateAddress(f"{host} is not a public address")

    def _guards_private(self) -> bool:
        """A crawl whose start URLs are all public never goes private (SSRF); one started on a local
        or private address (a test site, an intranet) may stay there."""
        if self._guard is None:
            if self.private in ("deny", "allow"):
                self._guard = self.private == "deny"
            else:
                starts = self.start_urls
                self._guard = bool(starts) and not any(_host_is_private(urlsplit(u).hostname or "") for u in starts)
        return self._guard

    async def _resolves_private(self, host: str) -> bool:
        try:
            return is_private(host)
        except ValueError:
            pass
        from twisted.internet import reactor

        # the crawler's own caching resolver: the connection that follows uses the address checked here
        try:
            address = await maybe_deferred_to_future(reactor.resolve(host))  # type: ignore[arg-type]
        except Exception:
            return False  # the download itself reports the DNS error
        return is_private(address)


class RedirectCredentialsMiddleware:
    """Before the redirect middleware: a Location with ``user:pass@`` is refused there, so the URL
    never reaches a log line (Scrapy logs redirects with their target)."""

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        location = response.headers.get("Location")
        if location and 300 <= response.status < 400:
            target = response.urljoin(location.decode("latin-1"))
            if has_credentials(target):
                raise CredentialsInUrl("redirected to a URL with credentials")
        return response
