"""Dataset writers: the store's export records in the formats of formats.md."""

from exporters.jsonl import native_record, write_jsonl

__all__ = ["native_record", "write_jsonl"]
