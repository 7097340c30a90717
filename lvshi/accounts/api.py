"""Accounts in the JSON API: sign-in with a captcha, bearer tokens, the
current user, registration."""

from django.utils import timezone
from ninja import Router
from ninja.security import HttpBearer

from lvshi.core import crypto

from .models import ApiToken


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; tokens are stored as SHA-256 and
    can be revoked (logout) or expire."""

    def authenticate(self, request, token):
        if not token:
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=crypto.token_hash(token), revoked_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        request.user = row.user
        request.api_token = row
        return row.user


# Routes that need no token (sign-in, captcha, registration).
auth_router = Router(tags=["auth"])
# Routes for a signed-in user.
router = Router(tags=["accounts"])

# --- sign-in, tokens, two-factor ---------------------------------------------

# --- registration, profile, passwords ----------------------------------------
