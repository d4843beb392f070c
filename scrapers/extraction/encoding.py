"""Bytes to text for pages in any charset, refusing binary files served as HTML."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, html_to_unicode, http_content_type_encoding

from .article import ExtractionError

# Signatures of binary formats a server may label text/html.
BINARY_SIGNATURES = (
    b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"PK\x03\x04", b"RIFF", b"\x00\x00\x01\x00",
    b"\x7fELF", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf", b"OggS", b"ID3", b"\x1a\x45\xdf\xa3",
)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
# Control bytes that never occur in text (tab, newlines, form feed and escape excepted).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
SNIFF_BYTES = 65536
MAX_CONTROL_SHARE = 0.05


def decode_html(html: str | bytes, content_type: str | None = None) -> str:
    """BOM, then bytes valid as UTF-8, then HTTP charset and ``<meta charset>``, else detected.

    Non-ASCII bytes that decode strictly as UTF-8 are taken as UTF-8 whatever the page declares.
    """
    if isinstance(html, str):
        return html
    if not html or html.isspace():
        raise ExtractionError("empty", "no content")
    if _is_binary(html):
        raise ExtractionError("binary", "content is a binary file, not HTML")
    if not html.startswith(_BOMS):
        declared = (http_content_type_encoding(content_type) if content_type else None) or \
            html_body_declared_encoding(html[:4096])
        if declared and declared != "utf-8":
            # Multi-byte text that decodes strictly as UTF-8 is UTF-8 in practice: text in a legacy
            # charset (cp1251, GBK, Shift_JIS, Latin-1) with non-ASCII letters almost never forms
            # valid UTF-8 sequences throughout a page. So a conflicting declaration (a CMS template
            # still saying gb2312) loses to the bytes, and stands where the bytes are not UTF-8.
            text = _as_utf8_with_multibyte(html)
            if text is not None:
                return text
        else:
            # UTF-8 declared, or nothing (the bytes are read as UTF-8 when they are): what
            # html_to_unicode gives for bytes that decode strictly, without its detour.
            try:
                return html.decode("utf-8")
            except UnicodeDecodeError:
                pass
    _, text = html_to_unicode(content_type, html, auto_detect_fun=_detect)
    return text


def _is_binary(data: bytes) -> bool:
    head = data[:16].lstrip()
    if any(head.startswith(signature) for signature in BINARY_SIGNATURES):
        return True
    if data.startswith(_BOMS):
        return False
    sample = data[:4096]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # one pass, in C
    return controls > len(sample) * MAX_CONTROL_SHARE


def _as_utf8_with_multibyte(data: bytes) -> str | None:
    """The page decoded as UTF-8 when all of it decodes strictly and it has non-ASCII text, else None."""
    if data.isascii():
        return None  # ASCII reads the same in every charset a page declares: the declaration may stand
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _detect(data: bytes) -> str | None:
    """UTF-8 when the bytes are valid UTF-8 (cheap and almost always right), else a detector's guess."""
    sample = data[:SNIFF_BYTES]
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        if err.start > len(sample) - 4:  # a character cut by the sample's end
            return "utf-8"
    best = from_bytes(sample).best()
    return best.encoding if best else None
