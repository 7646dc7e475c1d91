"""Make untrusted article text safe to show: no escape sequences, no control characters.

Applied once, at ingestion (the Article model's string types call it), so every face
(CLI, index, TUI) only ever sees clean text. Markup-looking text is *not* altered here:
it is data, and the faces render it literally.
"""

from __future__ import annotations

import re

# Terminal escape sequences, 7-bit (ESC ...) and 8-bit (C1) forms.
_ESCAPE_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    # OSC, DCS, SOS, PM, APC: a string up to its terminator (BEL or ST)
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]"  # two-character and nF escapes (and any unterminated introducer)
)
# C0 (except tab and newline), DEL, C1, bidi embeddings/overrides/isolates, BOM, lone surrogates.
_UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
# The same in bytes of an ASCII-compatible encoding (7-bit forms only: C1 bytes are parts of
# UTF-8 characters), and the C0 controls XML forbids.
_ESCAPE_SEQUENCE_BYTES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[ -/]*[0-~]"
)
_C0_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WHITESPACE_RUN = re.compile(r"\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Strip escape sequences and unsafe characters; keep newlines and tabs."""
    if not _UNSAFE_CHARACTERS.search(text):
        return text  # the common case; every escape sequence starts with an unsafe character
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _SURROGATE.search(text):
        # Some encoders (JSON, YAML) escape a character as two surrogate halves: rejoin them.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = _ESCAPE_SEQUENCES.sub("", text)
    return _UNSAFE_CHARACTERS.sub("", text)


def clean_bytes(data: bytes) -> bytes:
    """Escape sequences and C0 controls (but tab, newline, return) out of bytes in an
    ASCII-compatible encoding (UTF-8, Latin-1...; never UTF-16 or UTF-32)."""
    return _C0_BYTES.sub(b"", _ESCAPE_SEQUENCE_BYTES.sub(b"", data))


def clean_line(text: str) -> str:
    """`clean_text`, then fold all whitespace (newlines included) to single spaces."""
    return _WHITESPACE_RUN.sub(" ", clean_text(text)).strip()


# What may never reach a terminal raw, whatever its source (file names included).
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def without_terminal_controls(text: str) -> str:
    """`text` with every character that could drive a terminal left out (for text that is
    written to the terminal inside an escape sequence of ours, such as OSC 9)."""
    return _TERMINAL_UNSAFE.sub("", text)


def terminal_safe(text: str) -> str:
    """Show unsafe characters as visible `\\uXXXX` escapes instead of dropping them.

    For text that is not ours to clean but must be shown exactly, such as file names: the
    escape keeps the data recognisable and is still valid inside JSON strings.
    """
    return _TERMINAL_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
