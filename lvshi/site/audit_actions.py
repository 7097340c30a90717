"""The names of the audit actions site records (lvshi.audit.actions)."""

from django.utils.translation import gettext_lazy as _

from lvshi.audit import actions

ACTIONS = {
    "site.seed_demo": _("载入演示数据"),
}


def register() -> None:
    actions.register(ACTIONS)
