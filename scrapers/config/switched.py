"""Scrapy components that a setting switches off, loaded only when it is on.

Scrapy imports every component named in its settings before asking it whether it is enabled, and
some of their modules are heavy: the remote control extension loads aiohttp (0.1 s of CPU), the
cookies middleware tldextract, the telnet console Twisted's conch. Presswire switches all three off
by default (settings.py), yet a crawl paid for those imports at every start. Each class here stands
in for one of them at the same order: it reads the setting first and builds Scrapy's own component
only when it is on, so ``-s COOKIES_ENABLED=1`` and the others work as before.
"""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import build_from_crawler, load_object


class SwitchedComponent:
    """Builds ``component`` (an import path) when the boolean setting ``setting`` is on."""

    setting: ClassVar[str]
    component: ClassVar[str]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        if not crawler.settings.getbool(cls.setting):
            raise NotConfigured  # without a message: Scrapy logs a disabled component's message as a warning
        return build_from_crawler(load_object(cls.component), crawler)


class RemoteControl(SwitchedComponent):
    setting = "REMOTE_CONTROL_ENABLED"
    component = "scrapy.extensions.remote_control.RemoteControl"


class TelnetConsole(SwitchedComponent):
    setting = "TELNETCONSOLE_ENABLED"
    component = "scrapy.extensions.telnet.TelnetConsole"


class CookiesMiddleware(SwitchedComponent):
    setting = "COOKIES_ENABLED"
    component = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
