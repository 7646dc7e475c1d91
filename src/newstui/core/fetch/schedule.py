"""When a feed may be asked again: Retry-After, Cache-Control max-age, Expires, RSS <ttl>.

Each is honoured but capped, so a server cannot silence a feed for days; the feed's own
`interval` (minutes) is a floor the user chose.
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime

CACHE_CAP = 3600.0  # seconds: max-age, Expires and <ttl> beyond an hour count as an hour
RETRY_CAP = 6 * 3600.0
DEFAULT_RETRY = 300.0  # a 429 or 503 without a usable Retry-After
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.I)
_TTL = re.compile(rb"<ttl>\s*(\d{1,6})\s*</ttl>", re.I)


def _http_date(value: str) -> float | None:
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment.timestamp() if moment.tzinfo else None


def retry_at(headers: dict[str, str], now: float) -> float:
    value = headers.get("retry-after", "").strip()
    delay = float(value) if value.isdigit() else None
    if delay is None and value:
        moment = _http_date(value)
        delay = moment - now if moment is not None else None
    return now + min(RETRY_CAP, max(0.0, delay if delay is not None else DEFAULT_RETRY))


def next_allowed(headers: dict[str, str], body: bytes, now: float, interval: int | None) -> float:
    """The earliest time to ask again after a 200 or 304 answer."""
    waits = [60.0 * interval] if interval else []
    cache_control = headers.get("cache-control", "")
    max_age = _MAX_AGE.search(cache_control)
    if max_age:
        waits.append(min(CACHE_CAP, float(max_age.group(1))))
    elif "expires" in headers and "no-cache" not in cache_control.lower():
        expires = _http_date(headers["expires"])
        if expires is not None:
            waits.append(min(CACHE_CAP, max(0.0, expires - now)))
    ttl = _TTL.search(body[:65536]) if body else None
    if ttl:
        waits.append(min(CACHE_CAP, 60.0 * int(ttl.group(1))))
    return now + max(waits) if waits else 0.0
