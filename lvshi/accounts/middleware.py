"""Session security.

* :class:`SessionSecurityMiddleware`: after ``SESSION_IDLE_TIMEOUT`` seconds
  without a request the session is flushed on the server and the user signs
  in again.
* :class:`TwoFactorRequiredMiddleware`: a user who has passed the password
  step but still owes a second factor (staff always; lawyers who chose one)
  reaches only the two-factor pages and "log out" until they pass it.

Both come after ``MessageMiddleware`` (they leave a message) and after
django-otp's ``OTPMiddleware`` (which tells whether the session is verified).
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "_last_seen"


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(
                    request, _("您已长时间未操作，为保护账户安全已自动退出，请重新登录。"), fail_silently=True
                )
            elif last_seen is None or now - int(last_seen) >= 60:
                # Refreshed at most once a minute, so that reading pages does
                # not write the session on every request.
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


# URL names an unverified user may still reach.
TWO_FACTOR_OPEN_URLS = frozenset(
    {
        "accounts:otp_verify",
        "accounts:otp_setup",
        "accounts:otp_resend",
        "accounts:logout",
        "site:healthz",
        "set_language",
        "captcha-image",
        "captcha-image-2x",
        "captcha-refresh",
    }
)


def owes_second_factor(user) -> bool:
    """Signed in with a password but not yet with the second factor that
    the account requires."""
    from .otp import required_method

    if not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return bool(required_method(user))


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        owes = (
            user is not None
            and not request.path_info.startswith(("/api/", settings.STATIC_URL))
            and owes_second_factor(user)
        )
        if owes and self._url_name(request) not in TWO_FACTOR_OPEN_URLS:
            return self._to_second_factor(request)
        # The pages open before the second factor (its own page, log-out)
        # show no menu of the account's work yet.
        request.owes_second_factor = owes
        return self.get_response(request)

    @staticmethod
    def _url_name(request) -> str:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return ""
        return match.view_name

    @staticmethod
    def _to_second_factor(request):
        url = reverse("accounts:otp_verify")
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
