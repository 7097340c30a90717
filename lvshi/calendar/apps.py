from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "lvshi.calendar"
    label = "calendar"
    verbose_name = "工作日历"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from lvshi.site.registry import home_links

        from .rules import CLOSURE_ROLES

        home_links.register(
            "closures",
            label=_("停止办公日"),
            url_name="calendar:closures",
            roles=CLOSURE_ROLES,
            platform_admin=True,
            order=45,
            description=_("登记本机构因检修、检查等原因停止办公的日期，当天不接受预约。"),
        )
