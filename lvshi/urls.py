from django.contrib import admin
from django.urls import include, path, re_path

from lvshi.api import api
from lvshi.core.api import json_not_found

urlpatterns = [
    # The API first: its calls are the busiest, and every pattern tried
    # before theirs costs each of them a regular-expression match.
    path("api/v1/", api.urls),
    re_path(r"^api/", json_not_found, name="api_not_found"),
    path("", include("lvshi.site.urls")),
    path("accounts/", include("lvshi.accounts.urls")),
    path("orgs/", include("lvshi.orgs.urls")),
    path("audit/", include("lvshi.audit.urls")),
    path("notifications/", include("lvshi.notify.urls")),
    path("calendar/", include("lvshi.calendar.urls")),
    path("visits/", include("lvshi.visits.urls")),
    path("courts/", include("lvshi.courts.urls")),
    path("laws/", include("lvshi.laws.urls")),
    path("bureau/", include("lvshi.bureau.urls")),
    path("lookup/", include("lvshi.bureau.public_urls")),
    path("captcha/", include("captcha.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
