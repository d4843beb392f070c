"""Importing and running our extraction leaves every third-party module as it was.

A user's own trafilatura (or htmldate, dateparser, lxml...) calls in the same process must behave
as they would without us; the speed benchmarks time trafilatura as its users run it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = ("scrapers", "pipelines", "presswire", "tests", "benchmarks")
PACKAGES = ("scrapers", "pipelines", "presswire")

# Runs in a fresh interpreter: the point is the first import of our package into a process that
# already uses the libraries it builds on.
_PROBE = r"""
import ast, json, sys
from pathlib import Path

ours = tuple(sys.argv[2].split(","))
names = set()
for path in Path(sys.argv[1]).rglob("*.py"):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
third_party = sorted(n for n in names if n.split(".")[0] not in ours and n.split(".")[0] not in sys.stdlib_module_names)
for name in third_party:
    __import__(name)

def snapshot():
    return {
        (module_name, attr): id(value)
        for module_name, module in list(sys.modules.items())
        if module is not None and module_name.split(".")[0] not in ours
        and module_name.split(".")[0] not in sys.stdlib_module_names
        for attr, value in list(vars(module).items())
    }

before = snapshot()
from scrapers.extraction import extract_article
page = (
    "<html lang='fa'><head><title>کتاب‌ها</title></head><body><article><h1>کتاب‌ها</h1>"
    "<time datetime='2024-05-06'>۱۶ اردیبهشت ۱۴۰۳</time>"
    + "<p>می‌خواهم این کتاب‌ها را بخوانم و درباره‌ی آن‌ها بنویسم در روزهای آینده.</p>" * 8
    + "</article></body></html>"
)
extract_article(page, "https://news.example/fa/1")
after = snapshot()
changed = sorted(f"{m}.{a}" for (m, a), ident in before.items() if after.get((m, a), ident) != ident)
print(json.dumps({"imported": third_party, "changed": changed}))
"""


def test_importing_and_running_extraction_changes_no_third_party_module_attribute() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(ROOT / "scrapers" / "extraction"), ",".join(OURS)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "trafilatura" in result["imported"]
    assert result["changed"] == []


def _assignments_into_modules(source: str) -> list[str]:
    """``module.attr = ...``, ``setattr(module, ...)`` or ``del module.attr`` for a third-party module."""
    tree = ast.parse(source)
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in OURS:
                    modules.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] not in OURS:
                # a submodule imported by name ("from trafilatura import utils") is a module too
                modules.update(alias.asname or alias.name for alias in node.names)

    def root(target: ast.expr) -> str | None:
        while isinstance(target, (ast.Attribute, ast.Subscript)):
            target = target.value
        return target.id if isinstance(target, ast.Name) else None

    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt | ast.expr):
            continue
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        for target in targets:
            if isinstance(target, (ast.Attribute, ast.Subscript)) and root(target) in modules:
                found.append(f"line {node.lineno}: {ast.unparse(target)}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr"):
            if node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in modules:
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_no_code_assigns_into_a_third_party_module() -> None:
    found = {
        str(path.relative_to(ROOT)): hits
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if (hits := _assignments_into_modules(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_static_check_sees_a_patch() -> None:
    assert _assignments_into_modules("import trafilatura.utils\ntrafilatura.utils.f = len\n")
    assert _assignments_into_modules("from trafilatura import utils as u\nsetattr(u, 'f', len)\n")
    assert not _assignments_into_modules("from .document import page\npage.x = 1\n")
