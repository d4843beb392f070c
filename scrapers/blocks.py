"""Recognise bot challenges and consent walls, so they are recorded as blocked, never as articles."""

from __future__ import annotations

import re

from scrapy.http import Response

_CHALLENGE_MARKERS = re.compile(
    rb"cf-chl-|challenge-platform|cf_chl_opt|<title>\s*just a moment|attention required! \| cloudflare|"
    rb"_incapsula_resource|incap_ses_|px-captcha|perimeterx|datadome|geo\.captcha-delivery\.com|"
    rb"g-recaptcha|h-captcha|hcaptcha\.com|are you a robot|verify you are (?:a )?human|"
    rb"please enable (?:javascript|js) and cookies|checking your browser before accessing|"
    rb"ddos protection by|access denied</title>|request unsuccessful\. incapsula",
    re.I,
)
_CONSENT_MARKERS = re.compile(
    rb"before you continue|bevor sie fortfahren|"
    rb"accept (?:all )?cookies to (?:continue|read)|we value your privacy|"
    rb"to continue reading,? (?:please )?accept|zustimmen und weiter|accepter et continuer",
    re.I,
)
_CONSENT_HOST = re.compile(r"^(?:consent|privacy|cmp|gdpr)\.", re.I)
_TEXT = re.compile(rb"<(script|style)\b.*?</\1>|<[^>]+>", re.I | re.S)
# A consent wall has the marker and little else; a real article that mentions cookies has text.
MAX_WALL_TEXT_BYTES = 3000
SNIFF_BYTES = 200_000


def block_reason(response: Response) -> str | None:
    """'challenge (HTTP 403)' / 'consent wall' when the response is not the page asked for."""
    head = response.body[:SNIFF_BYTES]
    status = response.status
    if status in (202, 403, 429, 503) and _CHALLENGE_MARKERS.search(head):
        return f"bot challenge (HTTP {status})"
    if status == 200 and _CHALLENGE_MARKERS.search(head) and len(_visible_text(head)) < MAX_WALL_TEXT_BYTES:
        return "bot challenge"
    host = response.url.split("//", 1)[-1].split("/", 1)[0]
    if _CONSENT_HOST.match(host):
        return "consent wall (redirected to a consent host)"
    text = _visible_text(head)
    if len(text) < MAX_WALL_TEXT_BYTES and _CONSENT_MARKERS.search(text):
        return "consent wall"
    if status == 202 and len(_visible_text(head)) < 200:
        return "empty 202 response (JavaScript challenge)"
    return None


def _visible_text(html: bytes) -> bytes:
    return b" ".join(_TEXT.sub(b" ", html).split())
