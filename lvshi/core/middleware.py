"""Client address resolution shared by login throttling, audit and the API."""

from django.conf import settings


def client_ip(request) -> str:
    """The client's address.

    ``X-Forwarded-For`` is believed only when ``TRUSTED_PROXY_COUNT`` proxies
    are configured, and then only the entry those proxies appended: a client
    cannot reset its lock-out by forging the header.
    """
    cached = getattr(request, "client_ip", None)
    if cached:
        return cached
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    if len(forwarded) >= hops:
        return forwarded[-hops]
    return remote


class ClientIPMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = None
        request.client_ip = client_ip(request)
        return self.get_response(request)
