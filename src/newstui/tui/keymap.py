"""The key bindings: every binding id of the reader, the user's keymap checked against them,
and the live bindings (keymap applied) for help and palette."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, _character_to_key, key_to_character
from textual.screen import ModalScreen

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import Binding, Keymap

MAIN_VIEW = "main"
MODIFIERS = ("ctrl+", "shift+", "alt+", "meta+", "super+", "hyper+")
KEY_NAMES = {key.value for key in Keys} | set(KEY_NAME_REPLACEMENTS.values())


@dataclass(frozen=True)
class BindingInfo:
    group: str
    keys: str
    description: str
    action: str
    binding_id: str | None
    node: DOMNode


@dataclass(frozen=True)
class Bound:
    """One binding id of a class, with every key it has there (Textual's key names)."""

    binding_id: str
    keys: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Place:
    """A class of the reader that has bindings with ids; `view` is where they are live
    together: the main screen with its panes and the app, or one overlay screen."""

    title: str
    view: str
    bindings: tuple[Bound, ...]


def _place_of(owner: type[DOMNode]) -> Place:
    view = owner.__name__ if issubclass(owner, ModalScreen) else MAIN_VIEW
    keys: dict[str, list[str]] = {}
    described: dict[str, str] = {}
    # Textual's own merge of the inherited BINDINGS (it knows `inherit_bindings=False`).
    for key, bindings in owner._merge_bindings().key_to_bindings.items():
        for binding in bindings:
            if binding.id:
                keys.setdefault(binding.id, []).append(key)
                described.setdefault(
                    binding.id, binding.description or binding.tooltip or binding.action
                )
    bound = tuple(Bound(id_, tuple(keys[id_]), described[id_]) for id_ in keys)
    return Place(owner.BINDING_GROUP_TITLE or owner.__name__, view, bound)


@cache
def binding_places() -> tuple[Place, ...]:
    """Every class in `newstui.tui` with bindings that have ids, found by importing the
    package's modules, so a new screen or widget is included without being listed."""
    import newstui.tui as package

    owners: list[type[DOMNode]] = []
    for module_info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        module = importlib.import_module(module_info.name)
        for _, owner in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(owner, DOMNode)
                and owner.__module__ == module.__name__
                and "BINDINGS" in vars(owner)
            ):
                owners.append(owner)
    # A base class (the list overlay) is a place only through the screens built on it.
    leaves = [o for o in owners if not any(o is not x and issubclass(x, o) for x in owners)]
    places = [_place_of(owner) for owner in leaves]
    # The main view first (in module order: app, screen, panes), then each overlay.
    places.sort(key=lambda place: (place.view != MAIN_VIEW, place.view))
    return tuple(place for place in places if place.bindings)


def binding_ids() -> set[str]:
    return {b.binding_id for place in binding_places() for b in place.bindings}


def normal_key(key: str) -> str:
    """A key as Textual names it in bindings: "?" is "question_mark"."""
    key = key.strip()
    return _character_to_key(key) if len(key) == 1 else key


def is_key(key: str) -> bool:
    """Whether Textual can ever report `key`: a character or a key name, with modifiers."""
    if not key:
        return False
    base = key
    while base.startswith(MODIFIERS):
        base = base.split("+", 1)[1]
    if len(base) == 1:
        return True
    # Names are lower case ("escape"); `key_to_character` alone would take "Escape" too.
    return base.islower() and (base in KEY_NAMES or key_to_character(base) is not None)


def _default_keys(binding_id: str, view: str) -> set[str]:
    return {
        key
        for place in binding_places()
        if place.view == view
        for b in place.bindings
        if b.binding_id == binding_id
        for key in b.keys
    }


def _holders(key: str, binding_id: str, view: str, keymap: Mapping[str, Sequence[str]]) -> set[str]:
    """The other bindings of `view` that have `key`, with the keymap applied."""
    holders = set()
    for place in binding_places():
        if place.view != view:
            continue
        for b in place.bindings:
            if b.binding_id != binding_id and key in keymap.get(b.binding_id, b.keys):
                holders.add(b.binding_id)
    return holders


def checked_keymap(keymap: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The part of the user's `keymap` that can apply, and a warning for each entry or key
    left out: an unknown binding id, a key Textual has no name for, or a key another
    binding has (that one keeps it: the user frees it by giving it another key)."""
    wanted, warnings = _parsed(keymap)
    applied: dict[str, str] = {}
    views = sorted({place.view for place in binding_places()})
    for binding_id, keys in wanted.items():
        kept = []
        for key in keys:
            taken: set[str] = set()
            for view in views:
                defaults = _default_keys(binding_id, view)
                if defaults and key not in defaults:
                    taken |= _holders(key, binding_id, view, wanted)
            if taken:
                others = ", ".join(sorted(taken))
                warnings.append(
                    f"keymap: {binding_id}: {key!r} is taken by {others}, which keeps it; "
                    f"give {others} another key to free it for {binding_id}"
                )
            else:
                kept.append(key)
        if kept:
            applied[binding_id] = ",".join(kept)
        else:
            warnings.append(f"keymap: {binding_id}: no key left; skipped")
    return applied, warnings


def _parsed(keymap: Mapping[str, str]) -> tuple[dict[str, list[str]], list[str]]:
    """The entries with a known binding id and only key names, as lists of keys."""
    warnings: list[str] = []
    known = binding_ids()
    wanted: dict[str, list[str]] = {}
    for binding_id, text in keymap.items():
        if binding_id not in known:
            warnings.append(f"keymap: {binding_id!r} is not a binding id (? lists them); skipped")
            continue
        keys = [normal_key(key) for key in text.split(",")]
        bad = [repr(key) for key in keys if not is_key(key)]
        if bad:
            warnings.append(
                f"keymap: {binding_id} = {text!r}: {', '.join(bad)} is not a key name "
                '(write keys as in "j,down,ctrl+n,question_mark"); skipped'
            )
            continue
        wanted[binding_id] = list(dict.fromkeys(keys))
    return wanted, warnings


def _character(key: str) -> str | None:
    """The printable character a key name stands for: "slash" is "/"."""
    if len(key) == 1:
        return None
    unicode_names = [name for name, short in KEY_NAME_REPLACEMENTS.items() if short == key]
    for name in [key, *unicode_names]:
        with suppress(KeyError):
            character = unicodedata.lookup(name.replace("_", " "))
            return character if character.isprintable() and not character.isspace() else None
    return None


def _key_cell(key: str) -> str:
    character = _character(key)
    shown = f"`{key}`" + (f" ({character})" if character else "")
    return shown.replace("|", "\\|")


def keymap_table() -> str:
    """The Markdown tables of every binding, place by place, for docs/keys.md."""
    lines: list[str] = []
    for place in binding_places():
        lines += [f"### {place.title}", "", "| keys | what it does | id |", "|---|---|---|"]
        for b in place.bindings:
            keys = " ".join(_key_cell(key) for key in b.keys)
            lines.append(f"| {keys} | {b.description} | `{b.binding_id}` |")
        lines.append("")
    return "\n".join(lines)


def live_bindings(
    app: App[Any], keymap: Keymap, nodes: Iterable[tuple[str, DOMNode]]
) -> list[BindingInfo]:
    """Every described binding of `nodes`, one entry per action, with the keys the user's
    `keymap` gives them (the one handed to `App.set_keymap`)."""
    infos: list[BindingInfo] = []
    for group, node in nodes:
        # Textual has no public view of a node's merged bindings: `_bindings` is it.
        bindings_map = node._bindings.copy()
        if keymap:
            bindings_map.apply_keymap(keymap)
        by_action: dict[str, list[Binding]] = {}
        for bindings in bindings_map.key_to_bindings.values():
            for binding in bindings:
                if binding.description:
                    by_action.setdefault(binding.action, []).append(binding)
        for action, bindings in by_action.items():
            keys = " ".join(dict.fromkeys(app.get_key_display(b) for b in bindings))
            first = bindings[0]
            infos.append(BindingInfo(group, keys, first.description, action, first.id, node))
    return infos
