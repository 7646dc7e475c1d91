"""`newstui config path`: where the config file lives (and whether it is valid)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newstui.core.config import load_settings
from newstui.core.paths import AppPaths


def register(commands: Any) -> None:
    parser = commands.add_parser("config", help="show where the config file lives")
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    path = actions.add_parser("path", help="print the config file's path")
    path.set_defaults(handler=run_path)


def run_path(args: argparse.Namespace) -> int:
    del args
    config_file = AppPaths.default().config_file
    print(config_file)
    for warning in load_settings(config_file).warnings:
        print(f"newstui: warning: {warning}", file=sys.stderr)
    return 0
