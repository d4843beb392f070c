"""Why a start URL cannot start a crawl, in words a user can act on: checked before the crawl starts
(``-a url=`` and a site config's ``start_urls``), so a typo is one line, not a failed fetch or a traceback."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# a scheme as RFC 3986 spells it; "localhost:8080/" and "127.0.0.1:8765/" are hosts and ports, not schemes
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")


def start_url_problem(url: str, given_as: str = "") -> str | None:
    """One clause saying what is wrong with ``url`` as a start URL, with the likely fix spelt as the user gives
    it (``given_as="-a url="``); None when it is fine."""
    if any(char.isspace() for char in url):
        return "not a URL: it holds a space (several start URLs are separated by commas: -a url=URL,URL)"
    scheme, colon, rest = url.partition(":")
    if "://" not in url:
        if url.startswith("//"):
            return f"no scheme; did you mean {given_as}http:{url} ?"
        if colon and scheme.lower() in ("http", "https"):  # http:/host/, https:host
            return f"malformed; did you mean {given_as}{scheme.lower()}://{rest.lstrip('/')} ?"
        if colon and _SCHEME.fullmatch(scheme) and not rest[:1].isdigit():  # mailto:, javascript:, data:
            return f"only http(s) URLs can be crawled, not {scheme}: URLs"
        return f"no scheme; did you mean {given_as}http://{url} ?"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as err:  # "Invalid IPv6 URL", "Port out of range 0-65535", "Port could not be cast ..."
        if "port" in str(err).lower():
            return "not a URL: the port must be a number from 0 to 65535"
        return f"not a URL: {str(err)[:1].lower()}{str(err)[1:]}"
    if parts.scheme not in ("http", "https"):
        return f"only http(s) URLs can be crawled, not {parts.scheme}:// URLs"
    if not parts.hostname:
        return "no host name after //"
    return None
