"""URLs a fetch accepts, and how they are shown: no password ever reaches output."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from newstui.core.sanitize import clean_line

SCHEMES = frozenset({"http", "https"})


class FetchError(Exception):
    """A request that gave no usable answer; the message is the reason, safe to show."""

    def __init__(
        self, reason: str, status: int | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.headers = headers or {}


class Refused(FetchError):
    """Not requested at all: the scheme or the address is not allowed."""


def mask_url(url: str) -> str:
    """The URL with any password shown as `***` (for lists, reports, errors)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None and "@" not in parts.netloc:
        return url
    user, _, host = parts.netloc.rpartition("@")
    name, colon, _password = user.partition(":")
    # A user name alone may be a token: then it is masked too.
    return urlunsplit(parts._replace(netloc=f"{name}:***@{host}" if colon else f"***@{host}"))


def check_url(url: str) -> str:
    """`url` if it is an absolute http(s) URL with a host, else `Refused`."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a bad port raises ValueError)
    except ValueError:
        raise Refused(f"refused: not a valid URL: {clean_line(mask_url(url))[:200]}") from None
    if parts.scheme.lower() not in SCHEMES:
        scheme = clean_line(parts.scheme)[:20] or "(none)"
        raise Refused(f"refused: only http and https are fetched, not {scheme!r}")
    if not parts.hostname:
        raise Refused("refused: the URL has no host")
    return url


def without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
