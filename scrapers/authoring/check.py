"""Check a site's saved pages: extract each again and compare every expected field, whole.

A difference is (page, field, expected, got). A selector of the site config that matches nothing on any saved
page is reported too: the site changed its markup, or the selector was wrong from the start, and extraction
has quietly fallen back to the generic rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any

from .. import extraction  # extraction.extract_article is imported on first use
from ..extraction import ExtractionError
from ..extraction.document import parse_page
from ..extraction.selectors import select_text
from ..sites import SiteConfig
from .pages import SavedPage, expected_fields

MAX_SHOWN = 160  # characters of a value shown in a report line


@dataclass(frozen=True)
class Difference:
    page: str
    field: str
    expected: Any
    got: Any

    def line(self, site: str) -> str:
        shown_expected, shown_got = shown_pair(self.expected, self.got)
        return f"{site}/{self.page}: {self.field}: expected {shown_expected}, got {shown_got}"


@dataclass
class SiteCheck:
    site: str
    pages: int = 0
    differences: list[Difference] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # pages that gave no article at all
    dead_selectors: list[str] = field(default_factory=list)
    partial_selectors: list[str] = field(default_factory=list)  # a note, not a failure

    @property
    def ok(self) -> bool:
        return not (self.differences or self.failures or self.dead_selectors)

    def lines(self) -> list[str]:
        out = [f"{self.site}/{failure}" for failure in self.failures]
        out += [difference.line(self.site) for difference in self.differences]
        out += [f"{self.site}: {dead}" for dead in self.dead_selectors]
        out += [f"{self.site}: note: {partial}" for partial in self.partial_selectors]
        return out


_MISSING = object()


def check_site(config: SiteConfig, pages: list[SavedPage]) -> SiteCheck:
    result = SiteCheck(config.name, pages=len(pages))
    for page in pages:
        try:
            article = extraction.extract_article(page.html, url=page.url, content_type=page.content_type,
                                      selectors=config.selectors)
        except ExtractionError as err:
            result.failures.append(f"{page.slug}: no article ({err})")
            continue
        got = expected_fields(article, config.name)
        for name, expected in page.expected.items():
            value = got.get(name, _MISSING)
            if value is _MISSING:
                result.failures.append(f"{page.slug}: {name}: not a field of the record ({page.source})")
            elif value != expected:
                result.differences.append(Difference(page.slug, name, expected, value))
    _check_selectors(config, pages, result)
    return result


def _check_selectors(config: SiteConfig, pages: list[SavedPage], result: SiteCheck) -> None:
    selectors = {f.name: getattr(config.selectors, f.name) for f in fields(config.selectors)}
    selectors = {name: value for name, value in selectors.items() if value}
    if not selectors or not pages:
        return
    trees = []
    for page in pages:
        try:
            trees.append((page.slug, parse_page(page.html, page.url, page.content_type).tree))
        except ExtractionError:
            continue  # already reported by the extraction
    for name, expression in selectors.items():
        missed = [slug for slug, tree in trees if not select_text(tree, expression)]
        if trees and len(missed) == len(trees):
            result.dead_selectors.append(f"selectors.{name} {expression!r} matches nothing on the "
                                         f"{len(trees)} saved pages (the generic rules were used instead)")
        elif missed:
            result.partial_selectors.append(f"selectors.{name} {expression!r} matches nothing on "
                                            f"{', '.join(missed)}")


def shown_pair(expected: Any, got: Any) -> tuple[str, str]:
    """Both values as JSON; long strings cut around their first difference so the reader sees it."""
    if isinstance(expected, str) and isinstance(got, str) and max(len(expected), len(got)) > MAX_SHOWN:
        at = next((i for i, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b),
                  min(len(expected), len(got)))
        start = max(0, at - MAX_SHOWN // 2)
        return _cut(expected, start), _cut(got, start)
    return _shown(expected), _shown(got)


def _cut(text: str, start: int) -> str:
    piece = text[start:start + MAX_SHOWN]
    return ("…" if start else "") + json.dumps(piece, ensure_ascii=False) + ("…" if start + MAX_SHOWN < len(text)
                                                                                else "")


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_SHOWN * 2 else text[:MAX_SHOWN * 2] + "…"
