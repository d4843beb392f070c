"""Dumps as tables for data teams: one column spec derived from the record's JSON Schema, a DuckDB view
over the dump glob, and a Parquet export (pyarrow) with the same columns and types."""
