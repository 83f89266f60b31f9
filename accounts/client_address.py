"""The address a request came from, as login throttling (django-axes) keys it.

Behind reverse proxies every request arrives from a proxy's address, so keying on it would
let anyone lock any named user out. Each trusted proxy appends the address it received the
request from to X-Forwarded-For; with TRUSTED_PROXY_COUNT proxies in front of the app, the
client is the entry that many places from the right. Entries further left are whatever the
client chose to send and are never used.
"""

from django.conf import settings


def client_address(request) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < proxies:
        return remote  # not through the expected proxies: the connection's own address
    return forwarded[-proxies]
