"""The Harbour Gazette: a small static demo news site for Presswire.

``demo_site.server.start_server()`` serves ``demo_site/www``; ``truth.json``
holds what a correct crawler/extractor should find (see README.md).
"""

from __future__ import annotations

import json
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent
WWW_DIR = SITE_DIR / "www"
TRUTH_FILE = SITE_DIR / "truth.json"


def load_truth(base_url: str | None = None) -> dict:
    """Load truth.json; with ``base_url``, ``{{BASE_URL}}`` is filled in."""
    text = TRUTH_FILE.read_text(encoding="utf-8")
    if base_url is not None:
        text = text.replace("{{BASE_URL}}", base_url.rstrip("/"))
    return json.loads(text)


def __getattr__(name: str):
    # Imported lazily so that ``python -m demo_site.server`` does not warn
    # about the module already being in sys.modules.
    if name in ("start_server", "DemoServer"):
        from . import server

        return getattr(server, name)
    raise AttributeError(name)


__all__ = ["DemoServer", "start_server", "load_truth", "SITE_DIR", "WWW_DIR", "TRUTH_FILE"]
