"""Can the crawl reach what it needs? Checked once before the first request, so a typo in a host name or
a Redis that is down ends in one line instead of a crawl that fails page by page."""

from __future__ import annotations

import os
import socket
import ssl
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

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
                if parts.scheme == "https" and not _speaks_tls(sock, host):
                    plain = urlunsplit(("http", *parts[1:]))
                    return f"{host}:{port} answers in plain HTTP, not https (try {plain})"
            return None
        except OSError as err:
            last = err.strerror or type(err).__name__
    return f"cannot connect to {host}:{port} ({last})"


def _speaks_tls(sock: socket.socket, host: str) -> bool:
    """False only when the server answers a TLS hello with something else (a plain HTTP server's 400).
    Certificates are not judged here: the crawl's own TLS settings decide about them."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with context.wrap_socket(sock, server_hostname=host or None, do_handshake_on_connect=False) as tls:
            tls.do_handshake()
    except ssl.SSLError as err:
        return err.reason not in ("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST")
    except OSError:
        return True  # a timeout or a reset: the crawl will report it as it does any other
    return True


def unwritable(folder: Path, create: bool = True) -> str | None:
    """Why files cannot be written in ``folder`` (made if missing and ``create``, as the crawl would), or
    None. Tried for real: permission bits do not tell about a read-only mount, nor about root."""
    if folder.exists() and not folder.is_dir():
        return f"{folder} is a file, not a folder"
    if not create and not folder.exists():
        return f"the folder {folder} does not exist"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder) as probe:
            # one byte, synced: a full disk still lets an empty file be made
            probe.write(b"\n")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as err:
        return f"cannot write there ({err.strerror or err})"
    return None


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
