"""The inbox in the navigation and on the staff home. Registered from
``NotifyConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvshi.site.registry import home_links, nav


def register() -> None:
    nav.register("notifications", label=_("消息中心"), url_name="notify:inbox", order=80, badge="unread_notifications")
    home_links.register(
        "notifications", label=_("消息中心"), url_name="notify:inbox", order=80, description=_("查看站内通知。")
    )
