"""The consent recipes (``consent.toml``): which buttons answer a consent wall, refusals first."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class ConsentRecipes:
    """Selectors tried in order: the site's own, then the generic refusals, then the acceptances."""

    site: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()

    @classmethod
    def bundled(cls, site: list[str] | tuple[str, ...] = ()) -> ConsentRecipes:
        data = tomllib.loads(resources.files(__package__).joinpath("consent.toml").read_text("utf-8"))
        return cls(site=tuple(site), reject=tuple(data["reject"]), accept=tuple(data["accept"]))

    def groups(self) -> list[tuple[str, str]]:
        """(name, selector list) per group, so a frame is asked once per group, not once per selector."""
        named = (("site", self.site), ("reject", self.reject), ("accept", self.accept))
        return [(name, ", ".join(group)) for name, group in named if group]
