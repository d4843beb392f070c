"""Item pipelines, one job each: normalise -> validate -> dedupe -> write JSONL."""
