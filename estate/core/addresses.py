"""The client's network address, as the sign-in throttles and the audit records see it.

Behind a reverse proxy every request comes from the proxy, so the proxy's own address is useless
for telling clients apart. ``X-Forwarded-For`` names the client, but anybody can send that
header; it is believed only from the proxies the operator lists in ``TRUSTED_PROXIES``
(addresses or networks). The header is read from the right: each trusted proxy appended the
address it saw, and the first address that is not a trusted proxy is the client.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent ``request``, past the trusted proxies."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    if not _trusted(address):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address  # a malformed chain: keep the proxy's address rather than guess
        if not _trusted(hop):
            return hop
        address = hop
    return address
