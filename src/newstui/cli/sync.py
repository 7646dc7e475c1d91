"""`newstui sync [--json]` and `newstui sync status [--json]`: the reader's own feed server.

Exit 0 when the sync went through; 1 when the service could not be reached, refused the
login, or did not accept a change (which stays queued); 2 for usage or configuration.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newstui.cli.common import add_json_arg, iso_utc, print_json
from newstui.core.paths import AppPaths


def register(commands: Any) -> None:
    parser = commands.add_parser("sync", help="send marks to the feed server, then fetch from it")
    add_json_arg(parser)
    parser.set_defaults(handler=run_sync)
    actions = parser.add_subparsers(dest="sync_action", metavar="ACTION")
    status = actions.add_parser("status", help="last sync, pending changes, last error")
    add_json_arg(status)
    status.set_defaults(handler=run_status)


def _configured(paths: AppPaths) -> Any:
    from newstui.cli import CliError
    from newstui.core.config import load_settings

    loaded = load_settings(paths.config_file)
    problems = [warning for warning in loaded.warnings if "'sync'" in warning]
    if problems:
        raise CliError(problems[0])
    for warning in loaded.warnings:
        print(f"newstui: warning: {warning}", file=sys.stderr)
    if loaded.settings.sync is None:
        raise CliError(f"{paths.config_file}: no [sync] table (see docs/sync.md)")
    return loaded.settings


def _store(paths: AppPaths) -> Any:
    from newstui.cli import CliError
    from newstui.core.state.store import StateError, StateStore

    try:
        return StateStore(paths.state_db, outbox=True)
    except StateError as error:
        raise CliError(str(error)) from None


def run_sync(args: argparse.Namespace) -> int:
    from newstui.cli import CliError
    from newstui.core.config import news_folder_of
    from newstui.core.sync.engine import sync_now
    from newstui.core.sync.settings import SyncSettingError

    paths = AppPaths.default()
    settings = _configured(paths)
    news_folder = news_folder_of(settings, paths.data_dir)
    try:
        news_folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CliError(f"{news_folder}: cannot create the news folder ({error})") from None
    store = _store(paths)
    try:
        report = sync_now(settings.sync, paths, store, news_folder)
    except SyncSettingError as error:
        raise CliError(str(error)) from None
    finally:
        store.close()
    if args.json:
        print_json(
            {
                "news_folder": str(news_folder),
                **report.as_json(),
                "next_try": iso_utc(report.next_try),
            }
        )
    elif report.ok:
        print(
            f"Synced with {settings.sync.host}: {report.pushed} change(s) sent, "
            f"{report.new_items} new article(s), {report.new_feeds} new feed(s), "
            f"{report.marks_changed} mark(s) taken; {report.pending} pending."
        )
    if report.error:
        print(report.error, file=sys.stderr)
    return report.exit_code


def run_status(args: argparse.Namespace) -> int:
    from newstui.core.sync.engine import sync_status

    paths = AppPaths.default()
    settings = _configured(paths)
    store = _store(paths)
    try:
        status = sync_status(settings.sync, store)
    finally:
        store.close()
    document = {
        **status.as_json(),
        "last_sync": iso_utc(status.last_sync),
        "last_attempt": iso_utc(status.last_attempt),
        "next_try": iso_utc(status.next_try),
    }
    if args.json:
        print_json(document)
        return 0
    print(f"service: {status.service} at {status.url} (user {status.user or '-'})")
    print(f"last sync: {document['last_sync'] or 'never'}")
    print(f"pending changes: {status.pending}")
    if status.last_error:
        print(f"last error: {status.last_error}")
    if status.next_try:
        print(f"next try: not before {document['next_try']} (the server asked to wait)")
    return 0
