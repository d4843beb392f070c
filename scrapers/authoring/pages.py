"""A site's saved pages: ``<folder of NAME.toml>/NAME/pages/<slug>.html`` beside ``<slug>.json``.

The JSON holds the URL the page was fetched from and the fields expected of it. Expectations are golden
files: ``capture`` drafts them from the current extraction and a person reads every field before committing
them; a field removed from ``fields`` is not checked. Bundled sites keep theirs as package data (setup.py),
read through importlib.resources; a user's sites keep theirs in SITES_DIR.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .. import sites as sites_package
from ..extraction import Article
from ..sites import SiteConfigError, site_files

PAGES = "pages"
# Fields that say when and by what a record was written, or are computed from other fields: not expectations.
NOT_EXPECTED = ("url", "id", "content_hash", "fetched_at", "spider", "schema_version")
_SLUG_PART = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 80


@dataclass(frozen=True)
class SavedPage:
    slug: str
    url: str
    html: bytes
    expected: dict[str, Any]
    source: str  # the JSON file, for messages
    content_type: str | None = None  # the HTTP header it was served with: its charset decodes the saved bytes


def expected_fields(article: Article, site: str) -> dict[str, Any]:
    """The record fields a saved page is checked on, ``site`` as the crawl sets it (the config's name)."""
    record = article.to_dict()
    record["site"] = site
    return {key: value for key, value in record.items() if key not in NOT_EXPECTED}


def slug_for(url: str) -> str:
    """``/world/2026/11/20/fish-market.html`` -> ``world-2026-11-20-fish-market``."""
    parts = urlsplit(url)
    path = re.sub(r"\.(?:s?html?|php|aspx?)$", "", parts.path.lower())
    slug = _SLUG_PART.sub("-", f"{path} {parts.query.lower()}").strip("-")[-MAX_SLUG:].strip("-")
    return slug or "index"


def site_folder(name: str, sites_dir: str | Path | None) -> Traversable:
    """The folder that holds (or will hold) NAME's saved pages: beside its config file (SITES_DIR wins)."""
    files = site_files(sites_dir)
    if name not in files:
        known = ", ".join(files) or "none"
        raise SiteConfigError(f"unknown site {name!r} (configured sites: {known}; `presswire sites` lists them)")
    if sites_dir and (Path(sites_dir).expanduser() / f"{name}.toml").is_file():
        parent: Traversable = Path(sites_dir).expanduser()
    else:
        parent = resources.files(sites_package.__name__)
    return parent.joinpath(name).joinpath(PAGES)


def writable_folder(name: str, sites_dir: str | Path | None) -> Path:
    """Where ``capture`` writes NAME's pages: SITES_DIR, or the bundled folder of a source checkout (never an
    installed package's)."""
    folder = site_folder(name, sites_dir)
    if sites_dir and (Path(sites_dir).expanduser() / f"{name}.toml").is_file() and isinstance(folder, Path):
        return folder
    # bundled: scrapers/sites/NAME/pages, in a checkout whose root holds scrapy.cfg
    if not isinstance(folder, Path) or not (folder.parents[3] / "scrapy.cfg").is_file():
        raise SiteConfigError(f"{name} is bundled inside the installed package; copy {name}.toml into your "
                              "SITES_DIR and capture there")
    return folder


def saved_pages(name: str, sites_dir: str | Path | None = None) -> list[SavedPage]:
    """Every saved page of a site, by slug; a page without its JSON (or the reverse) is a SiteConfigError."""
    folder = site_folder(name, sites_dir)
    if not folder.is_dir():
        return []
    entries = {entry.name: entry for entry in folder.iterdir()}
    pages = []
    for file_name in sorted(entries):
        slug, dot, suffix = file_name.rpartition(".")
        if not dot or suffix not in ("html", "json"):
            continue
        other = f"{slug}.{'json' if suffix == 'html' else 'html'}"
        if other not in entries:
            raise SiteConfigError(f"{folder}/{file_name}: saved page without its {other}")
        if suffix == "json":
            pages.append(_read(slug, entries[f"{slug}.html"], entries[file_name], f"{folder}/{file_name}"))
    return pages


def _read(slug: str, html: Traversable, expectation: Traversable, source: str) -> SavedPage:
    try:
        data = json.loads(expectation.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise SiteConfigError(f"{source}: not readable JSON: {err}") from None
    if not isinstance(data, dict) or not isinstance(data.get("url"), str) or not isinstance(data.get("fields"), dict):
        raise SiteConfigError(f'{source}: expected {{"url": "...", "fields": {{...}}}}')
    content_type = data.get("content_type")
    return SavedPage(slug, data["url"], html.read_bytes(), data["fields"], source,
                     content_type if isinstance(content_type, str) else None)


def save_page(folder: Path, url: str, html: bytes, fields: dict[str, Any], content_type: str | None = None) -> Path:
    """Write ``<slug>.html`` and ``<slug>.json``; the same URL again replaces its files, another URL with the
    same slug gets a suffix. Each file is written whole (a temporary file renamed), the page first: a crash
    between the two leaves a new page beside its old expectations, which ``check`` reports as differences
    (or, for a new slug, a page without its JSON, which ``check`` names), never half a file."""
    folder.mkdir(parents=True, exist_ok=True)
    slug = slug_for(url)
    existing = folder / f"{slug}.json"
    if existing.exists() and _saved_url(existing) != url:
        slug = f"{slug}-{hashlib.sha256(url.encode()).hexdigest()[:8]}"
    document: dict[str, Any] = {"url": url, "fields": fields}
    if content_type:
        document = {"url": url, "content_type": content_type, "fields": fields}
    _write(folder / f"{slug}.html", html)
    _write(folder / f"{slug}.json",
           (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return folder / f"{slug}.json"


def _saved_url(path: Path) -> str | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("url") if isinstance(data, dict) else None


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all; a temporary name of this process's own, so two captures never share one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(temporary, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
