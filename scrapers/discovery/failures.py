"""Why a request produced no page: errback failures turned into failure reasons."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from scrapers.discovery.botwalls import block_reason

# IgnoreRequest messages that are policy, not failure: robots.txt and the re-crawl interval.
_SKIPS = ("forbidden by robots.txt", "fetched less than")


def classify(failure: Failure) -> tuple[str, str] | None:
    """(reason, detail), or None when the request was skipped on purpose."""
    error = failure.value
    if failure.check(HttpError):
        response = error.response
        blocked = block_reason(response)
        if blocked:
            return "blocked", blocked
        status = response.status
        if 300 <= status < 400:
            location = response.headers.get("Location", b"").decode("latin-1")
            return "redirect_refused", f"HTTP {status} to {location or '(no Location)'}"
        return ("http_4xx" if status < 500 else "http_5xx"), f"HTTP {status}"
    message = str(error)
    if failure.check(IgnoreRequest):
        lowered = message.lower()
        if any(skip in lowered for skip in _SKIPS):
            return None
        if "max redirections" in lowered:
            return "redirect_loop", message
        if "offsite" in lowered:
            redirects = failure.request.meta.get("redirect_urls") if failure.request else None
            return ("offsite_redirect" if redirects else "offsite"), message
        return "ignored", message
    name = type(error).__name__.lower()
    if "maxsize" in message.lower().replace(" ", "") or "larger than download max size" in message:
        return "too_large", message[:300]
    if "timeout" in name:
        return "timeout", message[:300]
    if "dns" in name or "resolve" in name or "lookup" in name:
        return "dns_error", message[:300]
    text = f"{name} {message}".lower()
    if any(word in text for word in ("refused", "connectionlost", "connection lost", "connection was closed",
                                     "connectionreset", "connection reset", "dataloss", "connectiondone")):
        return "connection_error", f"{type(error).__name__}: {message}"[:300]
    return "download_error", f"{type(error).__name__}: {message}"[:300]
