"""The rules of config.toml on the command line (core.rules; docs/rules.md).

    newstui rules                             the rules, numbered as messages name them
    newstui rules apply [DIR] [--dry-run]     apply them to every article there is now

Rules apply by themselves only to articles as they arrive; `apply` is how the past gets them.
Each rule says what it matches (the count and the first titles); `--dry-run` changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newstui.cli.common import add_library_args, library_dir, refreshed_library, told_settings
from newstui.core.paths import AppPaths
from newstui.core.rules import VERBS, run_rules

SHOWN_TITLES = 5  # titles listed per rule


def register(commands: Any) -> None:
    rules = commands.add_parser(
        "rules",
        help="show the rules of config.toml, or apply them to the articles there are",
        description="Without an action: the rules of config.toml, numbered.",
    )
    rules.set_defaults(handler=run_show)
    actions = rules.add_subparsers(dest="action", metavar="ACTION")
    apply = actions.add_parser(
        "apply",
        help="apply every rule to all the articles of a library, old ones too",
        description="Per rule: what it matches (count and first titles); then applies it, "
        "unless --dry-run.",
    )
    add_library_args(apply, json_output=False)
    apply.add_argument("--dry-run", action="store_true", help="show, change nothing")
    apply.set_defaults(handler=run_apply)


def run_show(args: argparse.Namespace) -> int:
    rules = told_settings(AppPaths.default()).rules  # (a bad one: a warning, by its number)
    if not rules:
        print(f"newstui: no rules in {AppPaths.default().config_file}", file=sys.stderr)
    for rule in rules:
        print(f"rule {rule.number}: {rule.action:<4}  {rule.query}")
    return 0


def run_apply(args: argparse.Namespace) -> int:
    with refreshed_library(library_dir(args)) as library:
        if not library.rules:
            print(f"newstui: no rules in {AppPaths.default().config_file}", file=sys.stderr)
            return 0
        results = run_rules(library, library.rules, dry_run=args.dry_run)
        for result in results:
            rule, rows = result.rule, result.rows
            would = "would be " if args.dry_run else ""
            count = len({row.id for row in rows})
            articles = "article" if count == 1 else "articles"
            done = f"{count} {articles} {would}{VERBS[rule.action]}"
            print(f"rule {rule.number} ({rule.query}): {done}")
            for row in rows[:SHOWN_TITLES]:
                print(f"    {row.title}")
            if len(rows) > SHOWN_TITLES:
                print(f"    … and {len(rows) - SHOWN_TITLES} more")
    return 0
