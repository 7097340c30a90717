"""The request type of the project's views."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware, as every page
    request does: ``request.htmx`` says whether htmx sent it and what for."""

    htmx: HtmxDetails
