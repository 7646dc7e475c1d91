"""Rewrite the keymap table of docs/keys.md from the reader's live bindings.

Run `python docs/gen_keymap.py` after adding or changing a binding; tests/test_keymap.py
fails (and prints the right table) while the page is out of date.
"""

from __future__ import annotations

import re
from pathlib import Path

from newstui.tui.keymap import keymap_table

PAGE = Path(__file__).parent / "keys.md"
START = "<!-- keymap table: written by docs/gen_keymap.py -->"
END = "<!-- end of keymap table -->"


def main() -> None:
    text = PAGE.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{PAGE}: the markers {START!r} and {END!r} are missing")
    table = f"{START}\n{keymap_table()}\n{END}"
    PAGE.write_text(pattern.sub(lambda _: table, text), encoding="utf-8")


if __name__ == "__main__":
    main()
