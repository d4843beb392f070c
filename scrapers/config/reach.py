"""Can the crawl reach what it needs? Checked once before the first request, so a typo in a host name or
a Redis that is down ends in one line instead of a crawl that fails page by page."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

# With a proxy configured the crawler never connects to the site itself: a direct check would lie.
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


def proxied() -> bool:
    return any(os.environ.get(name) for name in _PROXY_VARIABLES)


def unreachable(url: str, timeout: float) -> str | None:
    """Why ``url``'s host cannot be connected to (DNS failure, refused, timed out), or None."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return f"{url}: bad port"
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        return f"cannot resolve host {host!r} ({getattr(err, 'strerror', None) or err})"
    last = "no address"
    for family, kind, proto, _, address in infos:
        try:
            with socket.socket(family, kind, proto) as sock:
                sock.settimeout(timeout)
                sock.connect(address)
            return None
        except OSError as err:
            last = err.strerror or type(err).__name__
    return f"cannot connect to {host}:{port} ({last})"


def redis_problem(url: str, timeout: float = 5.0) -> str | None:
    """Why the Redis at ``url`` does not answer PING, or None."""
    import redis  # only distributed runs need it

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        client.ping()
        client.close()
    except (redis.RedisError, OSError, ValueError) as err:
        return f"REDIS_URL={url}: Redis does not answer ({err})"
    return None
