"""Accounts in the JSON API: sign-in with a captcha, bearer tokens, the
current user, registration."""

from functools import lru_cache

from django.db import connection
from django.utils import timezone
from ninja import Router
from ninja.security import HttpBearer

from lvshi.core import crypto, rows
from lvshi.core.actor import Actor
from lvshi.orgs import permissions

from .models import ApiToken, LicenceStatus, User


@lru_cache(maxsize=4)
def _token_sql(vendor: str) -> tuple[str, tuple, tuple]:
    """The token look-up with its user, one statement built once per process
    (the ORM's building and compiling of it cost more than the query)."""
    qn = connection.ops.quote_name
    token_table, user_table = qn(ApiToken._meta.db_table), qn(User._meta.db_table)
    sql = (
        f"SELECT {rows.columns(ApiToken, 't')}, {rows.columns(User, 'u')} "  # noqa: S608
        f"FROM {token_table} t INNER JOIN {user_table} u ON u.id = t.user_id "
        "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s AND u.is_active"
    )
    return sql, rows.reader(ApiToken, "t"), rows.reader(User, "u")


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; tokens are stored as SHA-256 and
    can be revoked (logout) or expire. One indexed query (the token's unique
    hash) reads the token with its user; nothing is written."""

    def authenticate(self, request, token):
        if not token:
            return None
        sql, token_reader, user_reader = _token_sql(connection.vendor)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [crypto.token_hash(token), now])
            found = cursor.fetchone()
        if found is None:
            return None
        split = len(token_reader[1])
        row = rows.instance(token_reader, found[:split])
        row.user = rows.instance(user_reader, found[split:])
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

from lvshi.core.api import ErrorOut, Id  # noqa: E402
from lvshi.orgs import scope  # noqa: E402
from lvshi.orgs.models import OrgKind, Role  # noqa: E402

from . import access, signin  # noqa: E402


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


class RoleOut(Schema):
    role: Role
    role_label: str
    organisation_id: int
    organisation: str


class MeOut(Schema):
    id: int
    name: str
    id_number_masked: str
    licence_no: str | None
    licence_status: LicenceStatus
    two_factor_method: str
    roles: list[RoleOut]


@auth_router.get("/captcha", auth=None, response=CaptchaOut, url_name="auth_captcha")
@permissions.operation(permissions.PUBLIC)
def auth_captcha(request):
    """A new image captcha. Each one can be used for one sign-in attempt."""
    return signin.captcha_issue(request)


@auth_router.post(
    "/login",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    url_name="auth_login",
)
@permissions.operation(permissions.PUBLIC)
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
@permissions.operation(permissions.SIGNED_IN)
def auth_logout(request):
    """Revoke the bearer token of this request."""
    from ninja import Status

    signin.token_revoke(token=request.api_token, actor=Actor.of(request))
    return Status(204, None)


@router.get("/me", response=MeOut, url_name="me")
@permissions.operation(permissions.SIGNED_IN)
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
# Registration and password reset need no token; they sit on ``router`` with
# auth=None so that their paths are /api/v1/accounts/... (Schema, Field,
# datetime and scope are imported in the sign-in section above.)

from django.utils.translation import gettext  # noqa: E402
from ninja import Status  # noqa: E402

from lvshi.core.errors import DomainError  # noqa: E402
from lvshi.core.middleware import client_ip  # noqa: E402

from . import selectors as account_selectors  # noqa: E402
from . import services as account_services  # noqa: E402
from .identity import mask_mobile  # noqa: E402


class RegisterIn(Schema):
    id_number: str = Field(max_length=40, description="18位身份证号码（末位X不区分大小写）")
    name: str = Field(max_length=50)
    mobile: str = Field(max_length=20, description="11位手机号码")
    licence_no: str = Field(max_length=40, description="17位执业证号")
    firm_id: Id = Field(description="执业机构编号：GET /api/v1/accounts/firms 列出可选机构")
    password: str = Field(max_length=128)
    captcha_key: str = Field(max_length=64, description="图片验证码的 key")
    captcha_value: str = Field(max_length=16, description="图片验证码的答案（不区分大小写）")


class FirmOut(Schema):
    id: int
    name: str
    kind: OrgKind
    region_name: str


class MembershipOut(Schema):
    organisation_id: int
    organisation: str
    role: Role
    role_display: str


class ProfileOut(Schema):
    id: int
    name: str
    id_number_masked: str
    mobile: str
    email: str
    licence_no: str | None
    licence_status: LicenceStatus
    licence_status_display: str
    licence_rejection_reason: str
    firm: FirmOut | None
    roles: list[MembershipOut]
    mobile_pending: str


class ProfilePatchIn(Schema):
    email: str | None = Field(default=None, max_length=254, description="空字符串表示删除邮箱")
    mobile: str | None = Field(default=None, max_length=20, description="新手机号码：须同时提供 current_password")
    current_password: str | None = Field(default=None, max_length=128)


class CodeIn(Schema):
    code: str = Field(max_length=6)


class PasswordChangeIn(Schema):
    old_password: str = Field(max_length=128)
    new_password: str = Field(max_length=128)


class PasswordResetIn(Schema):
    login_name: str = Field(max_length=40, description="身份证号码或执业证号")
    captcha_key: str = Field(max_length=64)
    captcha_value: str = Field(max_length=16)


class PasswordResetConfirmIn(Schema):
    login_name: str = Field(max_length=40)
    code: str = Field(max_length=6)
    new_password: str = Field(max_length=128)


class MessageOut(Schema):
    code: str
    message: str


class PendingLawyerOut(Schema):
    id: int
    name: str
    id_number_masked: str
    licence_no: str | None
    firm_name: str | None
    registry_name: str | None
    registry_status: str | None
    date_joined: datetime


class LicenceDecisionOut(Schema):
    id: int
    name: str
    licence_no: str | None
    licence_status: LicenceStatus


class LicenceRejectIn(Schema):
    reason: str = Field(max_length=200)


def _firm_out(firm) -> dict | None:
    if firm is None:
        return None
    return {"id": firm.pk, "name": firm.name, "kind": firm.kind, "region_name": firm.region_name}


def _profile_out(user) -> dict:
    memberships = account_selectors.memberships_of(user)
    return {
        "id": user.pk,
        "name": user.name,
        "id_number_masked": user.id_number_masked,
        "mobile": user.mobile,
        "email": user.email,
        "licence_no": user.licence_no,
        "licence_status": user.licence_status,
        "licence_status_display": str(user.get_licence_status_display()),
        "licence_rejection_reason": account_selectors.licence_rejection_reason(user),
        "firm": _firm_out(next((m.organisation for m in memberships if m.role == "lawyer"), None)),
        "roles": [
            {
                "organisation_id": m.organisation_id,
                "organisation": m.organisation.name,
                "role": m.role,
                "role_display": str(m.get_role_display()),
            }
            for m in memberships
        ],
        "mobile_pending": mask_mobile(account_selectors.pending_mobile_change(user)),
    }


@router.get(
    "/accounts/firms", auth=None, response=list[FirmOut], summary="注册时可选的执业机构", url_name="accounts_firms"
)
@permissions.operation(permissions.PUBLIC)
def registration_firms(request):
    return [_firm_out(f) for f in account_selectors.registration_firms()]


@router.post(
    "/accounts/register", auth=None, response={201: ProfileOut}, summary="律师注册", url_name="accounts_register"
)
@permissions.operation(permissions.PUBLIC)
def register(request, payload: RegisterIn):
    signin.captcha_check(key=payload.captcha_key, value=payload.captcha_value)
    firm = account_selectors.firm_for_registration(payload.firm_id)
    if firm is None:
        raise DomainError(
            "invalid_firm",
            gettext("所选执业机构不存在或已停用，请从机构列表中重新选择。"),
            details={"field": "firm_id"},
        )
    user = account_services.lawyer_register(
        id_number=payload.id_number,
        name=payload.name,
        mobile=payload.mobile,
        licence_no=payload.licence_no,
        firm=firm,
        password=payload.password,
        ip=client_ip(request),
    )
    return Status(201, _profile_out(user))


@router.get("/accounts/profile", response=ProfileOut, summary="我的资料", url_name="accounts_profile")
@permissions.operation(permissions.SIGNED_IN)
def profile(request):
    return _profile_out(request.auth)


@router.patch(
    "/accounts/profile",
    response=ProfileOut,
    summary="修改电子邮箱；更换手机号码（须当前密码）",
    url_name="accounts_profile_patch",
)
@permissions.operation(permissions.SIGNED_IN)
def profile_patch(request, payload: ProfilePatchIn):
    """Changing ``mobile`` needs ``current_password`` and only starts the
    change: a code goes to the new number, confirm it with
    ``POST /accounts/profile/mobile/confirm``."""
    user = request.auth
    ip = client_ip(request)
    # Both fields are checked before either changes.
    email = None if payload.email is None else account_services.email_clean(payload.email)
    if payload.mobile is not None and payload.mobile.strip() != user.mobile:
        account_services.mobile_change_request(
            user=user, current_password=payload.current_password or "", new_mobile=payload.mobile, ip=ip
        )
    if email is not None:
        user = account_services.profile_update(user=user, email=email, ip=ip)
    return _profile_out(user)


@router.post(
    "/accounts/profile/mobile/confirm",
    response=ProfileOut,
    summary="输入验证码，完成更换手机号码",
    url_name="accounts_mobile_confirm",
)
@permissions.operation(permissions.SIGNED_IN)
def profile_mobile_confirm(request, payload: CodeIn):
    user = account_services.mobile_change_confirm(user=request.auth, code=payload.code, ip=client_ip(request))
    return _profile_out(user)


@router.post("/accounts/password", response=MessageOut, summary="修改密码", url_name="accounts_password_change")
@permissions.operation(permissions.SIGNED_IN)
def password_change(request, payload: PasswordChangeIn):
    """Every other API token of the account is revoked; this one stays valid."""
    account_services.password_change(
        user=request.auth,
        old_password=payload.old_password,
        new_password=payload.new_password,
        ip=client_ip(request),
        keep_token=getattr(request, "api_token", None),
    )
    return {"code": "password_changed", "message": gettext("密码已修改，其他设备上的登录已失效。")}


@router.post(
    "/accounts/password/reset",
    auth=None,
    response={202: MessageOut},
    summary="找回密码：发送短信验证码",
    url_name="accounts_password_reset",
)
@permissions.operation(permissions.PUBLIC)
def password_reset(request, payload: PasswordResetIn):
    signin.captcha_check(key=payload.captcha_key, value=payload.captcha_value)
    account_services.password_reset_request(login_name=payload.login_name, ip=client_ip(request))
    return Status(
        202,
        {"code": "reset_code_sent", "message": gettext("如果该账号存在，验证码已发送至其注册手机号码，10分钟内有效。")},
    )


@router.post(
    "/accounts/password/reset/confirm",
    auth=None,
    response=MessageOut,
    summary="找回密码：验证码和新密码",
    url_name="accounts_password_reset_confirm",
)
@permissions.operation(permissions.PUBLIC)
def password_reset_confirm(request, payload: PasswordResetConfirmIn):
    account_services.password_reset_confirm(
        login_name=payload.login_name, code=payload.code, new_password=payload.new_password, ip=client_ip(request)
    )
    return {"code": "password_reset", "message": gettext("密码已重设，请使用新密码登录。")}


@router.get(
    "/accounts/licences",
    response=list[PendingLawyerOut],
    summary="待核验执业证的律师（司法局）",
    url_name="accounts_licence_queue",
)
@permissions.operation("accounts.verify_licence")
def licence_queue(request):
    return account_selectors.with_registry(list(account_selectors.licence_queue(request.auth)[:200]))


@router.post(
    "/accounts/licences/{user_id}/approve",
    response=LicenceDecisionOut,
    summary="执业证核验通过",
    url_name="accounts_licence_approve",
)
@permissions.operation("accounts.verify_licence")
def licence_approve(request, user_id: Id):
    lawyer = access.lawyer_for_verification_or_404(request.auth, user_id)
    return account_services.licence_approve(clerk=request.auth, lawyer=lawyer, ip=client_ip(request))


@router.post(
    "/accounts/licences/{user_id}/reject",
    response=LicenceDecisionOut,
    summary="执业证核验退回",
    url_name="accounts_licence_reject",
)
@permissions.operation("accounts.verify_licence")
def licence_reject(request, user_id: Id, payload: LicenceRejectIn):
    lawyer = access.lawyer_for_verification_or_404(request.auth, user_id)
    return account_services.licence_reject(
        clerk=request.auth, lawyer=lawyer, reason=payload.reason, ip=client_ip(request)
    )
