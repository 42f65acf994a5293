"""factmark's shared vocabulary: the names every layer agrees on, the records that pass between
them, and the rules for article text.

Every package may import it; it imports nothing of factmark's and no UI, database or markup
library. Where to change things:

- `vocabulary.names`   the gold layer, span origins, roles, the names code relies on
- `vocabulary.labels`  the default label set (names, keys, colours, meanings), relation types
- `vocabulary.records` the drafts importers produce and the store consumes (Article, SpanDraft…)
- `vocabulary.text`    canonical text (what offsets index into), the terminal sanitiser, titles
"""
