"""Per-site crawl configs: one TOML file per site in this package."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from scrapers.extraction import SiteSelectors

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class SiteConfig:
    """What the generic spider needs to know about one site."""

    name: str
    start_urls: list[str]
    allowed_domains: list[str] = field(default_factory=list)
    article_allow: list[str] = field(default_factory=list)
    article_deny: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    selectors: SiteSelectors = field(default_factory=SiteSelectors)
    description: str = ""

    @classmethod
    def from_mapping(cls, name: str, data: dict[str, Any]) -> SiteConfig:
        known = {"start_urls", "allowed_domains", "article_allow", "article_deny", "sitemaps", "feeds",
                 "selectors", "description"}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"site {name!r}: unknown keys {', '.join(sorted(unknown))}")
        for pattern in data.get("article_allow", []) + data.get("article_deny", []):
            re.compile(pattern)
        urls = list(data.get("start_urls", [])) + list(data.get("sitemaps", [])) + list(data.get("feeds", []))
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"site {name!r}: only http(s) URLs can be crawled, not {url!r}")
        return cls(
            name=name,
            start_urls=list(data.get("start_urls", [])),
            allowed_domains=list(data.get("allowed_domains", [])),
            article_allow=list(data.get("article_allow", [])),
            article_deny=list(data.get("article_deny", [])),
            sitemaps=list(data.get("sitemaps", [])),
            feeds=list(data.get("feeds", [])),
            selectors=SiteSelectors.from_mapping(data.get("selectors")),
            description=str(data.get("description", "")),
        )


def site_names() -> list[str]:
    folder = resources.files(__name__)
    return sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".toml"))


def load_site(name: str) -> SiteConfig:
    if not _NAME.match(name):
        raise ValueError(f"invalid site name {name!r}")
    entry = resources.files(__name__).joinpath(f"{name}.toml")
    if not entry.is_file():
        known = ", ".join(site_names()) or "none"
        raise ValueError(f"unknown site {name!r} (configured sites: {known})")
    return SiteConfig.from_mapping(name, tomllib.loads(entry.read_text(encoding="utf-8")))


def all_sites() -> list[SiteConfig]:
    return [load_site(name) for name in site_names()]
