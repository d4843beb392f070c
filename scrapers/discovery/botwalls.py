"""Recognise bot challenges and consent walls, so they are recorded as blocked, never as articles.

This runs on every response, so it is written to be cheap on ordinary pages: a 200 page is only
searched for markers when its visible text is as short as a challenge or a wall is.
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
_TEXT = re.compile(rb"<(script|style)\b.*?</\1>|<[^>]+>", re.S)
# A consent wall has the marker and little else; a real article that mentions cookies has text.
MAX_WALL_TEXT_BYTES = 3000
SNIFF_BYTES = 200_000
ERROR_STATUSES = frozenset({202, 403, 429, 503})


def block_reason(response: Response) -> str | None:
    """'bot challenge (HTTP 403)' / 'consent wall' when the response is not the page asked for."""
    host = response.url.split("//", 1)[-1].split("/", 1)[0]
    if _CONSENT_HOST.match(host):
        return "consent wall (redirected to a consent host)"
    status = response.status
    head = response.body[:SNIFF_BYTES].lower()
    if status in ERROR_STATUSES and _contains_any(head, _CHALLENGE_MARKERS):
        return f"bot challenge (HTTP {status})"
    challenge = status == 200 and _contains_any(head, _CHALLENGE_MARKERS)
    consent = _contains_any(head, _CONSENT_MARKERS)
    if not (challenge or consent or status == 202):
        return None  # an ordinary page: no need to strip its markup
    text = _visible_text(head)
    if len(text) >= MAX_WALL_TEXT_BYTES:
        return None
    if challenge:
        return "bot challenge"
    if consent and _contains_any(text, _CONSENT_MARKERS):
        return "consent wall"
    if status == 202 and len(text) < 200:
        return "empty 202 response (JavaScript challenge)"
    return None


def _contains_any(data: bytes, phrases: tuple[bytes, ...]) -> bool:
    return any(phrase in data for phrase in phrases)


def _visible_text(html: bytes) -> bytes:
    return b" ".join(_TEXT.sub(b" ", html).split())
