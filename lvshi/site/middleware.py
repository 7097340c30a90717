"""The interface language, and the error pages in it.

The language is Chinese unless the person chose English.

Django's LocaleMiddleware also follows the browser's Accept-Language, which
would show English to a Chinese lawyer whose browser happens to be set to
English. Here only the language switch (its cookie) changes the language;
everyone else gets LANGUAGE_CODE (zh-hans).
"""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.views import defaults

from lvshi.core.middleware import API_PREFIX

logger = logging.getLogger("django.request")


class LanguageCookieMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = settings.LANGUAGE_CODE
        if chosen:
            try:
                language = translation.get_supported_language_variant(chosen)
            except LookupError:
                language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ErrorPagesMiddleware:
    """With ``DEBUG`` on, Django answers a missing page and a crash with its
    technical pages (in English, with settings and a traceback). A person
    trying the development server should see what production shows: the
    site's own 404 and 500 pages in the site's language; the traceback
    still goes to the log. ``DEBUG_ERROR_PAGES=1`` brings Django's pages
    back. With ``DEBUG`` off this does nothing (Django renders the same
    templates itself); the API keeps its JSON errors."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.active = settings.DEBUG and not settings.DEBUG_ERROR_PAGES

    def __call__(self, request):
        response = self.get_response(request)
        if (
            self.active
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None  # no page at this address
            and not request.path.startswith(API_PREFIX)
        ):
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not self.active or request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied | BadRequest | SuspiciousOperation):
            return None  # Django renders 403.html and 400.html itself, DEBUG or not
        extra = {"status_code": 500, "request": request}
        logger.error("Internal Server Error: %s", request.path, exc_info=exception, extra=extra)
        return defaults.server_error(request)
