"""Which export a file is, told from its content (the name is only a hint), and its entries.

    export = read_export(path)   # raises ExportError with a one-line reason

A file is read whole up to `MAX_EXPORT_BYTES`; a zip's members are checked against the same
cap before they are decompressed (zip bombs stop there). A folder is read as Markdown files.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from newstui.core.archive import instapaper, omnivore, pocket, readwise, wallabag
from newstui.core.archive._common import csv_header
from newstui.core.archive.entries import MAX_ENTRIES, MAX_EXPORT_BYTES, Export, ExportError
from newstui.core.formats import read_failure
from newstui.core.formats.text import decode

KNOWN = (
    "a wallabag JSON export, an Omnivore export (zip, or Markdown files), an Instapaper CSV, "
    "a Pocket CSV or HTML export, or a Readwise Reader CSV"
)
_MARKDOWN = (".md", ".markdown")


def read_export(path: Path, max_bytes: int = MAX_EXPORT_BYTES) -> Export:
    if path.is_dir():
        return _markdown_folder(path, max_bytes)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ExportError(f"too large: {size:,} bytes (the limit is {max_bytes:,})")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise ExportError(read_failure(error)) from None
    if len(data) > max_bytes:
        raise ExportError(f"too large: more than {max_bytes:,} bytes")
    export = parse_export(data, max_bytes)
    if len(export.entries) > MAX_ENTRIES:
        raise ExportError(f"more than {MAX_ENTRIES:,} entries")
    return export


def parse_export(data: bytes, max_bytes: int = MAX_EXPORT_BYTES) -> Export:
    if not data.strip():
        raise ExportError("empty file")
    if data.startswith(b"PK\x03\x04"):
        return _zip(data, max_bytes)
    text = decode(data)
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start in ("[", "{"):
        return _json(text)
    if start == "<":
        if pocket.looks_like_html_export(text):
            return pocket.parse_html(text)
        raise ExportError(f"an HTML page, but not Pocket's export; newstui imports {KNOWN}")
    header = set(csv_header(text))
    csv_formats: list[tuple[frozenset[str], Callable[[str], Export]]] = [
        (pocket.CSV_COLUMNS, pocket.parse_csv),
        (instapaper.CSV_COLUMNS, instapaper.parse_csv),
        (readwise.CSV_COLUMNS, readwise.parse_csv),
    ]
    for columns, parse_csv in csv_formats:
        if header >= columns:
            return parse_csv(text)
    if "," in text.split("\n", 1)[0]:
        named = ", ".join(sorted(header))[:200]
        raise ExportError(f"a CSV with columns {named}: not an export newstui knows ({KNOWN})")
    raise ExportError(f"not an export newstui knows; it imports {KNOWN}")


def _json(text: str) -> Export:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ExportError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except (ValueError, RecursionError) as error:
        raise ExportError(f"not valid JSON: {type(error).__name__}") from None
    if isinstance(document, dict):  # some tools wrap the list: {"entries": [...]}
        lists = [value for value in document.values() if isinstance(value, list)]
        document = lists[0] if len(lists) == 1 else document
    if wallabag.is_wallabag(document):
        return wallabag.parse(document)
    if omnivore.is_metadata(document):
        return omnivore.parse_metadata(document, {})
    raise ExportError(f"JSON, but not a wallabag or Omnivore export; newstui imports {KNOWN}")


def _zip(data: bytes, max_bytes: int) -> Export:
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ExportError(f"a damaged zip file: {error}") from None
    if sum(info.file_size for info in members) > max_bytes:
        raise ExportError(f"too large once unzipped (the limit is {max_bytes:,} bytes)")

    def read(info: zipfile.ZipInfo) -> bytes:
        try:
            with archive.open(info) as handle:
                return handle.read(info.file_size + 1)[: info.file_size]  # what it declared
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
            raise ExportError(f"a damaged zip file ({info.filename}): {error}") from None

    names = {info.filename: info for info in members}
    metadata = [info for name, info in names.items() if _is_metadata_name(name)]
    if metadata:
        items: list[Any] = []
        for info in sorted(metadata, key=lambda info: info.filename):
            try:
                loaded = json.loads(decode(read(info)))
            except (ValueError, RecursionError):
                raise ExportError(f"{info.filename} in the zip is not valid JSON") from None
            items += loaded if isinstance(loaded, list) else []
        contents = {
            PurePosixPath(name).stem: decode(read(info))
            for name, info in names.items()
            if PurePosixPath(name).parent.name == "content" and name.endswith(".html")
        }
        return omnivore.parse_metadata(items, contents)
    markdown = [(n, read(i)) for n, i in sorted(names.items()) if n.lower().endswith(_MARKDOWN)]
    if markdown:
        return omnivore.parse_markdown(markdown)
    raise ExportError(f"a zip file, but not Omnivore's export; newstui imports {KNOWN}")


def _is_metadata_name(name: str) -> bool:
    base = PurePosixPath(name).name
    return base.startswith("metadata") and base.endswith(".json")


def _markdown_folder(folder: Path, max_bytes: int) -> Export:
    files: list[tuple[str, bytes]] = []
    total = 0
    try:
        paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() in _MARKDOWN)
        for path in paths:
            if not path.is_file() or path.is_symlink():
                continue
            total += path.stat().st_size
            if total > max_bytes:
                raise ExportError(f"too large: more than {max_bytes:,} bytes of Markdown")
            files.append((str(path.relative_to(folder)), path.read_bytes()))
    except OSError as error:
        raise ExportError(f"cannot read: {error.strerror or error}") from None
    if not files:
        raise ExportError(f"a folder without Markdown files; newstui imports {KNOWN}")
    return omnivore.parse_markdown(files)
