"""Idle time-out for sessions: after SESSION_IDLE_TIMEOUT seconds without a
request the session is flushed on the server and the user logs in again."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

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
                messages.info(request, "您已长时间未操作，为保护账户安全已自动退出，请重新登录。")
            elif last_seen is None or now - int(last_seen) >= 60:
                # Refreshed at most once a minute, so that reading pages does
                # not write the session on every request.
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
