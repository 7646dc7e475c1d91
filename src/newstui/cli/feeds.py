"""`newstui feeds add|list|remove|import|export`: the subscriptions in feeds.toml."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newstui.cli.common import add_json_arg, iso_utc, json_line, told_settings
from newstui.core.config import load_settings, news_folder_of
from newstui.core.fetch.subscriptions import (
    LoadedSubscriptions,
    Subscription,
    load_subscriptions,
    merged,
    save_subscriptions,
    subscriptions_file,
)
from newstui.core.fetch.urls import mask_url
from newstui.core.paths import AppPaths


def register(commands: Any) -> None:
    parser = commands.add_parser("feeds", help="add, list, remove, import, export or prune feeds")
    actions = parser.add_subparsers(dest="feeds_action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="subscribe to a feed (or the feed a page links to)")
    add.add_argument("url")
    add.add_argument("--name", help="the feed's name (default: its title)")
    add.add_argument("--category", help='a folder for it, e.g. "News/World"')
    add.add_argument("--full-text", action="store_true", help="fetch each entry's page too")
    add.set_defaults(handler=run_add)

    listing = actions.add_parser("list", help="the subscriptions and how their last fetch went")
    listing.set_defaults(handler=run_list)

    remove = actions.add_parser("remove", help="unsubscribe (fetched articles are kept)")
    remove.add_argument("feed", metavar="URL|NAME")
    remove.set_defaults(handler=run_remove)

    imports = actions.add_parser("import", help="subscribe to the feeds of an OPML file")
    imports.add_argument("file", type=Path)
    imports.set_defaults(handler=run_import)

    export = actions.add_parser("export", help="write the subscriptions as OPML 2")
    export.add_argument("file", nargs="?", default="-", help="a file, or - for stdout")
    export.set_defaults(handler=run_export)

    prune = actions.add_parser(
        "prune", help="remove entries beyond each feed's `keep` (starred ones stay)"
    )
    prune.add_argument("feed", nargs="*", metavar="NAME|URL", help="only these feeds")
    prune.add_argument("--dry-run", action="store_true", help="only show what would go")
    prune.set_defaults(handler=run_prune)

    for action in (add, listing, remove, imports, export, prune):
        add_json_arg(action)


def loaded(paths: AppPaths) -> LoadedSubscriptions:
    subscriptions = load_subscriptions(subscriptions_file(paths.config_dir))
    for warning in subscriptions.warnings:
        print(f"newstui: warning: {warning}", file=sys.stderr)
    return subscriptions


def _emit(args: argparse.Namespace, document: dict[str, Any], text: str) -> None:
    print(json_line(document) if args.json else text)


def subscription_json(subscription: Subscription) -> dict[str, Any]:
    return {
        "name": subscription.name,
        "url": mask_url(subscription.url),
        "category": subscription.category,
        "full_text": subscription.full_text,
        "interval": subscription.interval,
        "allow": sorted(subscription.allow),
        "keep": subscription.keep,
        "folder": subscription.key,
    }


def run_add(args: argparse.Namespace) -> int:
    from newstui.cli import CliError
    from newstui.core.fetch.discover import discover
    from newstui.core.fetch.urls import FetchError

    paths = AppPaths.default()
    current = loaded(paths).subscriptions
    url = args.url.strip()
    try:
        found = discover(url)
    except FetchError as error:
        raise CliError(f"{mask_url(url)}: {error.reason}; not subscribed") from None
    subscription = Subscription(
        url=found.url,
        name=args.name or found.title,
        category=args.category,
        full_text=args.full_text,
    )
    subscriptions, added = merged(current, [subscription])
    if added:
        save_subscriptions(subscriptions_file(paths.config_dir), subscriptions)
    note = f"{mask_url(url)} is a web page; its feed is {mask_url(found.url)}. " * found.from_page
    text = note + (
        f"Subscribed to {subscription.title} ({mask_url(found.url)})."
        if added
        else f"Already subscribed to {mask_url(found.url)}."
    )
    _emit(
        args,
        {
            "added": bool(added),
            "from_page": found.from_page,
            "subscription": subscription_json(subscription),
        },
        text,
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from newstui.core.fetch.run import feed_states
    from newstui.core.fetch.state import feed_folder_name

    paths = AppPaths.default()
    subscriptions = loaded(paths).subscriptions
    news_folder = news_folder_of(load_settings(paths.config_file).settings, paths.data_dir)
    states = feed_states(subscriptions, news_folder, paths)
    read = _read_ids([key for state in states.values() for key in state.entries], paths)
    rows = []
    for subscription in subscriptions:
        state = states[subscription.url]
        rows.append(
            {
                **subscription_json(subscription),
                "folder": feed_folder_name(subscription.key, state),
                "moved_to": mask_url(state.moved_to) if state.moved_to else None,
                "gone": state.gone,
                "last_error": state.last_error,
                "last_error_at": iso_utc(state.last_error_at),
                "last_success": iso_utc(state.last_success),
                "articles": len(state.entries),
                "unread": sum(1 for key in state.entries if key not in read),
            }
        )
    lines = []
    for row in rows:
        flags = " [full text]" * row["full_text"] + (
            f" [{row['category']}]" if row["category"] else ""
        )
        lines.append(f"{row['name'] or row['url']}{flags}\n  {row['url']}")
        fetched = f"; fetched {row['last_success']}" if row["last_success"] else "; never fetched"
        lines.append(f"  {row['articles']} articles, {row['unread']} unread{fetched}")
        if row["moved_to"]:
            lines.append(f"  moved to {row['moved_to']}")
        if row["last_error"]:
            when = f" ({row['last_error_at']})" if row["last_error_at"] else ""
            lines.append(f"  last error{when}: {row['last_error']}")
    _emit(
        args,
        {"news_folder": str(news_folder), "feeds": rows},
        "\n".join(lines) or "No subscriptions (newstui feeds add URL).",
    )
    return 0


def _read_ids(ids: list[str], paths: AppPaths) -> set[str]:
    """Those of `ids` marked read in the reader (none when it was never opened)."""
    from newstui.cli import CliError
    from newstui.core.state.store import StateError, StateStore

    if not ids or not paths.state_db.exists():
        return set()
    try:
        store = StateStore(paths.state_db)
    except StateError as error:
        raise CliError(str(error)) from None
    try:
        return {key for key, state in store.get_many(ids).items() if state.read}
    finally:
        store.close()


def run_remove(args: argparse.Namespace) -> int:
    from newstui.cli import CliError

    paths = AppPaths.default()
    subscriptions = loaded(paths).subscriptions
    gone = [s for s in subscriptions if s.matches(args.feed)]
    if not gone:
        raise CliError(f"no subscription named or at {mask_url(args.feed)!r} (see feeds list)")
    save_subscriptions(
        subscriptions_file(paths.config_dir), [s for s in subscriptions if s not in gone]
    )
    _emit(
        args,
        {"removed": [subscription_json(s) for s in gone]},
        "\n".join(f"Unsubscribed from {s.title}; its articles are kept." for s in gone),
    )
    return 0


def run_import(args: argparse.Namespace) -> int:
    from newstui.cli import CliError
    from newstui.core.fetch.opml import OpmlError, read_opml

    paths = AppPaths.default()
    try:
        found, notes = read_opml(args.file.read_bytes())
    except OSError as error:
        raise CliError(f"{args.file}: cannot read ({error.strerror or error})") from None
    except OpmlError as error:
        raise CliError(f"{args.file}: {error}") from None
    subscriptions, added = merged(loaded(paths).subscriptions, found)
    save_subscriptions(subscriptions_file(paths.config_dir), subscriptions)
    for note in notes:
        print(f"newstui: {args.file}: {note}", file=sys.stderr)
    _emit(
        args,
        {"found": len(found), "added": added, "skipped": notes},
        f"{added} feed{'s' * (added != 1)} added ({len(found) - added} already subscribed).",
    )
    return 0


def run_export(args: argparse.Namespace) -> int:
    from newstui.core.fetch.opml import write_opml

    document = write_opml(loaded(AppPaths.default()).subscriptions)
    if args.file == "-":
        sys.stdout.write(document)
    else:
        from newstui.core.fetch.files import write_atomic

        write_atomic(Path(args.file), document.encode("utf-8"))
    return 0


def run_prune(args: argparse.Namespace) -> int:
    from newstui.cli import CliError
    from newstui.core.fetch.run import prune_feeds
    from newstui.core.state.db import StateError

    paths = AppPaths.default()
    settings = told_settings(paths)
    subscriptions = chosen(loaded(paths).subscriptions, args.feed)
    news_folder = news_folder_of(settings, paths.data_dir)
    try:
        done = prune_feeds(subscriptions, news_folder, paths, settings.keep, dry_run=args.dry_run)
    except StateError as error:
        raise CliError(f"cannot tell the starred articles, nothing removed: {error}") from None
    except OSError as error:
        raise CliError(f"{news_folder}: cannot prune ({error})") from None
    verb = "would remove" if args.dry_run else "removed"
    lines = []
    for subscription, gone in done:
        lines.append(
            f"{subscription.title}: {verb} {len(gone)} (keep {subscription.keep or settings.keep})"
        )
        lines += [f"  {entry.published[:10]}  {entry.title or entry.article_id}" for entry in gone]
    if not done:
        lines.append("No feed has a `keep` (feeds.toml, or config.toml for all): nothing to do.")
    document = {
        "dry_run": args.dry_run,
        "feeds": [
            {
                "name": subscription.title,
                "url": mask_url(subscription.url),
                "keep": subscription.keep or settings.keep,
                "removed": [
                    {"id": e.article_id, "title": e.title, "published": e.published} for e in gone
                ],
            }
            for subscription, gone in done
        ],
    }
    _emit(args, document, "\n".join(lines))
    return 0


def chosen(subscriptions: list[Subscription], wanted: list[str]) -> list[Subscription]:
    """The subscriptions named (by name or URL); all of them when none is named."""
    from newstui.cli import CliError

    if not wanted:
        return subscriptions
    found: list[Subscription] = []
    for name in wanted:
        matches = [s for s in subscriptions if s.matches(name)]
        if not matches:
            raise CliError(f"no subscription named or at {mask_url(name)!r} (see feeds list)")
        found += [s for s in matches if s not in found]
    return found
