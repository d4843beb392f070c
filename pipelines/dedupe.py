"""Drop a record seen before in this run: same canonical URL or same body fingerprint."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from scrapers.jobs.drops import RecordDropped


class DedupePipeline:
    def __init__(self) -> None:
        self.seen_ids: set[str] = set()
        self.seen_bodies: set[str] = set()

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        record_id, content_hash = adapter.get("id"), adapter.get("content_hash")
        if record_id in self.seen_ids:
            raise RecordDropped("dedupe", "duplicate_url", adapter.get("canonical_url") or "")
        if content_hash and content_hash in self.seen_bodies:
            raise RecordDropped("dedupe", "duplicate_body", adapter.get("url") or "")
        self.seen_ids.add(str(record_id))
        if content_hash:
            self.seen_bodies.add(content_hash)
        return item
