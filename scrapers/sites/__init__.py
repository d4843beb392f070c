"""Per-site crawl configs: one TOML file per site, in this package and in the user's own folder.

``SITES_DIR`` (setting; default: the ``PRESSWIRE_SITES_DIR`` environment variable) names a folder of
the user's own ``NAME.toml`` files; a name there replaces the bundled config of the same name. Every
problem in a config (TOML syntax, unknown keys, wrong types, bad regexes, non-http URLs) is a
``SiteConfigError`` whose message names the file, so commands can print it as one line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from ..extraction import SiteSelectors

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_LISTS = ("start_urls", "allowed_domains", "article_allow", "article_deny", "sitemaps", "feeds", "consent_buttons")
_KNOWN = frozenset(_LISTS) | {"selectors", "description", "render", "render_wait_for", "health_alerts"}
_RENDER_MODES = ("never", "auto", "always")


class SiteConfigError(ValueError):
    """A site config that cannot be used; the message names the file and what is wrong."""


class UnknownSite(SiteConfigError):
    """No config of that name (the message lists the configured ones)."""


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
    # the browser (docs/rendering.md): "never" | "auto" | "always" ("" = the RENDER_MODE setting), a
    # selector whose text means the article is there, the site's own consent buttons (tried first)
    render: str = ""
    render_wait_for: str = ""
    consent_buttons: list[str] = field(default_factory=list)
    health_alerts: bool = True  # False: site health findings are reported but do not set the exit code

    @classmethod
    def from_mapping(cls, name: str, data: dict[str, Any], source: str | None = None) -> SiteConfig:
        where = f"{source}: site {name!r}" if source else f"site {name!r}"
        unknown = set(data) - _KNOWN
        if unknown:
            raise SiteConfigError(f"{where}: unknown keys {', '.join(sorted(unknown))} "
                                  f"(known: {', '.join(sorted(_KNOWN))})")
        lists: dict[str, list[str]] = {}
        for key in _LISTS:
            value = data.get(key, [])
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise SiteConfigError(f"{where}: {key} must be a list of strings, like {key} = [\"…\"], "
                                      f"not {value!r}")
            lists[key] = list(value)
        for key in ("article_allow", "article_deny"):
            for index, pattern in enumerate(lists[key]):
                try:
                    re.compile(pattern)
                except re.error as err:
                    raise SiteConfigError(f"{where}: {key}[{index}] {pattern!r} is not a valid regex ({err})") from None
        for key in ("start_urls", "sitemaps", "feeds"):
            for url in lists[key]:
                if not url.startswith(("http://", "https://")):
                    raise SiteConfigError(f"{where}: {key}: only http(s) URLs can be crawled, not {url!r}")
        selectors = data.get("selectors")
        if selectors is not None and not (isinstance(selectors, dict)
                                          and all(isinstance(v, str) for v in selectors.values())):
            raise SiteConfigError(f"{where}: [selectors] must be a table of CSS/XPath strings")
        description = data.get("description", "")
        if not isinstance(description, str):
            raise SiteConfigError(f"{where}: description must be a string")
        render = data.get("render", "")
        if render not in ("", *_RENDER_MODES):
            raise SiteConfigError(f"{where}: render must be one of {', '.join(_RENDER_MODES)}, not {render!r}")
        render_wait_for = data.get("render_wait_for", "")
        if not isinstance(render_wait_for, str):
            raise SiteConfigError(f"{where}: render_wait_for must be a CSS selector string")
        health_alerts = data.get("health_alerts", True)
        if not isinstance(health_alerts, bool):
            raise SiteConfigError(f"{where}: health_alerts must be true or false, not {health_alerts!r}")
        try:
            parsed_selectors = SiteSelectors.from_mapping(selectors)
        except Exception as err:  # cssselect and lxml raise their own syntax errors for a bad selector
            raise SiteConfigError(f"{where}: [selectors]: {err}") from None
        return cls(name=name, selectors=parsed_selectors, description=description, render=render,
                   render_wait_for=render_wait_for, health_alerts=health_alerts, **lists)


def site_files(sites_dir: str | Path | None = None) -> dict[str, Traversable]:
    """NAME -> config file: the bundled ones, then the user's folder (which wins on a name clash)."""
    files: dict[str, Traversable] = {}
    folders: list[Traversable] = [resources.files(__name__)]
    if sites_dir:
        user_folder = Path(sites_dir).expanduser()
        if not user_folder.is_dir():
            what = "a file, not a folder of NAME.toml files" if user_folder.exists() else "no such folder"
            raise SiteConfigError(f"SITES_DIR={sites_dir}: {what}")
        folders.append(user_folder)
    for folder in folders:
        for entry in folder.iterdir():
            if entry.name.endswith(".toml") and _NAME.match(entry.name[:-5]):
                files[entry.name[:-5]] = entry
    return dict(sorted(files.items()))


# what a user may have written a site config as, that is not read
_LOOKALIKE_SUFFIXES = (".toml", ".yaml", ".yml", ".json", ".ini", ".cfg", ".txt")


def unread_files(sites_dir: str | Path | None) -> dict[str, str]:
    """Files of the user's folder that look like site configs but are not read, each with why:
    a name ``site_files`` does not take (upper case, dots, spaces) or another format than TOML."""
    folder = Path(sites_dir).expanduser() if sites_dir else None
    if folder is None or not folder.is_dir():
        return {}
    unread = {}
    for entry in sorted(folder.iterdir()):
        stem, suffix = entry.stem, entry.suffix.lower()
        if entry.name.startswith(".") or suffix not in _LOOKALIKE_SUFFIXES or not entry.is_file():
            continue
        if suffix != ".toml" or entry.suffix != ".toml":
            unread[str(entry)] = f"not read: site configs are NAME.toml files (TOML), not {entry.suffix}"
        elif not _NAME.match(stem):
            unread[str(entry)] = (f"not read: {stem!r} is not a site name (lowercase letters, digits, - and _, "
                                  "starting with a letter or digit)")
    return unread


def site_names(sites_dir: str | Path | None = None) -> list[str]:
    return list(site_files(sites_dir))


def load_site(name: str, sites_dir: str | Path | None = None) -> SiteConfig:
    if not _NAME.match(name):
        raise SiteConfigError(f"invalid site name {name!r} (lowercase letters, digits, - and _)")
    files = site_files(sites_dir)
    entry = files.get(name)
    if entry is None:
        known = ", ".join(files) or "none"
        raise UnknownSite(f"unknown site {name!r} (configured sites: {known})")
    try:
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise SiteConfigError(f"{entry}: not valid TOML: {err}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SiteConfigError(f"{entry}: cannot be read: {err}") from None
    return SiteConfig.from_mapping(name, data, source=str(entry))


def check_sites(sites_dir: str | Path | None = None) -> tuple[list[SiteConfig], list[str]]:
    """Every config that loads, and one message per config that does not."""
    good, problems = [], []
    for name in site_names(sites_dir):
        try:
            good.append(load_site(name, sites_dir))
        except SiteConfigError as err:
            problems.append(str(err))
    return good, problems


def all_sites(sites_dir: str | Path | None = None) -> list[SiteConfig]:
    return [load_site(name, sites_dir) for name in site_names(sites_dir)]
