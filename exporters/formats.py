"""The export formats by name: what `factmark export --format` offers (no exporter imported)."""

EXPORT_FORMATS = (
    "jsonl",
    "prodigy",
    "doccano",
    "labelstudio",
    "conll",
    "brat",
    "spacy",
    "claimreview",
)
