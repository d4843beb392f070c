"""sha256 and line count of a dump, read in chunks: a dump can be far larger than memory."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

CHUNK = 1 << 20


def file_digest(path: Path, is_gzip: bool) -> tuple[str, int]:
    """sha256 of the file as stored, and the line count of its (decompressed) content."""
    sha = hashlib.sha256()
    lines = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            sha.update(chunk)
            if not is_gzip:
                lines += chunk.count(b"\n")
    if is_gzip:
        with gzip.open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                lines += chunk.count(b"\n")
    return sha.hexdigest(), lines
