"""Which addresses a fetch may connect to: the one place that decides (issue 18).

Every address is put in a class. "public" is always allowed; any other class is allowed
only when the subscription itself was reached at an address of that class (a feed on
localhost may link to localhost) or when the user allowed it for that feed (`allow`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

PUBLIC = "public"
# Checked in this order: the first match is the class. Names are what `allow` takes.
ADDRESS_CLASSES = (
    "unspecified",
    "loopback",
    "link-local",  # 169.254/16 (cloud metadata services), fe80::/10
    "cgnat",  # 100.64/10, carrier-grade NAT
    "private",  # RFC 1918, unique-local fc00::/7
    "multicast",
    "reserved",  # everything else that is not globally routable (0/8, 240/4, docs, ...)
)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")


def address_class(address: str | IPAddress) -> str:
    """The class of one IP address ("public" when globally routable)."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return address_class(embedded)
        if ip in ipaddress.ip_network("64:ff9b::/96"):  # NAT64: the IPv4 address is the tail
            return address_class(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "cgnat"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "reserved"
    return PUBLIC


@dataclass(frozen=True)
class AddressPolicy:
    """The address classes one subscription may reach; `None` allows every class."""

    allowed: frozenset[str] | None = frozenset({PUBLIC})
    # How addresses are classed: tests swap in a stub, so no other address is ever contacted.
    classify: Callable[[str], str] = field(default=address_class, compare=False)

    @classmethod
    def for_subscription(
        cls,
        subscription_class: str,
        allow: frozenset[str],
        classify: Callable[[str], str] = address_class,
    ) -> AddressPolicy:
        return cls(frozenset({PUBLIC, subscription_class, *allow}), classify)

    def permits(self, address: str) -> bool:
        return self.allowed is None or self.classify(address) in self.allowed

    def refusal(self, host: str, address: str) -> str:
        kind = self.classify(address)
        return (
            f"refused: {host} is at {address}, a {kind} address; this subscription may not "
            f"reach {kind} addresses (allow it per feed with allow = [{kind!r}])"
        )


UNRESTRICTED = AddressPolicy(None)


def parse_allow(values: object) -> frozenset[str]:
    """The `allow` setting of a feed: a list of class names; raises ValueError when bad."""
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise ValueError('should be a list of address classes, e.g. ["private"]')
    unknown = [value for value in values if value not in ADDRESS_CLASSES]
    if unknown:
        names = ", ".join(ADDRESS_CLASSES)
        raise ValueError(f"unknown address class {unknown[0]!r} (one of {names})")
    return frozenset(values)
