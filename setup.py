"""Packaging for Scrapyd: `scrapyd-deploy` builds an egg of the project from this file.

Site configs (scrapers/sites/*.toml) and the record schema (scrapers/extraction/schema/*.json) are package
data, read through importlib.resources, so they travel inside the egg. Dependencies are not bundled:
the Scrapyd host installs requirements.txt into the environment Scrapyd runs in.
"""

from setuptools import find_packages, setup

setup(
    name="presswire",
    version="0.1.0",
    packages=find_packages(include=["scrapers", "scrapers.*", "pipelines", "pipelines.*"]),
    package_data={
        "scrapers.sites": ["*.toml"],
        "scrapers.extraction.schema": ["*.json"],
    },
    zip_safe=True,
    python_requires=">=3.11",
    entry_points={"scrapy": ["settings = scrapers.settings"]},
)
