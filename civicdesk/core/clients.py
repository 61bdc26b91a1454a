"""Who is on the other end: the client's address, trusting `X-Forwarded-For` only from our own proxies.

Behind the documented nginx every request comes from 127.0.0.1; rate limits, the login lockout and the audit log
need the visitor's address. `TRUSTED_PROXIES` (addresses or networks, default none) lists the proxies whose
`X-Forwarded-For` we believe; the client is the right-most address in that header that is not one of them. A header
sent by anyone else is ignored, so a visitor cannot choose the address they are counted under.
"""

import ipaddress

from django.conf import settings


def _networks():
    networks = []
    for item in settings.TRUSTED_PROXIES:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue
    return networks


def _trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request):
    """The client's address for `request` (REMOTE_ADDR unless it is a trusted proxy), or "" when unknown."""
    if request is None:
        return ""
    peer = (request.META.get("REMOTE_ADDR") or "").strip()
    networks = _networks()
    if not networks or not _trusted(peer, networks):
        return peer
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if not _trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return peer  # a malformed header from behind our own proxy: count the proxy, not garbage
    return forwarded[0] if forwarded else peer
