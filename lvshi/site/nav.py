"""The shell's own navigation entries: the home page and the admin site.
Registered from ``SiteConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .registry import nav


def register() -> None:
    nav.register("home", label=_("首页"), url_name="site:home", order=0)
    nav.register("admin", label=_("后台管理"), url_name="admin:index", permission="site.use_admin", order=70)
