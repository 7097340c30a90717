"""Password rules beyond Django's own (MLPS level 2/3 complexity).

Django's own validators speak Chinese through Django's zh_Hans catalogue,
except the minimum length: Django 5.2 changed that message's text and the
catalogue has not caught up, so :class:`MinimumLengthValidator` says it here.
"""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    ("lower", re.compile(r"[a-z]")),
    ("upper", re.compile(r"[A-Z]")),
    ("digit", re.compile(r"[0-9]")),
    ("symbol", re.compile(r"[^A-Za-z0-9]")),
)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in Chinese."""

    def get_error_message(self):
        return _("密码太短，至少需要%(min_length)d个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少需要%(min_length)d个字符。") % {"min_length": self.min_length}


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
    """The password may not contain the ID number (or any 6 consecutive
    characters of it) or the name.

    A user being registered has no stored ID number yet: the registration
    service puts it on ``user._pending_id_number`` for this check.
    """

    RUN = 6

    def validate(self, password, user=None):
        if user is None:
            return
        upper = password.upper()
        id_number = getattr(user, "_pending_id_number", None)
        if not id_number and getattr(user, "id_number_encrypted", None):
            id_number = user.id_number
        if id_number:
            id_number = id_number.upper()
            for start in range(len(id_number) - self.RUN + 1):
                if id_number[start : start + self.RUN] in upper:
                    raise ValidationError(_("密码不能包含身份证号码或其中的连续6位。"), code="password_has_id")
        name = (getattr(user, "name", "") or "").strip().upper()
        if name and name in upper:
            raise ValidationError(_("密码不能包含您的姓名。"), code="password_has_name")

    def get_help_text(self):
        return _("密码不能包含您的身份证号码或姓名。")
