"""The name of the program the user typed, for messages and suggestions: ``scrapy`` in the repository,
``presswire`` for the installed command (``cli.main`` says so). A suggestion such as `scrapy sites`
fails where no scrapy.cfg is; `presswire sites` works everywhere Presswire is installed."""

from __future__ import annotations

_typed = {"program": "scrapy"}


def program() -> str:
    return _typed["program"]


def set_program(name: str) -> None:
    _typed["program"] = name
