"""People. One account per person, identified by their resident ID number,
which is stored encrypted and looked up through a keyed blind index."""

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.models import CooldownMixin, Device, TimestampMixin

from lvshi.core import crypto
from lvshi.core.errors import DomainError

from .identity import mask_id_number, normalize_id_number, normalize_licence_no


class LicenceStatus(models.TextChoices):
    NOT_APPLICABLE = "n/a", _("不适用")
    VERIFIED = "verified", _("已核验")
    PENDING = "pending", _("待核验")
    REJECTED = "rejected", _("核验未通过")


class TwoFactorMethod(models.TextChoices):
    NONE = "", _("未开启")
    TOTP = "totp", _("身份验证器（TOTP）")
    SMS = "sms", _("短信验证码")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        """Log-in names are an ID number (18) or a licence number (17 digits)."""
        return self.get(**lookup_for_login_name(username))

    def by_id_number(self, id_number: str):
        return self.filter(id_number_hash=crypto.blind_index(id_number))

    def create_user(self, id_number: str, password: str | None = None, **fields):
        id_number = normalize_id_number(id_number)
        user = self.model(**fields)
        user.set_id_number(id_number)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, id_number: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(id_number, password, **fields)


def lookup_for_login_name(username: str) -> dict:
    value = (username or "").strip().upper()
    if len(value) == 17 and value.isdigit():
        return {"licence_no": value}
    return {"id_number_hash": crypto.blind_index(value)}


class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    # The ID number of an account being registered, before it is saved
    # encrypted: the password rules compare the password with it.
    _pending_id_number: str | None = None
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_encrypted = models.TextField(editable=False)
    id_number_masked = models.CharField(_("身份证号码"), max_length=18, editable=False)
    name = models.CharField(_("姓名"), max_length=50)
    mobile = models.CharField(_("手机号码"), max_length=11)
    email = models.EmailField(_("电子邮箱"), blank=True)
    licence_no = models.CharField(_("执业证号"), max_length=17, unique=True, null=True, blank=True)
    licence_status = models.CharField(
        _("执业证核验"), max_length=10, choices=LicenceStatus.choices, default=LicenceStatus.NOT_APPLICABLE
    )
    licence_verified_at = models.DateTimeField(null=True, blank=True)
    two_factor_method = models.CharField(
        _("双重验证方式"), max_length=8, choices=TwoFactorMethod.choices, default=TwoFactorMethod.NONE, blank=True
    )
    is_active = models.BooleanField(_("有效"), default=True)
    is_staff = models.BooleanField(_("可进入后台"), default=False)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "id_number_hash"
    REQUIRED_FIELDS = ["name", "mobile"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"

    def set_id_number(self, id_number: str) -> None:
        """Set once, at creation. The ID number can never be changed."""
        if self.pk:
            raise ValueError("The ID number of an existing account cannot be changed")
        self.id_number_hash = crypto.blind_index(id_number)
        self.id_number_encrypted = crypto.encrypt(id_number)
        self.id_number_masked = mask_id_number(id_number)

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted)

    def clean(self):
        super().clean()
        if self.licence_no:
            self.licence_no = normalize_licence_no(self.licence_no)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    @property
    def login_name(self) -> str:
        return self.id_number_masked


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"token#{self.pk} of user#{self.user_id}"


class SmsCodePurpose(models.TextChoices):
    LOGIN = "login", _("登录验证")
    PASSWORD_RESET = "reset", _("找回密码")
    MOBILE_CHANGE = "mobile", _("更换手机号")


class SmsCode(models.Model):
    """A six-digit one-time code sent by SMS: 10 minutes, single use, 5 tries."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sms_codes")
    purpose = models.CharField(max_length=10, choices=SmsCodePurpose.choices)
    mobile = models.CharField(max_length=11)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} code for user#{self.user_id}"


# --- two-factor devices ------------------------------------------------------

SMS_CODE_RESEND_SECONDS = 60


def _code_hash(user_id: int, code: str) -> str:
    return crypto.blind_index(f"{user_id}:{code}", purpose="sms-code")


def mask_mobile(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 7 else "****"


class SmsDevice(TimestampMixin, CooldownMixin, Device):
    """A one-time code sent by SMS to the user's mobile number."""

    class Meta:
        verbose_name = gettext_lazy("短信验证设备")
        verbose_name_plural = gettext_lazy("短信验证设备")

    def get_cooldown_duration(self) -> int:
        return getattr(settings, "SMS_CODE_RESEND_SECONDS", SMS_CODE_RESEND_SECONDS)

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.user.mobile)

    def _live_code(self, *, for_update: bool = False) -> SmsCode | None:
        qs = SmsCode.objects.filter(
            user_id=self.user_id, purpose=SmsCodePurpose.LOGIN, used_at__isnull=True, expires_at__gt=timezone.now()
        ).order_by("-created_at", "-pk")
        if for_update:
            qs = qs.select_for_update()
        return qs.first()

    def generate_challenge(self) -> str:
        """Send a new code (voiding earlier ones). Raises a domain error when
        the previous code was sent less than a minute ago."""
        from lvshi.notify.services import send_sms

        allowed, info = self.generate_is_allowed()
        if not allowed:
            wait = max(1, int((info["next_generation_at"] - timezone.now()).total_seconds()) + 1)
            raise DomainError(
                "sms_cooldown",
                gettext("验证码已发送，请查收短信；如未收到，请在%(n)d秒后重新获取。") % {"n": wait},
                status=429,
            )
        user = self.user
        if not user.mobile:
            raise DomainError("mobile_missing", gettext("您的账户没有登记手机号码，无法接收短信验证码，请联系管理员。"))
        now = timezone.now()
        with transaction.atomic():
            SmsCode.objects.filter(user_id=user.pk, purpose=SmsCodePurpose.LOGIN, used_at__isnull=True).update(
                expires_at=now
            )
            code = f"{secrets.randbelow(1_000_000):06d}"
            row = SmsCode(
                user=user,
                purpose=SmsCodePurpose.LOGIN,
                mobile=user.mobile,
                code_hash=_code_hash(user.pk, code),
                expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
            )
            row.full_clean()
            row.save()
            send_sms(mobile=user.mobile, template="sms_code", context={"code": code}, user=user)
            self.cooldown_set()
        return gettext("验证码已发送至手机 %(mobile)s，10分钟内有效。") % {"mobile": self.mobile_masked}

    def verify_is_allowed(self):
        row = self._live_code()
        if row is not None and row.tries >= settings.SMS_CODE_MAX_TRIES:
            return False, {"error_message": gettext("验证码输错次数过多，已失效，请重新获取验证码。")}
        return super().verify_is_allowed()

    def verify_token(self, token) -> bool:
        token = str(token or "").strip()
        with transaction.atomic():
            row = self._live_code(for_update=True)
            if row is None or row.tries >= settings.SMS_CODE_MAX_TRIES:
                return False
            ok = (
                len(token) == 6
                and token.isdigit()
                and hmac.compare_digest(row.code_hash, _code_hash(row.user_id, token))
            )
            if not ok:
                SmsCode.objects.filter(pk=row.pk).update(tries=F("tries") + 1)
                return False
            used = SmsCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now())
            if used != 1:
                return False
            self.cooldown_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        return True
