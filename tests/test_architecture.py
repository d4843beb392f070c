"""The folder tree is the architecture: imports only go down the layers, never up or sideways.

Layers, bottom to top (docs/architecture.md):
  extraction  <  discovery, sites, workers  <  jobs, archives, authoring, rendering
  <  incremental, distributed, archives.recorder
  <  pipelines  <  spiders, commands
A module may import its own folder and any lower layer. ``scrapers`` never imports ``pipelines``
(item pipelines sit above the crawler's building blocks and are wired in by name in settings.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

LAYERS: dict[str, int] = {
    "scrapers.extraction": 0,
    "scrapers.discovery": 1,
    "scrapers.sites": 1,
    "scrapers.workers": 1,
    # start-up checks of settings and of what the crawl must reach; imports no other feature
    "scrapers.config": 1,
    # dumps as tables (the column spec, the DuckDB view, the Parquet export); reads only the schema
    "scrapers.export": 1,
    "scrapers.jobs": 2,
    # WARC reading and writing (warcio), and extraction of archived pages in the worker pool
    "scrapers.archives": 2,
    # the one-site developer's loop (saved pages, check, new-site, explain): fetches with Scrapy, reads extraction
    "scrapers.authoring": 2,
    # the browser for pages built by JavaScript: its failures are typed refusals (discovery)
    "scrapers.rendering": 2,
    # the crawl's WARC recorder publishes with the job, so it sits above jobs
    "scrapers.archives.recorder": 3,
    "scrapers.incremental": 3,
    "scrapers.distributed": 3,
    "pipelines": 4,
    "scrapers.spiders": 5,
    "scrapers.commands": 5,
    # settings.py names components as strings and imports nothing of the project
    "scrapers.settings": 6,
}


def feature_of(module: str) -> str | None:
    """The layer a dotted module name belongs to (its longest matching prefix)."""
    matches = [name for name in LAYERS if module == name or module.startswith(name + ".")]
    return max(matches, key=len) if matches else None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import of scrapers.* or pipelines.* in a file."""
    tree = ast.parse(path.read_text("utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in ("scrapers", "pipelines"):
                found.append((node.lineno, name))
    return found


SOURCES = sorted(p for folder in ("scrapers", "pipelines") for p in (ROOT / folder).rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    homeless = [module_name(p) for p in SOURCES if feature_of(module_name(p)) is None and p.name != "__init__.py"]
    assert not homeless, f"modules outside every feature folder: {homeless}"


@pytest.mark.parametrize("path", SOURCES, ids=[module_name(p) for p in SOURCES])
def test_imports_only_go_down(path: Path) -> None:
    own = feature_of(module_name(path))
    if own is None:
        return
    wrong = []
    for line, imported in project_imports(path):
        target = feature_of(imported)
        if target is None or target == own:
            continue  # the package root (scrapers.__version__) or the module's own folder
        if LAYERS[target] >= LAYERS[own]:
            wrong.append(f"line {line}: {imported} ({target}, layer {LAYERS[target]} >= {LAYERS[own]})")
    assert not wrong, f"{module_name(path)} ({own}) imports up or sideways:\n" + "\n".join(wrong)


def test_the_checker_sees_a_wrong_import(tmp_path: Path) -> None:
    """A module of extraction importing the crawler is caught (the checker itself works)."""
    fake = ROOT / "scrapers" / "extraction" / "_probe_upward.py"
    fake.write_text("from scrapers.jobs.files import run_files\nfrom . import text\n", "utf-8")
    try:
        imports = project_imports(fake)
        assert (1, "scrapers.jobs.files") in imports and (2, "scrapers.extraction.text") in imports
        with pytest.raises(AssertionError, match="imports up or sideways"):
            test_imports_only_go_down(fake)
    finally:
        fake.unlink()
