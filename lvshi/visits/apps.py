from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "lvshi.visits"
    label = "visits"
    verbose_name = "律师会见预约"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from lvshi.orgs.models import Role
        from lvshi.site.registry import home_counters, nav

        from . import (
            rules,  # noqa: F401
            selectors,
        )

        lawyer = [Role.LAWYER]
        nav.register("book", label=_("我要预约"), url_name="visits:book", roles=lawyer, order=10)
        nav.register(
            "review_bookings",
            label=_("预约审核"),
            url_name="visits:review_queue",
            roles=[Role.OFFICER],
            order=12,
        )
        home_counters.register(
            "bookings_review",
            label=_("预约审核中"),
            url_name="visits:my_bookings",
            roles=lawyer,
            order=10,
            count=lambda user: selectors.lawyer_counts(user)["review"],
        )
        home_counters.register(
            "bookings_upcoming",
            label=_("已通过的预约"),
            url_name="visits:my_bookings",
            roles=lawyer,
            order=20,
            count=lambda user: selectors.lawyer_counts(user)["upcoming"],
        )
        home_counters.register(
            "bookings_failed",
            label=_("预约失败记录"),
            url_name="visits:my_bookings",
            roles=lawyer,
            order=30,
            count=lambda user: selectors.lawyer_counts(user)["failed"],
        )
