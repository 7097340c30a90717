"""The notifications the organisations app sends: a new staff member's
activation link. Registered from ``OrgsConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvshi.notify.kinds import Kind

KINDS = (
    Kind(
        key="staff_activation",
        title=_("开通账户"),
        inbox=_("{{ org }}已为您开通律师服务平台账户，请在3天内打开链接设置密码：{{ link }}"),
        sms=_(
            "{{ name }}，{{ org }}已为您开通律师服务平台账户，请在3天内打开链接设置密码：{{ link }} "
            "链接只能使用一次，请勿转发。如非本人，请忽略本短信。"
        ),
        needs=("name", "org", "link"),
        sensitive=True,
    ),
)
