"""People. One account per person, identified by their resident ID number,
which is stored encrypted and looked up through a keyed blind index."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvshi.core import crypto

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


class UserManager(BaseUserManager):
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


class User(AbstractBaseUser, PermissionsMixin):
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


class LicenceRecordStatus(models.TextChoices):
    ACTIVE = "active", _("正常执业")
    SUSPENDED = "suspended", _("停止执业")
    REVOKED = "revoked", _("已注销/吊销")


class LicenceRecord(models.Model):
    """The lawyer registry's record of a licence (minimal form of A1)."""

    licence_no = models.CharField(_("执业证号"), max_length=17, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    firm_name = models.CharField(_("执业机构"), max_length=100)
    firm = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=LicenceRecordStatus.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("执业证登记")
        verbose_name_plural = _("执业证登记")

    def __str__(self) -> str:
        return f"{self.licence_no} {self.name}"


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


# The SMS one-time-password device lives with the rest of two-factor code.
from .otp import SmsDevice  # noqa: E402, F401
