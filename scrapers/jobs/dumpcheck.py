"""Check a JSONL dump against the schema and its manifest: what a data team runs before loading."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..extraction.schema import schema_errors, schema_validator
from .files import file_digest
from .files import manifest_path as job_manifest

MAX_LISTED_ERRORS = 20


@dataclass
class DumpReport:
    path: Path
    lines: int = 0
    valid: int = 0
    errors: list[str] = field(default_factory=list)
    error_fields: Counter[str] = field(default_factory=Counter)
    duplicate_ids: int = 0
    manifest_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.valid == self.lines and not self.duplicate_ids and not self.manifest_problems

    def render(self) -> str:
        out = [f"{self.path}: {self.lines} records, {self.valid} valid, {self.lines - self.valid} invalid, "
               f"{self.duplicate_ids} duplicate ids"]
        if self.error_fields:
            out.append("  invalid fields: " + ", ".join(f"{k} ({v})" for k, v in self.error_fields.most_common()))
        out += [f"  {error}" for error in self.errors[:MAX_LISTED_ERRORS]]
        if len(self.errors) > MAX_LISTED_ERRORS:
            out.append(f"  ... {len(self.errors) - MAX_LISTED_ERRORS} more")
        out += [f"  manifest: {problem}" for problem in self.manifest_problems]
        out.append("  OK" if self.ok else "  FAILED")
        return "\n".join(out)


def _open(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")  # type: ignore[return-value]


def check_dump(path: Path) -> DumpReport:
    report = DumpReport(path=path)
    validator = schema_validator()
    seen: set[tuple[str, int]] = set()
    with _open(path) as handle:
        for number, line in enumerate(handle, start=1):
            report.lines += 1
            try:
                record = json.loads(line)
            except ValueError as err:
                report.errors.append(f"line {number}: not JSON ({err})")
                report.error_fields["(json)"] += 1
                continue
            if not isinstance(record, dict):
                report.errors.append(f"line {number}: not a JSON object")
                continue
            problems = schema_errors(record, validator)
            if problems:
                report.errors += [f"line {number}: {p}" for p in problems]
                report.error_fields.update(p.split(":", 1)[0] for p in problems)
            else:
                report.valid += 1
            key = (str(record.get("id")), int(record.get("version") or 1))
            if key in seen:
                report.duplicate_ids += 1
            seen.add(key)
    _check_manifest(path, report)
    return report


def _check_manifest(path: Path, report: DumpReport) -> None:
    """A missing, torn or foreign manifest is a finding: only a dump with its manifest is published."""
    manifest_path = job_manifest(path)
    if not manifest_path.exists():
        report.manifest_problems.append(f"no manifest ({manifest_path.name}): the dump is not published")
        return
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
    except (OSError, ValueError) as err:
        report.manifest_problems.append(f"{manifest_path.name} is unreadable ({type(err).__name__}: {err})")
        return
    if not isinstance(manifest, dict):
        report.manifest_problems.append(f"{manifest_path.name} is not a JSON object")
        return
    digest, _ = file_digest(path, is_gzip=False)
    if manifest.get("sha256") != digest:
        report.manifest_problems.append(f"sha256 differs (manifest {manifest.get('sha256')}, file {digest})")
    if manifest.get("lines") != report.lines:
        report.manifest_problems.append(f"line count differs (manifest {manifest.get('lines')}, file {report.lines})")
    # the run's own count: a file replaced or emptied before the manifest was written matches its digest
    counts = manifest.get("counts")
    written = counts.get("articles_written") if isinstance(counts, dict) else None
    if isinstance(written, int) and written != report.lines:
        report.manifest_problems.append(f"the manifest counts {written} articles written, the file holds "
                                        f"{report.lines} records")
