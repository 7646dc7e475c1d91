"""The live key bindings, as the user has them (config keymap applied): for help and palette."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import Binding, Keymap
    from textual.dom import DOMNode


@dataclass(frozen=True)
class BindingInfo:
    group: str
    keys: str
    description: str
    action: str
    binding_id: str | None
    node: DOMNode


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
