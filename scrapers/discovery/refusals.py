"""Typed refusals: every request the crawl refuses on purpose raises one of these, so the failure
classification (``discovery/failures.py``) reads the type, never the message."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class Refused(IgnoreRequest):
    """A request the crawl will not fetch; ``reason`` is the failures-file reason."""

    reason = "ignored"


class OutOfScope(Refused):
    """Outside the start URLs' origins (or the site config's allowed_domains)."""

    reason = "offsite"


class CredentialsInUrl(Refused):
    """``user:pass@`` in the URL: never fetched, never logged."""

    reason = "credentials_in_url"


class PrivateAddress(Refused):
    """A crawl started on a public address was led to a loopback, private, link-local or metadata one."""

    reason = "private_address"


class TooLarge(Refused):
    """Past ``DOWNLOAD_MAXSIZE``, also while decompressing (a compression bomb)."""

    reason = "too_large"


class PolicySkip(IgnoreRequest):
    """Skipped on purpose, not a failure: robots.txt, or fetched recently by an earlier run."""
