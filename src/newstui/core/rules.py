"""Rules (`[[rule]]` in config.toml): what a search finds gets an action (read, star, hide).

A rule meets an article once, when it arrives: when the index first holds it (after a fetch,
an import, a file put in the library by hand). The articles every rule has met are kept in
the reader state (`StateStore.unseen_by_rules`), so a rebuilt index never brings the past
back to them. The past gets rules on request only: `newstui rules apply`. Matching is the
search engine's (`core.index.search.where_of`): one definition of the query language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from newstui.core.config import Rule, RuleAction

if TYPE_CHECKING:
    from newstui.core.index.listing import ArticleRow
    from newstui.core.library import Library
    from newstui.core.state.store import StateStore

VERBS: dict[RuleAction, str] = {"read": "marked read", "star": "starred", "hide": "hidden"}


class RuleResult(NamedTuple):
    rule: Rule
    rows: list[ArticleRow]  # the articles it changes (or would, in a dry run), newest first


def _changes(action: RuleAction, row: ArticleRow) -> bool:
    """Whether `action` changes the article (a hidden one is never matched again)."""
    return not (row.read if action == "read" else row.starred if action == "star" else False)


def _apply(state: StateStore, action: RuleAction, ids: list[str]) -> None:
    if not ids:
        return
    if action == "read":
        state.set_read(ids)
    elif action == "star":
        state.set_starred(ids, True)
    else:
        state.set_hidden(ids, True)


def run_rules(
    library: Library,
    rules: Sequence[Rule],
    *,
    since: int = 0,
    among: Callable[[str], bool] = lambda _: True,
    dry_run: bool = False,
) -> list[RuleResult]:
    """Each rule, in order, on the articles numbered above `since` whose id passes `among`.

    Each rule sees what the ones before it did (an article one hid is not starred by the
    next). `dry_run` changes nothing: every rule is shown what it would change now.
    """
    results = []
    for rule in rules:
        rows = [
            row
            for row in library.matching(rule.query, since)
            if among(row.id) and _changes(rule.action, row)
        ]
        if not dry_run:
            _apply(library.state, rule.action, list(dict.fromkeys(row.id for row in rows)))
        results.append(RuleResult(rule, rows))
    return results


def on_arrival(library: Library, rules: Sequence[Rule], before: int) -> list[RuleResult]:
    """Apply `rules` to the articles the index numbered above `before` (those that just
    came) that no rule has met yet. The first time in a library, the articles it held
    already are recorded as met: rules never reach back."""
    key = "rules_met:" + str(library.folder)
    state = library.state
    if state.pref(key) is None:
        if before:
            state.unseen_by_rules(library.ids_numbered(0, before))
        state.set_pref(key, "1")
    arrived = library.ids_numbered(before)
    fresh = set(state.unseen_by_rules(arrived)) if arrived else set()
    if not (fresh and rules):
        return []
    return [
        result
        for result in run_rules(library, rules, since=before, among=fresh.__contains__)
        if result.rows
    ]


def summary(results: Iterable[RuleResult]) -> str:
    """One line: "rule 1: 3 articles hidden; rule 2: 1 article starred"."""
    parts = []
    for result in results:
        count = len({row.id for row in result.rows})
        articles = "article" if count == 1 else "articles"
        parts.append(f"rule {result.rule.number}: {count} {articles} {VERBS[result.rule.action]}")
    return "; ".join(parts)
