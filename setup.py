"""Packaging: `pip install .` (or a wheel) gives the `presswire` command and the dependencies;
`scrapyd-deploy` builds an egg of the project from this file.

Site configs (scrapers/sites/*.toml, their saved pages in scrapers/sites/NAME/pages/) and the record
schema (scrapers/extraction/schema/*.json) are package data, read through importlib.resources, so they
travel inside the egg. Dependencies are not bundled: the Scrapyd host installs requirements.txt into the
environment Scrapyd runs in.
"""

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).resolve().parent
# pip install . / a wheel installs the pinned runtime dependencies; the Scrapyd egg ignores them.
# scrapyd-deploy may build from a copy without requirements.txt: the egg needs none.
_REQUIREMENTS_FILE = HERE / "requirements.txt"
REQUIREMENTS = [line.split("#")[0].strip() for line in
                (_REQUIREMENTS_FILE.read_text().splitlines() if _REQUIREMENTS_FILE.exists() else [])
                if line.split("#")[0].strip()]

# One top-level name when installed: the repository's scrapers/ and pipelines/ become presswire.scrapers
# and presswire.pipelines (presswire/__init__.py lets the code keep importing itself as scrapers.…).
SOURCES = find_packages(include=["scrapers", "scrapers.*", "pipelines", "pipelines.*"])

setup(
    name="presswire",
    version="0.1.0",
    packages=["presswire", *(f"presswire.{name}" for name in SOURCES)],
    package_dir={"presswire": "presswire", "presswire.scrapers": "scrapers", "presswire.pipelines": "pipelines"},
    package_data={
        # each site's saved pages and their expectations (scrapers/authoring/pages.py)
        "presswire.scrapers.sites": ["*.toml", "*/pages/*.html", "*/pages/*.json"],
        "presswire.scrapers.extraction.schema": ["*.json"],
        "presswire.scrapers.export": ["*.sql"],
    },
    zip_safe=True,
    python_requires=">=3.11",
    install_requires=REQUIREMENTS,
    # scrapy export / presswire export -o FILE.parquet
    extras_require={"parquet": ["pyarrow==26.0.1"]},
    entry_points={
        "scrapy": ["settings = presswire.scrapers.settings"],
        "console_scripts": ["presswire = presswire.scrapers.commands.cli:main"],
    },
)
