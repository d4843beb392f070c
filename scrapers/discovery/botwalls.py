"""Recognise bot challenges and consent walls, so they are recorded as blocked, never as articles.

This runs on every response, so it is written to be cheap on ordinary pages. A challenge or a wall
shows little text, so the page's visible text is measured first, in one pass over the markup that
stops as soon as there is more text than any challenge or wall shows: an ordinary page (an
article's worth of text, wherever it starts: a real article may come after 200 KB of scripts) is
done then, whatever widget (a captcha for its comment form) it embeds. Only a page with little text
has the head of its markup searched for markers.
"""

from __future__ import annotations

import re

from scrapy.http import Response

# Lower-case phrases looked for in lower-cased bytes: plain substring tests run at memory speed,
# where a regex alternation of the same phrases costs a millisecond on every page.
_CHALLENGE_MARKERS = (
    b"cf-chl-", b"challenge-platform", b"cf_chl_opt", b"just a moment...", b"attention required! | cloudflare",
    b"_incapsula_resource", b"incap_ses_", b"px-captcha", b"perimeterx", b"datadome", b"captcha-delivery.com",
    b"g-recaptcha", b"h-captcha", b"hcaptcha.com", b"are you a robot", b"verify you are human",
    b"verify you are a human", b"enable javascript and cookies", b"enable js and cookies",
    b"checking your browser before accessing", b"ddos protection by", b"access denied</title>",
    b"request unsuccessful. incapsula",
)
_CONSENT_MARKERS = (
    b"before you continue", b"bevor sie fortfahren", b"accept cookies to continue", b"accept all cookies to continue",
    b"accept cookies to read", b"accept all cookies to read", b"we value your privacy", b"to continue reading, accept",
    b"to continue reading, please accept", b"to continue reading accept", b"zustimmen und weiter",
    b"accepter et continuer",
)
_CONSENT_HOST = re.compile(r"^(?:consent|privacy|cmp|gdpr)\.", re.I)
# Markup, scripts, styles, comments and spaces (skipped, possessively: no backtracking), then a run of
# text (group 1). Each construct is scanned with a negated class, so a long script costs a C loop, and
# the Python loop below sees text runs only.
_SKIP = (rb"<script\b[^<]*(?:<(?!/script\s*>)[^<]*)*</script\s*>"
         rb"|<style\b[^<]*(?:<(?!/style\s*>)[^<]*)*</style\s*>"
         rb"|<noscript\b[^<]*(?:<(?!/noscript\s*>)[^<]*)*</noscript\s*>"
         rb"|<template\b[^<]*(?:<(?!/template\s*>)[^<]*)*</template\s*>"
         rb"|<!--[^-]*(?:-(?!->)[^-]*)*-->|<[^>]*>|\s++")
_TEXT_RUN = re.compile(rb"(?:" + _SKIP + rb")*+([^<]*)", re.I)
# A challenge or a consent wall has the marker and little else; a real article has text. A page served
# with 200 and a captcha marker is an article that embeds a widget (a comment form's captcha) once it
# has more text than a challenge page shows (a few hundred bytes); a wall may list its purposes at length.
MAX_CHALLENGE_TEXT_BYTES = 1500
MAX_WALL_TEXT_BYTES = 3000
SNIFF_BYTES = 200_000
ERROR_STATUSES = frozenset({202, 403, 429, 503})


def block_reason(response: Response) -> str | None:
    """'bot challenge (HTTP 403)' / 'consent wall' when the response is not the page asked for."""
    host = response.url.split("//", 1)[-1].split("/", 1)[0]
    if _CONSENT_HOST.match(host):
        return "consent wall (redirected to a consent host)"
    status = response.status
    text = _visible_text(response.body, MAX_WALL_TEXT_BYTES)
    if len(text) >= MAX_WALL_TEXT_BYTES:
        return None  # an article's worth of text: an ordinary page, whatever markers it embeds
    head = response.body[:SNIFF_BYTES].lower()
    challenge = status in (200, *ERROR_STATUSES) and _contains_any(head, _CHALLENGE_MARKERS)
    if challenge and status in ERROR_STATUSES:
        return f"bot challenge (HTTP {status})"
    if challenge and len(text) < MAX_CHALLENGE_TEXT_BYTES:
        return "bot challenge"
    if _contains_any(head, _CONSENT_MARKERS) and _contains_any(text.lower(), _CONSENT_MARKERS):
        return "consent wall"
    if status == 202 and len(text) < 200:
        return "empty 202 response (JavaScript challenge)"
    return None


def _contains_any(data: bytes, phrases: tuple[bytes, ...]) -> bool:
    return any(phrase in data for phrase in phrases)


def _visible_text(html: bytes, enough: int) -> bytes:
    """The page's visible text, spaces collapsed, read from the start until there are ``enough`` bytes of it.

    Stopping there keeps a long article page cheap; a wall or challenge never gets that far.
    """
    parts: list[bytes] = []
    size = 0
    for match in _TEXT_RUN.finditer(html):
        words = match.group(1).split()
        if words:
            parts.append(b" ".join(words))
            size += len(parts[-1]) + 1
            if size >= enough:
                break
    return b" ".join(parts)
