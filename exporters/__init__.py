"""Dataset writers: the store's export records in the formats of formats.md (one module each),
listed in one registry, `exporters.formats.EXPORT_FORMATS`."""
