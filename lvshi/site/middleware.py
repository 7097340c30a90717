"""The interface language: Chinese unless the person chose English.

Django's LocaleMiddleware also follows the browser's Accept-Language, which
would show English to a Chinese lawyer whose browser happens to be set to
English. Here only the language switch (its cookie) changes the language;
everyone else gets LANGUAGE_CODE (zh-hans).
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
