"""`newstui fetch [NAME|URL...] [--json]`: fetch subscriptions into the news folder.

Exit 0 when every feed was fetched or unchanged, 1 when some failed (the others are saved),
2 for a usage error (an unknown feed, a bad config).
"""

from __future__ import annotations

import argparse
from typing import Any

from newstui.cli.common import add_json_arg, print_json, sync_is_set, told_settings
from newstui.core.config import news_folder_of
from newstui.core.paths import AppPaths
from newstui.core.sanitize import clean_line


def register(commands: Any) -> None:
    parser = commands.add_parser("fetch", help="fetch the subscribed feeds now")
    parser.add_argument("feeds", nargs="*", metavar="NAME|URL", help="only these feeds")
    add_json_arg(parser)
    parser.add_argument(
        "--force", action="store_true", help="ask feeds that are not due yet (or gone) too"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from newstui.cli import CliError
    from newstui.cli.feeds import chosen, loaded
    from newstui.core.fetch.run import FeedReport, fetch_subscriptions

    paths = AppPaths.default()
    if sync_is_set(paths):  # the service fetches the feeds: sync with it (docs/sync.md)
        from newstui.cli.sync import run_sync

        if args.feeds:
            raise CliError("with [sync] set, `newstui fetch` syncs everything: no feed names")
        return run_sync(args)
    settings = told_settings(paths)
    subscriptions = loaded(paths).subscriptions
    subscriptions = chosen(subscriptions, args.feeds)
    news_folder = news_folder_of(settings, paths.data_dir)
    try:
        news_folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CliError(f"{news_folder}: cannot create the news folder ({error})") from None

    def progress(done: int, total: int, report: FeedReport) -> None:
        if not args.json:
            print(f"[{done}/{total}] {describe(report)}", flush=True)

    report = fetch_subscriptions(
        subscriptions, news_folder, paths, progress=progress, force=args.force, keep=settings.keep
    )
    if args.json:
        print_json({"news_folder": str(news_folder), **report.as_json()})
    elif not subscriptions:
        print("No subscriptions (newstui feeds add URL, or feeds import FILE.opml).")
    else:
        totals = report.totals()
        print(
            f"{totals['new']} new, {totals['updated']} updated, {totals['failed']} failed "
            f"feed{'s' * (totals['failed'] != 1)}; in {news_folder}"
        )
        for failed in report.failed:
            print(f"  failed: {clean_line(failed.name)}: {failed.reason} ({failed.url})")
    if settings.notify_command:
        notify(settings.notify_command, report)
    return report.exit_code


def notify(command: str, report: Any) -> None:
    """`notify_command` after a fetch that brought new articles; a failure is a warning
    (the fetch went well: its exit status stays)."""
    import sys

    from newstui.core.notify import new_articles, run_notify_command

    news = new_articles(report)
    if news is None:
        return
    result = run_notify_command(command, news)
    if result.error is not None:
        warning = f"notify_command ({command}) failed: {result.error}"
        print(f"newstui: warning: {clean_line(warning)}", file=sys.stderr)


def describe(report: Any) -> str:
    if report.outcome == "failed":
        return f"{clean_line(report.name)}: failed: {report.reason}"
    if report.skipped:
        return f"{report.name}: not asked ({report.reason})"
    text = (
        f"{report.name}: {report.new} new, {report.updated} updated, {report.unchanged} unchanged"
    )
    if report.status == 304:
        text = f"{report.name}: unchanged (304)"
    if report.retold:
        text += f"; {report.retold} told already (each story kept once)"
    if report.pruned:
        text += f"; {report.pruned} old removed (keep)"
    if report.moved_to:
        text += f"; moved permanently to {report.moved_to}"
    if report.problems:
        text += f"; {len(report.problems)} problem(s): {report.problems[0]}"
    return text
