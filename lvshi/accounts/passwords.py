"""Password rules beyond Django's own (MLPS level 2/3 complexity)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    ("lower", re.compile(r"[a-z]")),
    ("upper", re.compile(r"[A-Z]")),
    ("digit", re.compile(r"\d")),
    ("symbol", re.compile(r"[^A-Za-z0-9]")),
)


class ComplexityValidator:
    """At least *min_classes* of: lower-case, upper-case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        count = sum(1 for _name, rx in CLASSES if rx.search(password))
        if count < self.min_classes:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、符号中的至少%(n)d类。") % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("密码须包含小写字母、大写字母、数字、符号中的至少%(n)d类。") % {"n": self.min_classes}


class PersonalDataValidator:
    """The password may not contain the ID number (or its last 6+ digits) or the name."""

    def validate(self, password, user=None):
        if user is None:
            return
        lowered = password.upper()
        id_number = getattr(user, "_pending_id_number", None)
        if not id_number and getattr(user, "id_number_encrypted", ""):
            id_number = user.id_number
        if id_number:
            for start in range(0, len(id_number) - 5):
                if id_number[start : start + 6] in lowered:
                    raise ValidationError(_("密码不能包含身份证号码或其中的连续6位。"), code="password_has_id")
        name = (getattr(user, "name", "") or "").strip()
        if name and name.upper() in lowered:
            raise ValidationError(_("密码不能包含您的姓名。"), code="password_has_name")

    def get_help_text(self):
        return _("密码不能包含您的身份证号码或姓名。")
