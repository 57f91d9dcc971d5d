"""Recognising a client again without storing its IP address.

Rate limits need "the same client as before". lesefrei never keeps an IP address in
clear: the address (an IPv6 address cut to its /64 network first, as allauth does) is
turned into a keyed hash with the site's SECRET_KEY. The hash is stable while the key
stays, cannot be reversed without the key, and is all that reaches the cache.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

SALT = "lesefrei.accounts.client"


def network_of(ip: str) -> str:
    """The address itself for IPv4, its network for IPv6 (a household has a whole /64)."""
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address):
        prefix = getattr(settings, "ALLAUTH_RATE_LIMIT_IPV6_PREFIX", 64)
        return str(ipaddress.IPv6Network(f"{address}/{prefix}", strict=False).network_address)
    return str(address)


def hash_client_ip(ip: str) -> str:
    """The string "client-" and 32 hex digits of an HMAC of the client's address (or network)."""
    digest = salted_hmac(SALT, network_of(ip), algorithm="sha256").hexdigest()
    return f"client-{digest[:32]}"


def client_key(request: HttpRequest) -> str:
    """The hashed client of a request, found the way allauth finds it (REMOTE_ADDR, or
    the proxy header that ALLAUTH_TRUSTED_PROXY_COUNT / ALLAUTH_TRUSTED_CLIENT_IP_HEADER
    say to trust)."""
    from allauth.core.internal.httpkit import get_client_ip

    ip = get_client_ip(request)
    if not ip:
        raise PermissionDenied("Unable to determine the client's address.")
    return hash_client_ip(ip)
