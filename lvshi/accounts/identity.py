"""Resident identity numbers (居民身份证号码, GB 11643-1999).

18 characters: 6-digit region code, 8-digit birth date, 3-digit sequence,
and a check character (0-9 or X) computed with ISO 7064 MOD 11-2.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

# First two digits of the region code: provinces, autonomous regions,
# municipalities (GB/T 2260), Taiwan, Hong Kong and Macao.
PROVINCE_CODES = frozenset(
    {
        11,
        12,
        13,
        14,
        15,
        21,
        22,
        23,
        31,
        32,
        33,
        34,
        35,
        36,
        37,
        41,
        42,
        43,
        44,
        45,
        46,
        50,
        51,
        52,
        53,
        54,
        61,
        62,
        63,
        64,
        65,
        71,
        81,
        82,
        83,
    }
)

# Full-width forms (U+FF01–U+FF5E) and the ideographic space, as typed with a
# Chinese input method left in full-width mode.
_FULLWIDTH = re.compile(r"[\uff01-\uff5e\u3000]")
# Characters that cannot be seen: zero-width spaces and joiners, the byte-order
# mark, directional marks and soft hyphens, as pasted from a document or chat.
INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")
_ASCII_DIGITS = re.compile(r"^[0-9]+$")
EARLIEST_BIRTH = date(1900, 1, 1)


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalize_id_number(raw: str, *, today: date | None = None) -> str:
    """Return the canonical (upper-case) identity number or raise
    ``ValidationError`` with a message that says what is wrong."""
    if raw is None:
        raise ValidationError(_("请输入18位身份证号码。"), code="required")
    value = raw.strip()
    if not value:
        raise ValidationError(_("请输入18位身份证号码。"), code="required")
    if INVISIBLE.search(value):
        raise ValidationError(
            _("身份证号码中夹有看不见的字符（常见于从文档或聊天中复制），请删除后手动输入18位号码。"), code="invisible"
        )
    if _FULLWIDTH.search(value):
        raise ValidationError(_("身份证号码含有全角字符，请切换到半角（英文）输入法后重新输入。"), code="fullwidth")
    value = value.upper()
    if len(value) == 15 and _ASCII_DIGITS.match(value):
        raise ValidationError(_("不支持15位旧身份证号码，请输入18位第二代居民身份证号码。"), code="legacy_15")
    if len(value) != 18:
        raise ValidationError(_("身份证号码应为18位，您输入了%(n)d位。") % {"n": len(value)}, code="length")
    if not _SHAPE.match(value):
        raise ValidationError(_("身份证号码前17位应为数字，最后一位为数字或字母X。"), code="characters")
    if int(value[:2]) not in PROVINCE_CODES or value[2:6] == "0000":
        raise ValidationError(_("身份证号码的地区代码无效，请核对前6位。"), code="region")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise ValidationError(_("身份证号码中的出生日期无效，请核对第7至14位。"), code="birth_date") from exc
    today = today or timezone.localdate()
    if born > today or born < EARLIEST_BIRTH:
        raise ValidationError(_("身份证号码中的出生日期不可能是真实日期，请核对第7至14位。"), code="birth_date")
    if check_char(value[:17]) != value[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对是否输错。"), code="check_digit")
    return value


def mask_id_number(value: str) -> str:
    """``310101199003070014`` → ``3101**********0014``."""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def birth_date_of(value: str) -> date:
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


LICENCE_RE = re.compile(r"^[0-9]{17}$")


def normalize_licence_no(raw: str) -> str:
    value = (raw or "").strip()
    if INVISIBLE.search(value):
        raise ValidationError(
            _("执业证号中夹有看不见的字符（常见于从文档或聊天中复制），请删除后手动输入17位数字。"), code="invisible"
        )
    if _FULLWIDTH.search(value):
        raise ValidationError(_("执业证号含有全角字符，请切换到半角（英文）输入法后重新输入。"), code="fullwidth")
    if not LICENCE_RE.match(value):
        raise ValidationError(_("执业证号应为17位数字。"), code="licence_format")
    return value


MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")


def normalize_mobile(raw: str) -> str:
    value = (raw or "").strip().replace(" ", "").replace("-", "")
    if _FULLWIDTH.search(value):
        raise ValidationError(_("手机号码含有全角字符，请切换到半角（英文）输入法后重新输入。"), code="fullwidth")
    if value.startswith("+86"):
        value = value[3:]
    if not MOBILE_RE.match(value):
        raise ValidationError(_("请输入11位中国大陆手机号码。"), code="mobile_format")
    return value


def mask_mobile(value: str) -> str:
    """``13912345678`` → ``139****5678``."""
    if len(value) != 11:
        return value
    return value[:3] + "****" + value[-4:]


# GB 32100-2015: the unified social credit code of an organisation, 18
# characters from 31 (no I, O, Z, S, V), the last a check character.
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_RE = re.compile(rf"^[{CREDIT_CHARS}]{{18}}$")


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def normalize_credit_code(raw: str) -> str:
    """The canonical (upper-case) unified social credit code, or a
    ``ValidationError`` that says what is wrong."""
    value = (raw or "").strip().upper()
    if not value:
        raise ValidationError(_("请输入18位统一社会信用代码。"), code="required")
    if INVISIBLE.search(value) or _FULLWIDTH.search(value):
        raise ValidationError(
            _("统一社会信用代码含有全角或看不见的字符，请切换到半角输入法后手动输入。"), code="characters"
        )
    if len(value) != 18:
        raise ValidationError(_("统一社会信用代码应为18位，您输入了%(n)d位。") % {"n": len(value)}, code="length")
    if not CREDIT_RE.match(value):
        raise ValidationError(
            _("统一社会信用代码只含数字和大写字母（不含 I、O、Z、S、V），请核对营业执照。"), code="characters"
        )
    if credit_check_char(value[:17]) != value[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对是否输错。"), code="check_digit")
    return value
