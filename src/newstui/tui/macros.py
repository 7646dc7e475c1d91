"""The config's `[macros]`: each one's key checked against the reader's bindings (with the
keymap applied); a macro whose key is no key name, or is taken, is named and left out."""

from __future__ import annotations

from collections.abc import Mapping

from newstui.core.config import Macro
from newstui.tui.keymap import MAIN_VIEW, binding_places, is_key, normal_key


def checked_macros(
    macros: Mapping[str, Macro], keymap: Mapping[str, str]
) -> tuple[dict[str, Macro], list[str]]:
    """The macros that can apply (their keys as Textual names them) and a warning for each
    one left out."""
    taken: dict[str, str] = {}  # key -> the binding id that has it in the main view
    for place in binding_places():
        if place.view != MAIN_VIEW:
            continue
        for bound in place.bindings:
            given = keymap.get(bound.binding_id)
            for key in given.split(",") if given else bound.keys:
                taken.setdefault(key, bound.binding_id)
    kept: dict[str, Macro] = {}
    warnings: list[str] = []
    for name, macro in macros.items():
        key = normal_key(macro.key)
        if not is_key(key):
            warnings.append(f"macros: {name}: {macro.key!r} is not a key name; skipped")
        elif key in taken:
            warnings.append(
                f"macros: {name}: {macro.key!r} is taken by {taken[key]}; skipped "
                "(give the macro another key, or that binding another key in [keymap])"
            )
        else:
            taken[key] = f"macro {name}"
            kept[name] = Macro(key, macro.command)
    return kept, warnings
