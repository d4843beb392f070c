"""The folder tree is the architecture: imports only go down the layers, never up or sideways.

Layers, bottom to top (docs/architecture.md):
  extraction  <  discovery, sites, workers, config, export  <  incremental, authoring, rendering, health
  <  jobs  <  archives, distributed
  <  pipelines  <  spiders, commands
A module may import its own folder and any lower layer. ``scrapers`` never imports ``pipelines``
(item pipelines sit above the crawler's building blocks and are wired in by name in settings.py).
Below the spiders nothing reads a spider's or the crawler's attributes by name (``getattr``): what a
component needs is handed to it (the run, from ``scrapers/jobs/extension.py``).
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
    # what earlier runs wrote (the store), incremental discovery, the re-crawl policy
    "scrapers.incremental": 2,
    # the one-site developer's loop (saved pages, check, new-site, explain): fetches with Scrapy, reads extraction
    "scrapers.authoring": 2,
    # the browser for pages built by JavaScript: its failures are typed refusals (discovery)
    "scrapers.rendering": 2,
    # site health: measures a run's records, compares with the site's normal, the report; store-free
    "scrapers.health": 2,
    # one run: its record path (Run.finish), files, publication, versions, counts; its Scrapy extension
    "scrapers.jobs": 3,
    # WARC reading and writing (warcio), archived pages through the pool to the run; the crawl's recorder
    "scrapers.archives": 4,
    "scrapers.distributed": 4,
    "pipelines": 5,
    "scrapers.spiders": 6,
    "scrapers.commands": 6,
    # settings.py names components as strings and imports nothing of the project
    "scrapers.settings": 7,
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


# The layers above the spiders may look at a finished crawler (the crawl command's summary).
ABOVE_SPIDERS = {"scrapers.spiders", "scrapers.commands", "scrapers.settings"}


def attribute_reads_by_name(path: Path) -> list[str]:
    """``getattr``/``hasattr`` calls whose object is a spider or a crawler (``spider``, ``self.crawler``,
    ``crawler.spider``): run state read by name, a tie no import shows."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "hasattr") and node.args):
            continue
        target = node.args[0]
        name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else ""
        if name in ("spider", "crawler"):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=[module_name(p) for p in SOURCES])
def test_nothing_below_the_spiders_reads_a_spider_or_crawler_by_name(path: Path) -> None:
    if feature_of(module_name(path)) in ABOVE_SPIDERS:
        return
    found = attribute_reads_by_name(path)
    assert not found, f"{module_name(path)} reads a spider or crawler attribute by name:\n" + "\n".join(found)


def test_the_getattr_checker_sees_a_read(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f(crawler, spider):\n    return getattr(crawler.spider, 'window', None), "
                     "getattr(spider, 'x'), getattr(crawler, '_presswire_run_files'), getattr(response, 'url')\n")
    assert len(attribute_reads_by_name(probe)) == 3


def test_scrapers_never_imports_pipelines() -> None:
    """docs/architecture.md says so: the item pipelines are wired in by name (settings.py)."""
    wrong = [f"{module_name(p)} line {line}: {name}" for p in SOURCES if module_name(p).startswith("scrapers")
             for line, name in project_imports(p) if name.split(".")[0] == "pipelines"]
    assert not wrong, wrong
    assert "`scrapers` never imports `pipelines`" in (ROOT / "docs" / "architecture.md").read_text("utf-8")


def test_the_packages_import_themselves_relatively() -> None:
    """Installed, the code lives under ``presswire.scrapers`` and ``presswire.pipelines`` (setup.py): an
    absolute ``scrapers.…`` import inside ``scrapers`` would need an import hook to resolve there."""
    absolute = [f"{module_name(p)} line {node.lineno}: {node.module}" for p in SOURCES
                for node in ast.walk(ast.parse(p.read_text("utf-8")))
                if isinstance(node, ast.ImportFrom) and node.level == 0
                and (node.module or "").split(".")[0] == module_name(p).split(".")[0]]
    assert not absolute, absolute
    init = (ROOT / "presswire" / "__init__.py").read_text("utf-8")
    code = init.split('"""')[2]  # after the docstring: no import hook, nothing imported at all
    assert "import" not in code and "meta_path" not in code
