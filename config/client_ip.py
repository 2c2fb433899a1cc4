"""The address a request came from, for login throttling and the audit log."""
import ipaddress

from django.conf import settings


def _valid(candidate: str) -> str | None:
    try:
        return str(ipaddress.ip_address(candidate.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """Behind settings.TRUSTED_PROXY_COUNT proxies that each append the address they saw to
    X-Forwarded-For, the client's is the COUNT-th from the right; anything left of it was
    written by the client and can be forged. Without trusted proxies, or when the header is
    missing, short or malformed, the connection's own address counts."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count and (address := _valid(hops[-count])):
            return address
    return _valid(request.META.get("REMOTE_ADDR") or "")
