"""The profile and the licence check queue in the navigation and on the
staff home. Registered from ``AccountsConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvshi.site.registry import home_links, nav


def register() -> None:
    nav.register("profile", label=_("我的资料"), url_name="accounts:profile", order=90)
    nav.register(
        "licence_queue",
        label=_("执业证核验"),
        url_name="accounts:licence_queue",
        permission="accounts.verify_licence",
        order=40,
    )
    home_links.register(
        "licence_queue",
        label=_("执业证核验"),
        url_name="accounts:licence_queue",
        permission="accounts.verify_licence",
        order=25,
        description=_("核验本辖区律师注册时提交的执业证。"),
    )
    home_links.register(
        "profile",
        label=_("我的资料"),
        url_name="accounts:profile",
        order=90,
        description=_("修改手机号码、密码和双重验证方式。"),
    )
