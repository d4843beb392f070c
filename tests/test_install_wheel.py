"""``pip install`` of the built wheel: one top-level package, ``presswire``, and a working ``presswire``
command outside the repository. The wheel goes into a fresh venv; its dependencies come from the test
environment's site-packages (a .pth file), so nothing is downloaded."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.harness import ROOT, TEST_SETTINGS, TRUTH

# What setup.py builds from; a copy keeps build/ and *.egg-info out of the working tree.
# one worker builds the wheel for every test that uses it (make test: pytest-xdist --dist loadgroup)
pytestmark = pytest.mark.xdist_group("wheel")
PROJECT_FILES = ("setup.py", "requirements.txt", "presswire", "scrapers", "pipelines")


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def install_wheel(work: Path) -> Path:
    """The wheel built in ``work`` and installed in a fresh venv there; returns its bin folder (the
    session's ``installed`` fixture, tests/conftest.py: built once, its tests only read it)."""
    source = work / "source"
    source.mkdir()
    for name in PROJECT_FILES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, source / name)
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                "-w", work / "dist", "./source", cwd=work)
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = (work / "dist").glob("presswire-*.whl")
    top = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert top == {"presswire", wheel.name.split("-py3")[0] + ".dist-info"}
    venv = work / "venv"
    made = run(sys.base_prefix + "/bin/python3", "-m", "venv", "--without-pip", venv, cwd=work)
    assert made.returncode == 0, made.stderr
    [site_packages] = (venv / "lib").glob("python3*/site-packages")
    (site_packages / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    done = run(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--no-deps",
               "--no-index", wheel, cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    return venv / "bin"


def clean_env() -> dict[str, str]:
    """No path to the repository: only what the venv installed is importable."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE")}


def test_only_the_presswire_namespace_is_installed(installed: Path, tmp_path: Path) -> None:
    probe = ("import importlib.util as u, presswire.scrapers.jobs.files as f, presswire.pipelines.record\n"
             "print(u.find_spec('scrapers') is None, u.find_spec('pipelines') is None, f.__name__)")
    # a fresh interpreter: nothing named scrapers or pipelines until presswire is imported
    bare = run(installed / "python", "-c", "import scrapers", cwd=tmp_path, env=clean_env())
    assert bare.returncode == 1 and "No module named 'scrapers'" in bare.stderr
    proc = run(installed / "python", "-c", probe, cwd=tmp_path, env=clean_env())
    assert proc.returncode == 0, proc.stderr
    # importing presswire adds no alias either: the code imports itself relatively (no import hook)
    assert proc.stdout.split() == ["True", "True", "presswire.scrapers.jobs.files"]


def test_presswire_crawl_from_another_folder(installed: Path, demo_server, tmp_path: Path) -> None:
    settings = [arg for name, value in {**TEST_SETTINGS, "EXTRACTION_WORKERS": "1"}.items()
                for arg in ("-s", f"{name}={value}")]
    proc = run(installed / "presswire", "crawl", f"{demo_server.base_url}/", "-L", "WARNING", *settings,
               "-s", "JSONL_ROOT=dumps", cwd=tmp_path, env=clean_env())
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"{len(TRUTH['articles'])} articles written" in proc.stderr
    [dump] = (tmp_path / "dumps").glob("crawl=news/date=*/*.jsonl")
    assert len(dump.read_text("utf-8").splitlines()) == len(TRUTH["articles"])
    checked = run(installed / "presswire", "validate", "dumps", cwd=tmp_path, env=clean_env())
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_demo_site_is_not_installed(installed: Path, tmp_path: Path) -> None:
    """harbour.toml points at `make demo`'s local server: a user's `presswire sites` says how to add a site instead."""
    sites = run(installed / "presswire", "sites", cwd=tmp_path, env=clean_env())
    assert sites.returncode == 0 and sites.stdout == ""
    assert sites.stderr.count("\n") == 1 and "PRESSWIRE_SITES_DIR=FOLDER" in sites.stderr
    listed = run(installed / "presswire", "list", cwd=tmp_path, env=clean_env())
    assert listed.returncode == 0 and listed.stdout.split() == ["ccnews", "news"]
    version = run(installed / "presswire", "--version", cwd=tmp_path, env=clean_env())
    assert version.returncode == 0 and version.stdout.startswith("presswire 0.1.0 (Scrapy ")


MISTAKES = [
    # (arguments, the words of the hint); the hint names a presswire command, which must work here
    (["crawl", "nosuchsite"], "`presswire list`"),
    (["crawl", "news", "-a", "site=nosuchsite"], "`presswire sites`"),
    (["crawl", "https://127.0.0.1:9/", "-a", "al=1"], "`presswire crawl --help`"),
    (["crawl", "https://127.0.0.1:9/", "--outpt", "x.jsonl"], "`presswire crawl --help`"),
    (["export", "dumps", "-o", "a.csv"], "presswire export: -o a.csv"),
]


@pytest.mark.parametrize(("args", "hint"), MISTAKES, ids=[" ".join(m[0][:2]) for m in MISTAKES])
def test_every_suggestion_works_where_it_is_made(installed: Path, tmp_path: Path, args: list[str], hint: str) -> None:
    proc = run(installed / "presswire", *args, cwd=tmp_path, env=clean_env())
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith(f"presswire {args[0]}: ") and hint in proc.stderr, proc.stderr
    for suggested in proc.stderr.split("`")[1::2]:
        followed = run(installed / suggested.split()[0], *suggested.split()[1:], cwd=tmp_path, env=clean_env())
        assert followed.returncode == 0, (suggested, followed.stderr[-2000:])
