"""The names of the audit actions calendar records (lvshi.audit.actions)."""

from django.utils.translation import gettext_lazy as _

from lvshi.audit import actions

ACTIONS = {
    "calendar.closure_create": _("登记停止办公日"),
    "calendar.closure_update": _("修改停止办公日"),
    "calendar.closure_delete": _("撤销停止办公日"),
    "calendar.holiday_year_create": _("新增年度节假日安排"),
    "calendar.holiday_year_update": _("修改年度节假日安排"),
    "calendar.holiday_year_delete": _("删除年度节假日安排"),
    "calendar.holiday_dates_update": _("更新节假日与调休日期"),
    "calendar.feed_token_create": _("开通日程订阅"),
    "calendar.feed_token_reset": _("重置日程订阅地址"),
    "calendar.feed_token_delete": _("关闭日程订阅"),
    "calendar.entry_create": _("新增个人日程"),
    "calendar.entry_update": _("修改个人日程"),
    "calendar.entry_delete": _("删除个人日程"),
    "calendar.travel_time_create": _("新增路程时间"),
    "calendar.travel_time_update": _("修改路程时间"),
    "calendar.travel_time_delete": _("删除路程时间"),
}


def register() -> None:
    actions.register(ACTIONS)
