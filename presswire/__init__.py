"""Presswire as an installed library: one top-level name, ``presswire``.

The repository keeps ``scrapers/`` and ``pipelines/`` at the top (``scrapy crawl`` runs from there);
``pip install`` puts them under ``presswire.scrapers`` and ``presswire.pipelines`` (setup.py's
``package_dir``), so installing Presswire claims no top-level ``scrapers`` or ``pipelines`` package in a
user's environment. Both import themselves with relative imports and name their Scrapy components
from their own package name, so the same code runs under either name with no import hook.
"""

__version__ = "0.1.0"  # setup.py reads it from here
