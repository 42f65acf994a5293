"""Bytes of a saved web page to a str: reject what is not text, then find the encoding.

Evidence: a byte-order mark, then valid UTF-8, then the page's own declaration (`<meta charset>`,
`<meta http-equiv="Content-Type">`, or an XML declaration), then charset-normalizer's detection,
then windows-1252 as the last resort (see `decode_html`). Also: undoing mojibake in text.
"""

from __future__ import annotations

import codecs
import re
import zlib

from charset_normalizer import from_bytes

from importers.formats import ImportFailure

# Bigger inputs are refused before any parsing; saved article pages (even with images inlined
# as data: URIs) stay well below this.
MAX_HTML_BYTES = 64 * 1024 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF media file"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "an executable"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_GZIP_MAGIC = b"\x1f\x8b"
# C0 controls XML 1.0 forbids (all but tab, newline, carriage return): lxml cannot store them.
_XML_INVALID_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
_XML_INVALID_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SNIFF_BYTES = 8192
# Bytes that never occur in text: C0 controls other than tab, newline, form feed, carriage return.
_NON_TEXT_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
# Browsers treat these labels as windows-1252 (WHATWG Encoding Standard), and a page cannot
# declare UTF-16 for itself without a BOM (it could not have been read to find the meta).
_LABEL_ALIASES = {
    "iso-8859-1": "windows-1252",
    "iso8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "l1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "cp819": "windows-1252",
    "x-user-defined": "windows-1252",
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}
_DECLARATION_SCAN_BYTES = 16384
# UTF-8 text once decoded as Latin-1 or windows-1252 upstream ("isnâ€™t" for "isn’t"): a lead
# byte character followed by the characters that continuation bytes 0x80-0xBF become.
_CONTINUATION_BYTE = {chr(b): b for b in range(0x80, 0xC0)} | {
    bytes([b]).decode("cp1252"): b
    for b in range(0x80, 0xC0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_CONT = "[" + "".join(re.escape(c) for c in _CONTINUATION_BYTE) + "]"
_MOJIBAKE = re.compile(f"(?:[\xc2-\xdf]{_CONT}|[\xe0-\xef]{_CONT}{{2}}|[\xf0-\xf4]{_CONT}{{3}})+")


def decompress_if_gzip(data: bytes) -> bytes:
    """A gzip-compressed page (a saved `.html.gz`) decompressed, never beyond MAX_HTML_BYTES."""
    if not data.startswith(_GZIP_MAGIC):
        return data
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, MAX_HTML_BYTES + 1)
    except zlib.error as err:
        raise ImportFailure(f"gzip-compressed input cannot be decompressed: {err}") from None
    if len(out) > MAX_HTML_BYTES:
        raise ImportFailure(f"gzip-compressed input is over the {_megabytes(MAX_HTML_BYTES)} limit")
    if not inflater.eof:
        raise ImportFailure("gzip-compressed input is truncated or corrupt")
    return out


def check_size(data: bytes) -> None:
    """Refuse inputs too large for an article page before spending time or memory on them."""
    if len(data) > MAX_HTML_BYTES:
        raise ImportFailure(
            f"HTML input is {_megabytes(len(data))}, over the {_megabytes(MAX_HTML_BYTES)} limit"
        )


def check_text_like(data: bytes) -> None:
    """Refuse empty, whitespace-only and binary (non-text) inputs with a one-line reason."""
    if not data.strip():
        raise ImportFailure("empty input: no bytes of HTML" if not data else "input is only blanks")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise ImportFailure(f"binary input, not HTML: looks like {kind}")
    bom = bom_encoding(data)
    if bom is not None:
        encoding, skip = bom
        if not data[skip:].decode(encoding, errors="replace").strip():
            raise ImportFailure("empty input: only a byte-order mark and blanks")
        return  # UTF-16/32 text legitimately holds NUL bytes
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head or _non_text_share(head) > 0.05:
        raise ImportFailure("binary input, not HTML: it holds bytes that never occur in text")


def decode_html(data: bytes) -> str:
    """The page as text, without the control characters XML (hence lxml) cannot hold.

    Evidence, in order: a byte-order mark; then valid UTF-8 (a page whose bytes are valid UTF-8
    is UTF-8 whatever it declares: stale declarations are common in re-saved pages, while
    legacy-encoded text that happens to be valid UTF-8 is vanishingly rare); then the charset
    the page declares; then charset-normalizer's detection; then windows-1252.
    """
    bom = bom_encoding(data)
    if bom is not None:
        encoding, skip = bom
        return _without_control_chars(data[skip:].decode(encoding, errors="replace"))
    declared = declared_encoding(data)
    if declared is not None and declared.startswith("iso2022"):
        # 7-bit encodings are valid ASCII, and their escape sequences are control bytes
        return _without_control_chars(data.decode(declared, errors="replace"))
    data = data.translate(None, _XML_INVALID_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared is not None:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # a wrong declaration: detect instead
    detected = detected_encoding(data)
    return data.decode(detected or declared or "windows-1252", errors="replace")


def _without_control_chars(text: str) -> str:
    return _XML_INVALID_CHARS.sub("", text)


# A numeric character reference, decimal or hex, its ";" optional as browsers read it.
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def without_invalid_references(markup: str) -> str:
    """The markup without numeric references to characters XML cannot hold (`&#27;`, `&#x1b;`,
    `&#1;`, `&#xFFFE;`): lxml would put the character in the tree and the extraction, which
    goes through XML, would lose the whole article. Browsers show nothing for them either."""
    if "&#" not in markup:
        return markup
    return _NUMERIC_REFERENCE.sub(_kept_reference, markup)


def _kept_reference(match: re.Match[str]) -> str:
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    return "" if code < 0x110000 and _XML_INVALID_CHARS.match(chr(code)) else match.group(0)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 once decoded as Latin-1 or windows-1252 ("Ã©" for "é", "â€™" for "’").

    Only whole runs that re-decode as valid UTF-8 are replaced, so real text stays as it is.
    """
    return _MOJIBAKE.sub(_redecode_utf8, text)


def _redecode_utf8(match: re.Match[str]) -> str:
    run = match.group(0)
    raw = bytes(ord(c) if ord(c) < 0x100 else _CONTINUATION_BYTE[c] for c in run)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return run


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces, and the mark's length."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def declared_encoding(data: bytes) -> str | None:
    """The Python codec for the charset the page declares in its head, if any and if known.

    Beautiful Soup's encoding detector reads the declaration (an XML declaration, `<meta
    charset>`, or `<meta http-equiv="Content-Type" content="…; charset=…">`) as it has for
    years of real pages; we only map its label to a codec, with the WHATWG aliases."""
    from bs4.dammit import EncodingDetector  # the HTML import path only: not at start-up

    label = EncodingDetector.find_declared_encoding(data[:_DECLARATION_SCAN_BYTES], is_html=True)
    return python_codec(label) if label else None


def python_codec(label: str) -> str | None:
    """A charset label as a Python codec name (WHATWG aliases applied), or None if unknown."""
    label = label.strip().lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def detected_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess, from the start and the end of big inputs (bounded time)."""
    sample = data if len(data) <= 200_000 else data[:100_000] + data[-100_000:]
    results = from_bytes(sample)
    best = results.best()
    if best is None:
        return None
    for match in results:  # in a tie, windows-1252: the web's default for unlabelled pages
        if match.encoding == "cp1252" and (match.chaos, -match.coherence) <= (
            best.chaos,
            -best.coherence,
        ):
            return "cp1252"
    return python_codec(best.encoding)


def _non_text_share(head: bytes) -> float:
    if not head:
        return 0.0
    return (len(head) - len(head.translate(None, _NON_TEXT_BYTES))) / len(head)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
