"""A new feed's folder in the news folder, named from its title: a readable slug, chosen
once (recorded in the feed's fetch state) and never renamed when the title changes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from pathlib import Path

MARK = ".newstui-feed-"  # + the feed's key: an empty file in its named folder (hidden)
MAX_SLUG = 60  # characters (at most 4 bytes each: well under a file name's 255)


def readable_slug(title: str) -> str:
    """`Tender Lovemaking` -> `tender-lovemaking`; accents dropped, other scripts kept."""
    decomposed = unicodedata.normalize("NFKD", title)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.findall(r"[^\W_]+", plain.casefold())
    slug = "-".join(words)[:MAX_SLUG].strip("-")
    return slug or "feed"


def unused_folder(news_folder: Path, slug: str, taken: Collection[str]) -> str:
    """`slug`, else `slug-2`, `slug-3`...: the first name neither on disk nor `taken`."""
    name, number = slug, 1
    while name in taken or (news_folder / name).exists():
        number += 1
        name = f"{slug}-{number}"
    return name


def mark_folder(folder: Path, key: str) -> None:
    """Say whose folder it is, so a lost fetch state finds it again (`marked_folders`)."""
    (folder / f"{MARK}{key}").touch()


def marked_folders(news_folder: Path) -> dict[str, str]:
    """Feed key -> the name of its folder, for every folder named from a title."""
    return {
        mark.name[len(MARK) :]: mark.parent.name
        for mark in news_folder.glob(f"*/{MARK}*")
        if mark.parent.parent == news_folder
    }
