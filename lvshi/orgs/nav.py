"""Organisation management in the navigation and on the staff home.
Registered from ``OrgsConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvshi.site.registry import home_links, nav


def register() -> None:
    nav.register("orgs", label=_("机构管理"), url_name="orgs:list", permission="orgs.administer", order=50)
    home_links.register(
        "orgs",
        label=_("机构与人员管理"),
        url_name="orgs:list",
        permission="orgs.administer",
        order=10,
        description=_("查看本机构及下级机构，添加工作人员，调整角色。"),
    )
    home_links.register(
        "orgs_create",
        label=_("新建顶级机构"),
        url_name="orgs:create",
        permission="orgs.create_top_level",
        order=20,
        description=_("新增司法厅、法院、监所管理总队等顶级机构。"),
    )
