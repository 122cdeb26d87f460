"""From bytes to text, or a clear reason why not.

The policy, in order:
1. Bytes that look binary are rejected: a known file signature (PDF, ZIP/Office, gzip,
   images), a NUL byte, or more than 5% control characters in the first 64 KiB.
2. A byte-order mark decides (UTF-8, UTF-16).
3. Valid UTF-8 is UTF-8 (ASCII included); then a charset the container declared.
4. Otherwise a legacy single-byte encoding, but only when the bytes say which one: in
   Russian text in cp1251 nearly every letter is a high byte, so high bytes come in runs
   (words); in Western text in cp1252 they are lone accented letters between ASCII ones.
   Anything in between is rejected as undecodable rather than turned into mojibake.
"""

from __future__ import annotations

import codecs
import re

SIGNATURES = {
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (or Office document)",
    b"\x1f\x8b": "gzip archive",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\xd0\xcf\x11\xe0": "legacy Office document",
    b"\x7fELF": "executable",
}
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")


class Undecodable(ValueError):
    """The bytes are not text this tool can read; the message is the reason."""


def binary_reason(data: bytes) -> str | None:
    """Why `data` looks like a binary file, or None if it may be text."""
    for signature, what in SIGNATURES.items():
        if data.startswith(signature):
            return f"binary file ({what}), not text"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    head = data[:65536]
    if b"\x00" in head:
        return "binary file (contains NUL bytes), not text"
    if head and len(_CONTROL.findall(head)) > 0.05 * len(head):
        return "binary file (control characters), not text"
    return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding used). Raises Undecodable with the reason when the bytes are not text.

    `declared` is a charset the container named (HTTP header, <meta charset>). Valid UTF-8
    wins over it (multi-byte UTF-8 sequences do not occur by chance in legacy text, while
    pages often declare latin-1 and are UTF-8); it is ignored when the bytes are not valid in it.
    """
    reason = binary_reason(data)
    if reason:
        raise Undecodable(reason)
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = f"invalid UTF-8 at byte {err.start}"
    if declared:
        try:
            return data.decode(declared), declared.lower()
        except (LookupError, UnicodeDecodeError):
            pass
    runs = _HIGH_RUN.findall(data)
    letters = sum(len(r) for r in runs)
    mean_run = letters / len(runs)
    if mean_run >= 2.5:
        try:
            return data.decode("cp1251"), "cp1251"
        except UnicodeDecodeError:
            pass
    elif mean_run <= 1.5 and letters <= 0.1 * len(data):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return data.decode("latin-1"), "latin-1"
    raise Undecodable(f"undecodable text: {utf8_error}, and not recognisably cp1251 or cp1252")


def _strict(data: bytes, encoding: str) -> tuple[str, str]:
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as err:
        raise Undecodable(f"undecodable text: invalid {encoding} at byte {err.start}") from err


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def html_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KiB (<meta charset> or http-equiv)."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None
