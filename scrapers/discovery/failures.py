"""Why a request produced no page: errback failures turned into failure reasons.

Read from the exception's type and the request's meta only: messages change between Scrapy and
Twisted versions, and may carry text from the site.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx_error
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from .botwalls import block_reason
from .refusals import OutOfScope, PolicySkip, Refused
from .sizes import EXCEEDED

_TIMEOUTS = (DownloadTimeoutError, tx_error.TimeoutError, tx_error.TCPTimedOutError)
_DNS = (CannotResolveHostError, tx_error.DNSLookupError)
_CONNECTION = (DownloadConnectionRefusedError, DownloadFailedError, ResponseDataLossError, ResponseFailed,
               ResponseNeverReceived, tx_error.ConnectionRefusedError, tx_error.ConnectionLost,
               tx_error.ConnectionDone, tx_error.ConnectError)


def classify(failure: Failure) -> tuple[str, str] | None:
    """(reason, detail), or None when the request was skipped on purpose."""
    error: Any = failure.value
    request = getattr(failure, "request", None)
    meta = request.meta if request is not None else {}
    if failure.check(HttpError):
        response = error.response
        blocked = block_reason(response)
        if blocked:
            return "blocked", blocked
        status = response.status
        if 300 <= status < 400:
            return "redirect_refused", f"HTTP {status} to a URL that cannot be fetched"
        return ("http_4xx" if status < 500 else "http_5xx"), f"HTTP {status}"
    if failure.check(PolicySkip):
        return None
    if failure.check(OutOfScope):
        return ("offsite_redirect" if meta.get("redirect_urls") else "offsite"), _detail(error)
    if failure.check(Refused):
        return error.reason, _detail(error)
    if failure.check(IgnoreRequest):
        # Scrapy's redirect middleware is the one left raising a plain IgnoreRequest on a redirected request
        if meta.get("redirect_urls"):
            return "redirect_loop", f"more than {len(meta['redirect_urls'])} redirects"
        return "ignored", _detail(error)
    if failure.check(DownloadCancelledError, CancelledError):
        if meta.get(EXCEEDED):
            return "too_large", f"over {meta[EXCEEDED]} bytes"
        return None  # cancelled by a shutdown: the resumed job fetches it again
    if failure.check(*_TIMEOUTS):
        return "timeout", _detail(error)
    if failure.check(*_DNS):
        return "dns_error", _detail(error)
    if failure.check(*_CONNECTION):
        return "connection_error", _detail(error)
    return "download_error", _detail(error)


def _detail(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]
