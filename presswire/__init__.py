"""Presswire as an installed library: one top-level name, ``presswire``.

The repository keeps ``scrapers/`` and ``pipelines/`` at the top (``scrapy crawl`` runs from there);
``pip install`` puts them under ``presswire.scrapers`` and ``presswire.pipelines`` (setup.py's
``package_dir``), so installing Presswire claims no top-level ``scrapers`` or ``pipelines`` package in a
user's environment.

The code names itself ``scrapers.…`` and ``pipelines.…``: in its imports, and in settings that name
components as strings (``ITEM_PIPELINES``, ``SPIDER_MODULES``). Importing ``presswire`` (the console
command, the Scrapy settings entry point and the extraction workers all do) makes those names resolve
to the namespaced packages, in that process only: each alias is the namespaced module object itself,
never a second copy. A process that imports Presswire should not also import a package of its own named
``scrapers`` or ``pipelines``.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType

__version__ = "0.1.0"  # setup.py reads it from here
ALIASED = ("scrapers", "pipelines")


class _Aliases(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``scrapers.x`` → the module ``presswire.scrapers.x`` (imported there, under its own name)."""

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname.partition(".")[0] not in ALIASED:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(f"{__name__}.{spec.name}")
        spec.loader_state = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the module is already executed. The import system has just set its
        ``__spec__`` to the alias's; the real one goes back, so pickling (the worker pool) and
        importlib.resources (site configs, the schema) keep seeing presswire.scrapers.…"""
        alias = module.__spec__
        if alias is not None and alias.loader_state is not None:
            module.__spec__ = alias.loader_state


def _install() -> None:
    # only where the namespaced packages exist (an install); in the repository the real
    # top-level scrapers/ and pipelines/ are imported as they are
    if any(isinstance(finder, _Aliases) for finder in sys.meta_path):
        return
    if importlib.util.find_spec(f"{__name__}.scrapers") is None:
        return
    sys.meta_path.insert(0, _Aliases())


_install()
