"""The `[sync]` table of config.toml, and the password it names (never stored).

    [sync]
    service = "fever"                        # fever | greader | miniflux
    url = "https://rss.example.com/api/fever.php"
    user = "me@example.com"
    password_command = "pass show rss"       # or password_env = "NAME"; Miniflux: token_command

The password is asked for at sync time: the command's first line of output, or the
environment variable. It is kept in memory for one sync and never written, printed or logged;
no message here contains it (nor the command's output).
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from typing import Literal, cast, get_args
from urllib.parse import urlsplit

Service = Literal["fever", "greader", "miniflux"]
SECRET_TIMEOUT = 30.0  # seconds a password_command may take (a pinentry prompt)
_KEYS = ("service", "url", "user", "password_command", "password_env", "token_command")
_SECRET_KEYS = ("password_command", "password_env", "token_command")


class SyncSettingError(ValueError):
    """A `[sync]` setting is wrong or its secret cannot be had; the message names it."""


@dataclass(frozen=True)
class SyncSettings:
    service: Service
    url: str
    user: str | None = None
    password_command: str | None = None
    password_env: str | None = None
    token_command: str | None = None  # Miniflux: an API token instead of user + password

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or self.url

    def __repr__(self) -> str:  # (no secret in it anyway; keeps the command out of logs)
        return f"SyncSettings(service={self.service!r}, url={self.url!r}, user={self.user!r})"


def sync_settings_from(value: object) -> SyncSettings:
    """The checked `[sync]` table; `SyncSettingError` names the first bad key."""
    if not isinstance(value, dict):
        raise SyncSettingError("should be a table: [sync] with service, url, user, ...")
    unknown = [key for key in value if key not in _KEYS]
    if unknown:
        raise SyncSettingError(f"sync.{unknown[0]}: unknown key (known: {', '.join(_KEYS)})")
    for key, item in value.items():
        if not isinstance(item, str) or not item.strip():
            raise SyncSettingError(f"sync.{key}: should be a non-empty string")
    service = value.get("service")
    if service not in get_args(Service):
        choices = " or ".join(repr(option) for option in get_args(Service))
        raise SyncSettingError(f"sync.service: should be {choices}")
    url = value.get("url")
    if url is None:
        raise SyncSettingError("sync.url: missing (the address of the service's API)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncSettingError("sync.url: should be an http:// or https:// address")
    if parts.username is not None or parts.password is not None:
        raise SyncSettingError("sync.url: put no user or password in it (use user and password_*)")
    secrets = [key for key in _SECRET_KEYS if key in value]
    if len(secrets) != 1:
        raise SyncSettingError(
            "sync: give exactly one of password_command, password_env"
            + (", token_command" if service == "miniflux" else "")
        )
    if secrets == ["token_command"] and service != "miniflux":
        raise SyncSettingError("sync.token_command: only for service = 'miniflux'")
    if "user" not in value and secrets != ["token_command"]:
        raise SyncSettingError("sync.user: missing (the account's user name or e-mail)")
    return SyncSettings(
        service=cast(Service, service),
        url=url,
        user=value.get("user"),
        password_command=value.get("password_command"),
        password_env=value.get("password_env"),
        token_command=value.get("token_command"),
    )


def obtain_secret(settings: SyncSettings, timeout: float = SECRET_TIMEOUT) -> str:
    """The password (or Miniflux token), asked for now; `SyncSettingError` without it."""
    if settings.password_env is not None:
        secret = os.environ.get(settings.password_env, "")
        if not secret:
            raise SyncSettingError(
                f"sync.password_env: the environment variable {settings.password_env} is not set"
            )
        return secret
    key = "token_command" if settings.token_command is not None else "password_command"
    command = settings.token_command or settings.password_command or ""
    try:
        argv = shlex.split(command)
    except ValueError as error:
        raise SyncSettingError(f"sync.{key}: cannot be split into words ({error})") from None
    if not argv:
        raise SyncSettingError(f"sync.{key}: empty")
    try:
        done = subprocess.run(
            argv, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False
        )
    except subprocess.TimeoutExpired:
        raise SyncSettingError(f"sync.{key}: gave no answer within {timeout:g} s") from None
    except OSError as error:
        raise SyncSettingError(f"sync.{key}: cannot run {argv[0]!r} ({error.strerror})") from None
    # (neither its output nor its errors are shown: either may hold the secret)
    if done.returncode != 0:
        raise SyncSettingError(f"sync.{key}: {argv[0]!r} failed (exit status {done.returncode})")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    secret = lines[0].strip() if lines else ""
    if not secret:
        raise SyncSettingError(f"sync.{key}: {argv[0]!r} printed nothing")
    return secret
