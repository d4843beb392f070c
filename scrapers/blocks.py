"""Recognise bot challenges and consent walls, so they are recorded as blocked, never as articles.

This runs on every response, so it is written to be cheap on ordinary pages: a 200 page is only
searched for markers when its visible text is as short as a challenge or a wall is.
"""

from __future__ import annotations

import re

from scrapy.http import Response

# Lower-case patterns searched in lower-cased bytes: the same matches as re.I, many times faster.
_CHALLENGE_MARKERS = re.compile(
    rb"cf-chl-|challenge-platform|cf_chl_opt|<title>\s*just a moment|attention required! \| cloudflare|"
    rb"_incapsula_resource|incap_ses_|px-captcha|perimeterx|datadome|geo\.captcha-delivery\.com|"
    rb"g-recaptcha|h-captcha|hcaptcha\.com|are you a robot|verify you are (?:a )?human|"
    rb"please enable (?:javascript|js) and cookies|checking your browser before accessing|"
    rb"ddos protection by|access denied</title>|request unsuccessful\. incapsula"
)
_CONSENT_MARKERS = re.compile(
    rb"before you continue|bevor sie fortfahren|"
    rb"accept (?:all )?cookies to (?:continue|read)|we value your privacy|"
    rb"to continue reading,? (?:please )?accept|zustimmen und weiter|accepter et continuer"
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
    if status in ERROR_STATUSES and _CHALLENGE_MARKERS.search(head):
        return f"bot challenge (HTTP {status})"
    text = _visible_text(head)
    if len(text) >= MAX_WALL_TEXT_BYTES:
        return None
    if status == 200 and _CHALLENGE_MARKERS.search(head):
        return "bot challenge"
    if _CONSENT_MARKERS.search(text):
        return "consent wall"
    if status == 202 and len(text) < 200:
        return "empty 202 response (JavaScript challenge)"
    return None


def _visible_text(html: bytes) -> bytes:
    return b" ".join(_TEXT.sub(b" ", html).split())
