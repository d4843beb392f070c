"""URL classification for navigation: which links look like articles, listings, or neither."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

_ASSET = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|css|js|json|xml|rss|atom|gz|zip|pdf|mp[34]|m4a|mov|avi|woff2?|ttf|txt)$", re.I
)
_NOT_ARTICLE = re.compile(
    r"/(?:tags?|topics?|authors?|category|categories|section|sections|page|search|login|logout|signin|signup|"
    r"register|subscribe|subscription|account|newsletters?|privacy|terms|cookies?|contact|about|impressum|"
    r"feed|rss|amp/?$|print|share|wp-admin|wp-json|cdn-cgi)(?:/|$|\.)|[?&](?:page|p|replytocom|share)=",
    re.I,
)
_DATE_IN_PATH = re.compile(r"/(?:19|20)\d{2}[/-](?:0?[1-9]|1[0-2])(?:[/-]|$)|/(?:19|20)\d{6}(?:/|$|[-_])")
_SLUG = re.compile(r"[^\W_]+(?:[-_][^\W_]+){3,}", re.U)
_NUMERIC_ID = re.compile(r"(?:^|[/-_.])\d{6,}(?:$|[/-_.])")


# Query parameters that name a session or a campaign, never a different page.
SESSION_PARAMS = re.compile(r"^(?:s?sid|session_?id|jsessionid|phpsessid|aspsessionid\w*|cfid|cftoken|"
                            r"utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|share)$", re.I)
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.I)


def clean_url(url: str) -> str:
    """Drop fragments, session ids and tracking parameters, so one page has one URL."""
    parts = urlsplit(url)
    query = "&".join(p for p in parts.query.split("&") if p and not SESSION_PARAMS.match(p.split("=", 1)[0]))
    path = _PATH_SESSION.sub("", parts.path)
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def host_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def is_http(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def in_domains(url: str, domains: Iterable[str]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in domains)


def looks_like_article(url: str) -> bool:
    """Heuristic for sites without a config: dated paths, long slugs, long numeric ids."""
    parts = urlsplit(url)
    path = parts.path
    path_and_query = path + ("?" + parts.query if parts.query else "")
    if not is_http(url) or _ASSET.search(path) or _NOT_ARTICLE.search(path_and_query):
        return False
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    last = re.sub(r"\.s?html?$|\.php$|\.aspx?$", "", segments[-1])
    return bool(_DATE_IN_PATH.search(path) or _SLUG.fullmatch(last) or _NUMERIC_ID.search(path))


def looks_like_listing(url: str) -> bool:
    """Section and pagination pages: short paths that are neither articles nor assets."""
    parts = urlsplit(url)
    path = parts.path
    if not is_http(url) or _ASSET.search(path) or looks_like_article(url):
        return False
    if re.search(r"/page/\d+/?$", path) or re.search(r"(?:^|&)(?:page|p)=\d+", parts.query):
        return True
    if _NOT_ARTICLE.search(path):
        return False
    segments = [s for s in path.split("/") if s]
    return 1 <= len(segments) <= 2
