"""Why a record was dropped, in a form the failure log and the manifest can count."""

from __future__ import annotations

from scrapy.exceptions import DropItem


class RecordDropped(DropItem):
    """A record a pipeline refused; ``stage`` and ``reason`` are short codes."""

    def __init__(self, stage: str, reason: str, detail: str = "") -> None:
        self.stage = stage
        self.reason = reason
        self.detail = detail
        message = f"{stage}/{reason}: {detail}" if detail else f"{stage}/{reason}"
        # duplicates and unchanged articles are routine; refused records deserve attention
        super().__init__(message, log_level="INFO" if stage in ("dedupe", "incremental") else "WARNING")
