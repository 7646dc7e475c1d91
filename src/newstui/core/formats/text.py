"""Decoding bytes of unknown provenance into text, never failing."""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# Short Western text is often guessed as a neighbouring code page (cp1250 for cp1252);
# within this family the fallback, cp1252, is the better answer.
_LATIN_SINGLE_BYTE = frozenset(
    {
        "cp1250",
        "cp1252",
        "cp1254",
        "cp1257",
        "latin_1",
        "iso8859_2",
        "iso8859_3",
        "iso8859_4",
        "iso8859_9",
        "iso8859_10",
        "iso8859_13",
        "iso8859_14",
        "iso8859_15",
        "iso8859_16",
        "mac_roman",
        "mac_latin2",
        "mac_iceland",
        "mac_turkish",
        "cp437",
        "cp850",
        "cp858",
    }
)


# What legacy news text is really written in; a short list guesses far better than all.
_CANDIDATES = (
    "cp1252",
    "cp1250",
    "cp1251",
    "koi8_r",
    "cp1253",
    "iso8859_7",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp874",
    "shift_jis",
    "euc_jp",
    "iso2022_jp",
    "gb18030",
    "big5",
    "euc_kr",
    "iso8859_15",
    "latin_1",
)


# Control bytes that plain text does not use (tab, newlines, form feed and ESC excepted).
_CONTROL_BYTES = bytes([*range(9), *range(14, 27), *range(28, 32)])


def looks_binary(data: bytes) -> bool:
    """Mostly NULs or control bytes, or bytes that are neither UTF-8 nor any known encoding.

    Stray control characters (hostile text) do not make a file binary: they are sanitised.
    """
    sample = data[:8192]
    if not sample:
        return False
    if any(sample.startswith(bom) for bom, _ in _BOMS) or _utf16_guess(sample):
        return False
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if sample.count(0) / len(sample) > 0.1 or control / len(sample) > 0.3:
        return True
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(sample) - 3:  # a character cut by the sample's end
            return False
        from charset_normalizer import from_bytes

        return from_bytes(sample, cp_isolation=list(_CANDIDATES)).best() is None
    return False


def _utf16_guess(sample: bytes) -> str | None:
    """BOM-less UTF-16 text has NULs at almost every other byte."""
    even, odd = sample[0::2], sample[1::2]
    if even and even.count(0) / len(even) > 0.4 and odd.count(0) / max(len(odd), 1) < 0.1:
        return "utf-16-be"
    if odd and odd.count(0) / len(odd) > 0.4 and even.count(0) / max(len(even), 1) < 0.1:
        return "utf-16-le"
    return None


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), other BOMs, BOM-less UTF-16; else detect; else cp1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_guess(data[:8192])
    if utf16:
        return data.decode(utf16, errors="replace")
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536], cp_isolation=list(_CANDIDATES)).best()
    if best is not None and best.encoding not in _LATIN_SINGLE_BYTE | {"ascii", "utf_8"}:
        try:
            return data.decode(best.encoding, errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")
