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

from datetime import datetime  # noqa: E402

from ninja import Field, Schema  # noqa: E402

from lvshi.orgs import scope  # noqa: E402
from lvshi.orgs.models import Role  # noqa: E402

from . import signin  # noqa: E402


class CaptchaOut(Schema):
    key: str
    image: str = Field(description="PNG image as a data: URI")


class LoginIn(Schema):
    username: str = Field(max_length=64, description="18-digit ID number or 17-digit licence number")
    password: str = Field(max_length=128)
    captcha_key: str = Field(max_length=40)
    captcha_value: str = Field(max_length=32)
    otp: str | None = Field(default=None, max_length=12, description="second-factor code, when the account needs one")


class TokenOut(Schema):
    token: str
    expires_at: datetime


class ErrorOut(Schema):
    code: str
    message: str


class RoleOut(Schema):
    role: str
    role_label: str
    organisation_id: int
    organisation: str


class MeOut(Schema):
    id: int
    name: str
    id_number_masked: str
    licence_no: str | None
    licence_status: str
    two_factor_method: str
    roles: list[RoleOut]


@auth_router.get("/captcha", auth=None, response=CaptchaOut, url_name="auth_captcha")
def auth_captcha(request):
    """A new image captcha. Each one can be used for one sign-in attempt."""
    return signin.captcha_issue(request)


@auth_router.post(
    "/login",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    url_name="auth_login",
)
def auth_login(request, payload: LoginIn):
    """Sign in and receive a bearer token. When the account needs a second
    factor the answer is 401 ``otp_required`` (an SMS code is sent first for
    accounts that use SMS): repeat the call with a new captcha and ``otp``."""
    issued = signin.api_signin(
        request,
        username=payload.username,
        password=payload.password,
        captcha_key=payload.captcha_key,
        captcha_value=payload.captcha_value,
        otp_code=payload.otp,
    )
    return {"token": issued.token, "expires_at": issued.expires_at}


@router.post("/auth/logout", response={204: None}, url_name="auth_logout")
def auth_logout(request):
    """Revoke the bearer token of this request."""
    signin.token_revoke(token=request.api_token, request=request)
    return 204, None


@router.get("/me", response=MeOut, url_name="me")
def me(request):
    """The signed-in user and their roles."""
    user = request.user
    return {
        "id": user.pk,
        "name": user.name,
        "id_number_masked": user.id_number_masked,
        "licence_no": user.licence_no,
        "licence_status": user.licence_status,
        "two_factor_method": user.two_factor_method,
        "roles": [
            {
                "role": g.role,
                "role_label": str(Role(g.role).label),
                "organisation_id": g.org_id,
                "organisation": g.org_name,
            }
            for g in scope.grants(user)
        ],
    }


# --- registration, profile, passwords ----------------------------------------
