from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lvshi.orgs import permissions

from .home import home_context


@require_safe
@never_cache
@permissions.page(permissions.PUBLIC)
def healthz(request: HttpRequest):
    """Liveness and database check for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_safe
@permissions.page(permissions.PUBLIC)
def home(request: HttpRequest):
    """The signed-in user's home for their roles; the public landing page
    for anyone else."""
    if not request.user.is_authenticated:
        return render(request, "site/landing.html")
    return render(request, "site/home.html", home_context(request.user))


@require_safe
@permissions.page(permissions.PUBLIC)
def landing(request: HttpRequest):
    return render(request, "site/landing.html")
