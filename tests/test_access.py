"""The access sweep: every URL of the platform has a declared access rule,
and the rule holds.

Each named page route (walked recursively from ``lvshi.urls``) must appear in
``PAGES`` and each operation of the JSON API (read from its OpenAPI schema)
in ``API``, with one of three rules:

* ``PUBLIC``    anyone may open it (it never asks for a login),
* ``LOGIN``     anonymous visitors are redirected to the login page,
* ``API_TOKEN`` anonymous callers get 401 ``{"code", "message"}``.

A URL that shows one object also names a persona of the ``world`` fixture,
a factory for an object the persona may open (``mine``: it must answer below
400) and one for an object *outside* the persona's scope (``theirs``: it must
answer 404, never 403, which would reveal that the object exists). ``denied``
lists personas whose role does not allow the URL at all (403 or 404, tried on
``mine`` when there is one).

A new URL without an entry fails ``test_every_page_route_has_an_access_rule``
or ``test_every_api_operation_has_an_access_rule`` with its name: add it here,
or to the area's own table (``lvshi/<app>/tests/access_<area>.py``, see
``tests/access.py``).
"""

from __future__ import annotations

import importlib
import itertools
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import timezone

from tests.access import API_TOKEN, LOGIN, PUBLIC, Access, Kwargs

# Admin internals (guarded by Django's admin), the captcha's image and audio
# routes and static files are outside the sweep.
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"captcha-image", "captcha-image-2x", "captcha-audio", "captcha-refresh"}
# ninja's own routes; its operations are swept through the OpenAPI schema.
API_NAMESPACE = "api"
API_OWN_ROUTES = {"api:openapi-json", "api:openapi-view", "api:api-root"}

# --- personas and objects for the tables -------------------------------------------


def _notification(user_attr: str) -> Kwargs:
    def make(world):
        from lvshi.notify.tests.factories import NotificationFactory

        return {"pk": NotificationFactory(user=getattr(world, user_attr)).pk}

    return make


def _org(attr: str) -> Kwargs:
    return lambda world: {"pk": getattr(world, attr).pk}


def _membership_of(user_attr: str) -> Kwargs:
    return lambda world: {"pk": getattr(world, user_attr).memberships.get().pk}


def _pending_lawyer(firm_attr: str) -> Kwargs:
    """A lawyer of ``world.<firm_attr>`` whose licence waits for verification."""

    def make(world):
        from lvshi.accounts.models import LicenceStatus
        from tests.factories import MembershipFactory, UserFactory, make_licence_no

        lawyer = UserFactory(licence_no=make_licence_no(), licence_status=LicenceStatus.PENDING)
        MembershipFactory(user=lawyer, organisation=getattr(world, firm_attr), role="lawyer")
        return {"user_id": lawyer.pk}

    return make


def _audit_event(org_attr: str) -> Kwargs:
    def make(world):
        from lvshi.audit.services import audit_record

        organisation = getattr(world, org_attr)
        return {"pk": audit_record(action="access.sweep", actor=world.admin, organisation=organisation).pk}

    return make


def _closure(officer_attr: str, centre_attr: str) -> Kwargs:
    def make(world):
        from lvshi.calendar.services import closure_create
        from lvshi.core.actor import Actor

        closure = closure_create(
            actor=Actor(getattr(world, officer_attr)),
            organisation=getattr(world, centre_attr),
            day=timezone.localdate() + timedelta(days=40),
            reason="设备检修",
        )
        return {"pk": closure.pk}

    return make


_booking_days = itertools.count()


def _booking(lawyer_attr: str, centre_attr: str) -> Kwargs:
    """A booking under review, well before its cancellation deadline (each on
    its own day, as one lawyer holds one room at a time)."""

    def make(world):
        from lvshi.visits.models import Booking
        from lvshi.visits.tests.factories import bind, make_detainee

        detainee = make_detainee(getattr(world, centre_attr))
        lawyer = getattr(world, lawyer_attr)
        bind(lawyer, detainee)
        booking = Booking.objects.create(
            lawyer=lawyer,
            detainee=detainee,
            centre=detainee.centre,
            date=timezone.localdate() + timedelta(days=7 + next(_booking_days)),
            start="08:30",
            end="11:00",
            submitted_at=timezone.now(),
        )
        return {"booking_id": booking.pk}

    return make


def _approved_now(lawyer_attr: str, centre_attr: str) -> Kwargs:
    """An approved booking that started a minute ago: open for check-in."""

    def make(world):
        from datetime import datetime, time

        from lvshi.calendar.workdays import SHANGHAI
        from lvshi.visits.models import Booking
        from lvshi.visits.tests.factories import bind, make_detainee

        detainee = make_detainee(getattr(world, centre_attr))
        lawyer = getattr(world, lawyer_attr)
        bind(lawyer, detainee)
        now = timezone.now().astimezone(SHANGHAI)
        start = (now - timedelta(minutes=1)).time().replace(second=0, microsecond=0)
        if (now - timedelta(minutes=1)).date() != now.date():
            start = time(0, 0)
        booking = Booking.objects.create(
            lawyer=lawyer,
            detainee=detainee,
            centre=detainee.centre,
            date=now.date(),
            start=start,
            end=time(23, 59, 59),
            status="approved",
            submitted_at=timezone.now(),
        )
        assert datetime.combine(booking.date, booking.start, tzinfo=SHANGHAI) <= now
        return {"booking_id": booking.pk}

    return make


def _violation_at(world, lawyer, centre):
    from lvshi.visits.models import Booking, Violation
    from lvshi.visits.tests.factories import make_detainee

    detainee = make_detainee(centre)
    day = timezone.localdate() - timedelta(days=3)
    booking = Booking.objects.create(
        lawyer=lawyer,
        detainee=detainee,
        centre=centre,
        date=day,
        start="08:30",
        end="11:00",
        status="no_show",
        submitted_at=timezone.now(),
    )
    return Violation.objects.create(
        lawyer=lawyer, booking=booking, centre=centre, date=day, expires_on=day + timedelta(days=365)
    )


def _foreign_centre():
    """A detention centre under another authority."""
    from lvshi.orgs.models import OrgKind
    from tests.factories import OrganisationFactory

    authority = OrganisationFactory(name="北京市公安局监所管理总队", kind=OrgKind.DETENTION_AUTHORITY)
    return OrganisationFactory(name="北京市第一看守所", kind=OrgKind.DETENTION_CENTRE, parent=authority)


def _violation(lawyer_attr: str) -> Kwargs:
    return lambda world: {"violation_id": _violation_at(world, getattr(world, lawyer_attr), world.centre).pk}


def _appeal(foreign: bool) -> Kwargs:
    def make(world):
        from lvshi.visits.models import Appeal

        centre = _foreign_centre() if foreign else world.centre
        violation = _violation_at(world, world.lawyer, centre)
        return {"appeal_id": Appeal.objects.create(violation=violation, lawyer=world.lawyer, text="当日交通事故").pk}

    return make


def _lock(foreign: bool, lawyer_attr: str = "lawyer") -> Kwargs:
    def make(world):
        from lvshi.visits.models import BookingLock

        centre = _foreign_centre() if foreign else world.centre
        today = timezone.localdate()
        lock = BookingLock.objects.create(
            lawyer=getattr(world, lawyer_attr),
            centre=centre,
            starts_on=today,
            ends_on=today + timedelta(days=180),
            reason="累计违约3次",
        )
        return {"lock_id": lock.pk}

    return make


def persona(world, spec: str):
    """``"lawyer"`` → ``world.lawyer``; ``"org_admin@sh_bureau"`` → a new
    user holding that role in ``world.sh_bureau``."""
    if "@" not in spec:
        return getattr(world, spec)
    from conftest import PASSWORD
    from tests.factories import MembershipFactory, UserFactory

    role, org_attr = spec.split("@", 1)
    user = UserFactory(name=f"{role}测试", password=PASSWORD)
    MembershipFactory(user=user, organisation=getattr(world, org_attr), role=role)
    return user


# --- the tables ----------------------------------------------------------------

PAGES: dict[str, Access] = {
    # site
    "site:home": Access(PUBLIC),
    "site:landing": Access(PUBLIC),
    "site:healthz": Access(PUBLIC),
    "api_not_found": Access(PUBLIC),
    "set_language": Access(PUBLIC, method="post"),
    # accounts: sign-in and two-factor
    "accounts:login": Access(PUBLIC),
    "accounts:logout": Access(PUBLIC, method="post"),
    "accounts:otp_verify": Access(LOGIN),
    "accounts:otp_resend": Access(LOGIN, method="post"),
    "accounts:otp_setup": Access(LOGIN),
    "accounts:two_factor": Access(LOGIN),
    # accounts: registration, profile, passwords
    "accounts:register": Access(PUBLIC),
    "accounts:profile": Access(LOGIN),
    "accounts:profile_licence": Access(LOGIN, method="post"),
    "accounts:profile_mobile": Access(LOGIN),
    "accounts:profile_mobile_confirm": Access(LOGIN),
    "accounts:password_change": Access(LOGIN),
    "accounts:password_reset": Access(PUBLIC),
    "accounts:password_reset_confirm": Access(PUBLIC),
    # accounts: licence verification by the bureau
    "accounts:licence_queue": Access(LOGIN, denied=("lawyer", "officer")),
    "accounts:licence_approve": Access(
        LOGIN,
        method="post",
        persona="bureau_clerk",
        mine=_pending_lawyer("firm"),
        theirs=_pending_lawyer("other_firm"),
        denied=("lawyer", "officer", "other_bureau_clerk"),
    ),
    "accounts:licence_reject": Access(
        LOGIN,
        persona="bureau_clerk",
        mine=_pending_lawyer("firm"),
        theirs=_pending_lawyer("other_firm"),
        denied=("lawyer", "officer", "other_bureau_clerk"),
    ),
    # notify
    "notify:inbox": Access(LOGIN),
    "notify:mark_all_read": Access(LOGIN, method="post"),
    "notify:mark_read": Access(
        LOGIN, method="post", persona="lawyer", mine=_notification("lawyer"), theirs=_notification("other_lawyer")
    ),
    # orgs
    "orgs:list": Access(LOGIN, denied=("lawyer", "officer")),
    "orgs:create": Access(LOGIN, denied=("lawyer", "bureau_clerk", "org_admin@sh_bureau")),
    "orgs:detail": Access(
        LOGIN, persona="org_admin@sh_bureau", mine=_org("firm"), theirs=_org("other_firm"), denied=("lawyer",)
    ),
    "orgs:edit": Access(
        LOGIN, persona="org_admin@sh_bureau", mine=_org("firm"), theirs=_org("other_firm"), denied=("lawyer",)
    ),
    "orgs:create_child": Access(
        LOGIN, persona="org_admin@sh_bureau", mine=_org("sh_bureau"), theirs=_org("sz_bureau"), denied=("lawyer",)
    ),
    "orgs:staff_create": Access(
        LOGIN, persona="org_admin@sh_bureau", mine=_org("firm"), theirs=_org("other_firm"), denied=("lawyer",)
    ),
    "orgs:member_edit": Access(
        LOGIN,
        persona="org_admin@sh_bureau",
        mine=_membership_of("lawyer"),
        theirs=_membership_of("other_lawyer"),
        denied=("lawyer",),
    ),
    "orgs:member_deactivate": Access(
        LOGIN,
        method="post",
        persona="org_admin@sh_bureau",
        mine=_membership_of("lawyer"),
        theirs=_membership_of("other_lawyer"),
        denied=("lawyer",),
    ),
    "orgs:member_activate": Access(
        LOGIN,
        method="post",
        persona="org_admin@sh_bureau",
        mine=_membership_of("lawyer"),
        theirs=_membership_of("other_lawyer"),
        denied=("lawyer",),
    ),
    "orgs:member_activation_link": Access(
        LOGIN,
        method="post",
        persona="org_admin@sh_bureau",
        mine=_membership_of("bureau_clerk"),
        theirs=_membership_of("other_bureau_clerk"),
        denied=("lawyer",),
    ),
    "orgs:activate": Access(PUBLIC),  # the one-time link is the permission
    # audit
    "audit:events": Access(LOGIN, denied=("lawyer", "officer", "bureau_clerk")),
    "audit:export": Access(LOGIN, denied=("lawyer", "officer", "bureau_clerk")),
    "audit:event_detail": Access(
        LOGIN, persona="auditor", mine=_audit_event("firm"), theirs=_audit_event("other_firm"), denied=("lawyer",)
    ),
    # calendar
    "calendar:month": Access(LOGIN),
    "calendar:closures": Access(LOGIN, denied=("lawyer", "bureau_clerk")),
    "calendar:closure_delete": Access(
        LOGIN,
        method="post",
        persona="officer",
        mine=_closure("officer", "centre"),
        theirs=_closure("other_officer", "other_centre"),
        denied=("lawyer", "other_officer"),
    ),
    # visits: the lawyer's booking pages and the officers' review
    "visits:book": Access(LOGIN, denied=("officer", "judge", "bureau_clerk")),
    "visits:my_bookings": Access(LOGIN, denied=("officer", "judge", "bureau_clerk")),
    "visits:cancel": Access(
        LOGIN,
        method="post",
        persona="lawyer",
        mine=_booking("lawyer", "centre"),
        theirs=_booking("other_lawyer", "centre"),
        denied=("officer",),
    ),
    "visits:review_queue": Access(LOGIN, denied=("lawyer", "judge", "bureau_clerk")),
    "visits:approve": Access(
        LOGIN,
        method="post",
        persona="officer",
        mine=_booking("lawyer", "centre"),
        theirs=_booking("lawyer", "other_centre"),
        denied=("lawyer", "other_officer", "judge"),
    ),
    "visits:reject": Access(
        LOGIN,
        persona="officer",
        mine=_booking("lawyer", "centre"),
        theirs=_booking("lawyer", "other_centre"),
        denied=("lawyer", "other_officer", "judge"),
    ),
    # the API's own pages
    "api:openapi-json": Access(PUBLIC),
    "api:openapi-view": Access(PUBLIC),
    "api:api-root": Access(PUBLIC),
}

# "METHOD /api/v1/path/{param}" as the OpenAPI schema spells it.
API: dict[str, Access] = {
    # accounts: sign-in and tokens
    "GET /api/v1/auth/captcha": Access(PUBLIC),
    "POST /api/v1/auth/login": Access(PUBLIC),
    "POST /api/v1/auth/logout": Access(API_TOKEN),
    "GET /api/v1/me": Access(API_TOKEN),
    # site
    "GET /api/v1/home": Access(API_TOKEN),
    # accounts: registration, profile, passwords
    "GET /api/v1/accounts/firms": Access(PUBLIC),
    "POST /api/v1/accounts/register": Access(PUBLIC),
    "GET /api/v1/accounts/profile": Access(API_TOKEN),
    "PATCH /api/v1/accounts/profile": Access(API_TOKEN),
    "POST /api/v1/accounts/profile/mobile/confirm": Access(API_TOKEN),
    "POST /api/v1/accounts/password": Access(API_TOKEN),
    "POST /api/v1/accounts/password/reset": Access(PUBLIC),
    "POST /api/v1/accounts/password/reset/confirm": Access(PUBLIC),
    # accounts: licence verification by the bureau
    "GET /api/v1/accounts/licences": Access(API_TOKEN, denied=("lawyer", "officer")),
    "POST /api/v1/accounts/licences/{user_id}/approve": Access(
        API_TOKEN,
        persona="bureau_clerk",
        mine=_pending_lawyer("firm"),
        theirs=_pending_lawyer("other_firm"),
        denied=("lawyer", "officer", "other_bureau_clerk"),
    ),
    "POST /api/v1/accounts/licences/{user_id}/reject": Access(
        API_TOKEN,
        persona="bureau_clerk",
        mine=_pending_lawyer("firm"),
        theirs=_pending_lawyer("other_firm"),
        body=lambda world: {"reason": "执业证号与名册不符，请核对后重新提交。"},
        denied=("lawyer", "officer", "other_bureau_clerk"),
    ),
    # notify
    "GET /api/v1/notifications": Access(API_TOKEN),
    "POST /api/v1/notifications/read-all": Access(API_TOKEN),
    "POST /api/v1/notifications/{notification_id}/read": Access(
        API_TOKEN,
        persona="lawyer",
        mine=lambda world: {"notification_id": _notification("lawyer")(world)["pk"]},
        theirs=lambda world: {"notification_id": _notification("other_lawyer")(world)["pk"]},
    ),
    # visits
    "GET /api/v1/visits/centres": Access(PUBLIC),
    "GET /api/v1/visits/centres/{centre_id}/availability": Access(PUBLIC),
    "GET /api/v1/visits/bindings": Access(API_TOKEN),
    "GET /api/v1/visits/bookings": Access(API_TOKEN),
    "POST /api/v1/visits/bookings": Access(
        API_TOKEN,
        body=lambda world: {"detainee_id": 999999, "date": "2030-01-07", "slot": "08:30"},
        denied=("officer", "judge", "bureau_clerk"),
    ),
    "POST /api/v1/visits/bookings/{booking_id}/cancel": Access(
        API_TOKEN, persona="lawyer", mine=_booking("lawyer", "centre"), theirs=_booking("other_lawyer", "centre")
    ),
    "GET /api/v1/visits/bookings/{booking_id}/history": Access(
        API_TOKEN,
        persona="lawyer",
        mine=_booking("lawyer", "centre"),
        theirs=_booking("other_lawyer", "centre"),
        denied=("other_lawyer", "other_officer", "judge"),
    ),
    "POST /api/v1/visits/bookings/{booking_id}/approve": Access(
        API_TOKEN,
        persona="officer",
        mine=_booking("lawyer", "centre"),
        theirs=_booking("lawyer", "other_centre"),
        denied=("lawyer", "other_officer", "judge"),
    ),
    "POST /api/v1/visits/bookings/{booking_id}/reject": Access(
        API_TOKEN,
        persona="officer",
        mine=_booking("lawyer", "centre"),
        theirs=_booking("lawyer", "other_centre"),
        body=lambda world: {"reason": "当日提审安排冲突"},
        denied=("lawyer", "other_officer", "judge"),
    ),
    "POST /api/v1/visits/bookings/{booking_id}/check-in": Access(
        API_TOKEN,
        persona="officer",
        mine=_approved_now("lawyer", "centre"),
        theirs=_approved_now("lawyer", "other_centre"),
        body=lambda world: {"assistant_name": "张助理"},
        denied=("lawyer", "other_officer", "judge", "authority_officer"),
    ),
    "GET /api/v1/visits/violations": Access(API_TOKEN),
    "POST /api/v1/visits/violations/{violation_id}/appeal": Access(
        API_TOKEN,
        persona="lawyer",
        mine=_violation("lawyer"),
        theirs=_violation("other_lawyer"),
        body=lambda world: {"text": "当日突发疾病，附医院证明"},
        denied=("officer", "authority_officer"),
    ),
    "POST /api/v1/visits/appeals/{appeal_id}/decide": Access(
        API_TOKEN,
        persona="authority_officer",
        mine=_appeal(foreign=False),
        theirs=_appeal(foreign=True),
        body=lambda world: {"uphold": False, "note": "未提供证明材料"},
        denied=("lawyer", "officer", "judge"),
    ),
    "POST /api/v1/visits/locks/{lock_id}/lift": Access(
        API_TOKEN,
        persona="authority_officer",
        mine=_lock(foreign=False),
        theirs=_lock(foreign=True),
        body=lambda world: {"reason": "申诉材料核实无误"},
        denied=("lawyer", "officer", "judge"),
    ),
    # Histories: the lawyer's own (the objects above are world.lawyer's), or
    # one in the authority officer's scope.
    "GET /api/v1/visits/appeals/{appeal_id}/history": Access(
        API_TOKEN,
        persona="authority_officer",
        mine=_appeal(foreign=False),
        theirs=_appeal(foreign=True),
        denied=("other_lawyer", "officer", "judge"),
    ),
    "GET /api/v1/visits/locks/{lock_id}/history": Access(
        API_TOKEN,
        persona="authority_officer",
        mine=_lock(foreign=False),
        theirs=_lock(foreign=True, lawyer_attr="other_lawyer"),
        denied=("other_lawyer", "officer", "judge"),
    ),
}


def _area_tables() -> list:
    """The modules ``lvshi/<app>/tests/access_*.py``."""
    root = Path(__file__).resolve().parent.parent
    names = sorted(
        ".".join(path.relative_to(root).with_suffix("").parts) for path in root.glob("lvshi/*/tests/access_*.py")
    )
    return [importlib.import_module(name) for name in names]


for _module in _area_tables():
    for _ours, _theirs in ((PAGES, getattr(_module, "PAGES", {})), (API, getattr(_module, "API", {}))):
        _twice = set(_ours) & set(_theirs)
        assert not _twice, f"{_module.__name__} declares again: {sorted(_twice)}"
        _ours.update(_theirs)


# --- walking the URLconf -----------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None
    route: str
    pattern: URLPattern
    namespace: str | None


def _walk(patterns, prefix: str = "", namespace: str | None = None) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Route(name, prefix + str(entry.pattern), entry, namespace)


def swept_routes() -> list[Route]:
    routes = []
    for route in _walk(get_resolver().url_patterns):
        top = route.namespace.split(":", 1)[0] if route.namespace else None
        if top in SKIPPED_NAMESPACES or route.name in SKIPPED_NAMES:
            continue
        if route.route.startswith(settings.STATIC_URL.lstrip("/")):
            continue
        if top == API_NAMESPACE and route.name not in API_OWN_ROUTES:
            continue
        routes.append(route)
    return routes


def api_operations() -> dict[str, dict]:
    """``"METHOD /path"`` → the OpenAPI operation object."""
    from lvshi.api import api

    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}": operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


# Arguments that any converter accepts, tried in turn when reversing with no real object.
_PLACEHOLDERS = ("999999", str(uuid.UUID(int=999999)), "x")


def placeholder_url(name: str) -> str:
    route = next(r for r in swept_routes() if r.name == name)
    params = list(route.pattern.pattern.regex.groupindex)
    if not params:
        return reverse(name)
    for value in _PLACEHOLDERS:
        try:
            return reverse(name, kwargs=dict.fromkeys(params, value))
        except NoReverseMatch:
            continue
    raise AssertionError(f"{name}: no placeholder fits its URL arguments {params}")


def api_url(key: str, path_args: dict | None = None) -> tuple[str, str]:
    method, path = key.split(" ", 1)
    operation = api_operations()[key]
    args = dict(path_args or {})
    for param in operation.get("parameters", []):
        if param["in"] == "path" and param["name"] not in args:
            is_uuid = param.get("schema", {}).get("format") == "uuid"
            args[param["name"]] = str(uuid.UUID(int=999999)) if is_uuid else "999999"
    for arg, value in args.items():
        path = path.replace("{" + arg + "}", str(value))
    return method.lower(), path


def bearer_for(user) -> dict:
    from lvshi.accounts.signin import token_issue
    from lvshi.core.actor import Actor

    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(actor=Actor(user)).token}"}


def _assert_error_json(response, what: str) -> None:
    assert response["Content-Type"].startswith("application/json"), f"{what}: answered {response['Content-Type']}"
    payload = json.loads(response.content)
    assert {"code", "message"} <= payload.keys(), f"{what}: error body {payload} lacks code/message"


# --- every URL is listed -------------------------------------------------------------


def test_every_page_route_has_an_access_rule():
    routes = swept_routes()
    unnamed = [r.route for r in routes if not r.name]
    assert not unnamed, f"URL patterns without a name (give each one a name and an entry in PAGES): {unnamed}"
    missing = sorted({r.name for r in routes} - PAGES.keys())
    assert not missing, (
        "These URLs have no access rule: add each to PAGES in tests/test_access.py "
        "(PUBLIC / LOGIN, and for an object URL a persona and an object of another scope):\n  "
        + "\n  ".join(f"{n}  ({next(r.route for r in routes if r.name == n)})" for n in missing)
    )
    stale = sorted(PAGES.keys() - {r.name for r in routes})
    assert not stale, f"PAGES lists URLs that no longer exist; remove them: {stale}"


def test_every_api_operation_has_an_access_rule():
    operations = api_operations()
    missing = sorted(operations.keys() - API.keys())
    assert not missing, (
        "These API operations have no access rule: add each to API in tests/test_access.py:\n  " + "\n  ".join(missing)
    )
    stale = sorted(API.keys() - operations.keys())
    assert not stale, f"API lists operations that no longer exist; remove them: {stale}"


# Framework routes that are not the project's views: the API's own documents
# and its JSON answer for an unknown path under /api/.
UNDECLARED_OK = {"api:openapi-json", "api:openapi-view", "api:api-root", "api_not_found", "set_language"}


def undeclared_views(routes: list[Route]) -> list[str]:
    """Page routes whose view declares no permission (``permissions.page``)."""
    return sorted(
        r.name or r.route
        for r in routes
        if r.name not in UNDECLARED_OK and not getattr(r.pattern.callback, "permission", None)
    )


def undeclared_operations(api) -> list[str]:
    """API operations whose handler declares no permission (``permissions.operation``)."""
    missing = []
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                if not getattr(operation.view_func, "permission", None):
                    missing.append(f"{'/'.join(operation.methods)} {path} ({operation.view_func.__name__})")
    return sorted(missing)


def test_every_view_declares_its_permission():
    missing = undeclared_views(swept_routes())
    assert not missing, (
        "These views declare no permission: decorate each with permissions.page(<rule>) "
        "(lvshi/orgs/permissions.py; PUBLIC or SIGNED_IN if no role rule applies):\n  " + "\n  ".join(missing)
    )


def test_every_api_operation_declares_its_permission():
    from lvshi.api import api

    missing = undeclared_operations(api)
    assert not missing, (
        "These API operations declare no permission: decorate each with permissions.operation(<rule>) "
        "below the router's decorator:\n  " + "\n  ".join(missing)
    )


def test_an_undeclared_view_or_operation_is_caught():
    from django.urls import path
    from ninja import NinjaAPI, Router

    from lvshi.orgs import permissions

    def bare(request):
        return None

    @permissions.page(permissions.SIGNED_IN)
    def declared(request):
        return None

    routes = [Route("t:bare", "bare/", path("bare/", bare), "t"), Route("t:ok", "ok/", path("ok/", declared), "t")]
    assert undeclared_views(routes) == ["t:bare"]

    api = NinjaAPI(urls_namespace="sweep_test")
    router = Router()

    @router.get("/bare")
    def bare_op(request):
        return {}

    @router.get("/ok")
    @permissions.operation(permissions.SIGNED_IN)
    def ok_op(request):
        return {}

    api.add_router("/t", router)
    assert undeclared_operations(api) == ["GET /bare (bare_op)"]


def test_a_declared_operation_refuses_without_the_permission(world, client):
    from lvshi.orgs import permissions

    assert permissions.allowed(world.lawyer, "visits.book")
    assert not permissions.allowed(world.officer, "visits.book")
    response = client.get("/api/v1/visits/assistants", **bearer_for(world.officer))
    assert response.status_code == 403
    assert json.loads(response.content)["message"] == permissions.denied_message("visits.book")


def test_api_rules_match_the_declared_authentication():
    for key, operation in api_operations().items():
        if key in API:
            declared_public = not operation.get("security")
            assert declared_public == (API[key].rule == PUBLIC), (
                f"{key}: the table says {API[key].rule}, the OpenAPI schema says "
                f"{'no authentication' if declared_public else 'authentication'}"
            )


def test_the_sweep_sees_the_whole_project():
    names = {r.name for r in swept_routes()}
    assert {"site:home", "site:healthz"} <= names
    assert not any(n and n.startswith("admin:") for n in names)


# --- the rules hold ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_anonymous_access(client, db, name):
    access = PAGES[name]
    url = placeholder_url(name)
    response = getattr(client, access.method)(url)
    login_url = reverse(settings.LOGIN_URL)
    if access.rule == LOGIN:
        assert response.status_code == 302, f"{name}: anonymous {access.method.upper()} {url} → {response.status_code}"
        assert response["Location"].startswith(f"{login_url}?next="), f"{name}: redirected to {response['Location']}"
    else:
        assert access.rule == PUBLIC, f"{name}: pages are PUBLIC or LOGIN"
        assert response.status_code < 500, f"{name}: {response.status_code}"
        assert response.status_code not in (401, 403), f"{name}: a public page refused an anonymous visitor"
        if response.status_code in (301, 302):
            asks_login = response["Location"].startswith(f"{login_url}?next=")
            assert not asks_login, f"{name}: a public page asked for a login"


@pytest.mark.parametrize("key", sorted(API))
def test_api_anonymous_access(client, db, key):
    access = API[key]
    method, path = api_url(key)
    response = getattr(client, method)(path, content_type="application/json")
    if access.rule == API_TOKEN:
        assert response.status_code == 401, f"{key}: anonymous → {response.status_code}"
        _assert_error_json(response, key)
    else:
        assert access.rule == PUBLIC, f"{key}: API operations are PUBLIC or API_TOKEN"
        assert response.status_code != 401 and response.status_code < 500, f"{key}: {response.status_code}"
        if response.status_code >= 400:
            _assert_error_json(response, key)


def _object_cases(table):
    return sorted(k for k, a in table.items() if a.persona)


def _denied_cases(table):
    return sorted((k, p) for k, a in table.items() for p in a.denied)


def _page_request(client, world, name: str, kwargs: dict | None):
    access = PAGES[name]
    url = reverse(name, kwargs=kwargs) if kwargs is not None else placeholder_url(name)
    data = access.body(world) if access.body else {}
    return url, getattr(client, access.method)(url, data)


def _api_request(client, world, key: str, path_args: dict | None, user):
    access = API[key]
    method, path = api_url(key, path_args)
    body = access.body(world) if access.body else {}
    if any(hasattr(v, "read") for v in body.values()):  # an upload: multipart
        return path, getattr(client, method)(path, body, **bearer_for(user))
    response = getattr(client, method)(path, body, content_type="application/json", **bearer_for(user))
    return path, response


@pytest.mark.parametrize("name", _object_cases(PAGES))
def test_page_object_in_scope_opens_and_of_another_scope_is_not_found(world, login, name):
    access = PAGES[name]
    client = login(persona(world, access.persona))
    url, response = _page_request(client, world, name, access.mine(world))
    assert response.status_code < 400, f"{name}: {access.persona} could not open {url} → {response.status_code}"
    url, response = _page_request(client, world, name, access.theirs(world))
    assert response.status_code == 404, f"{name}: {access.persona} reached {url} → {response.status_code}"


@pytest.mark.parametrize("key", _object_cases(API))
def test_api_object_in_scope_opens_and_of_another_scope_is_not_found(client, world, key):
    access = API[key]
    user = persona(world, access.persona)
    path, response = _api_request(client, world, key, access.mine(world), user)
    assert response.status_code < 400, f"{key}: {access.persona} could not open {path} → {response.status_code}"
    path, response = _api_request(client, world, key, access.theirs(world), user)
    assert response.status_code == 404, f"{key}: {access.persona} reached {path} → {response.status_code}"
    _assert_error_json(response, key)


@pytest.mark.parametrize(("name", "who"), _denied_cases(PAGES))
def test_page_refuses_the_wrong_role(world, login, name, who):
    access = PAGES[name]
    assert access.mine or not _page_has_params(name), f"{name}: give it `mine`, or the 404 proves nothing"
    client = login(persona(world, who))
    url, response = _page_request(client, world, name, access.mine(world) if access.mine else None)
    assert response.status_code in (403, 404), f"{name}: {who} opened {url} → {response.status_code}"


@pytest.mark.parametrize(("key", "who"), _denied_cases(API))
def test_api_refuses_the_wrong_role(client, world, key, who):
    access = API[key]
    assert access.mine or "{" not in key, f"{key}: give it `mine`, or the 404 proves nothing"
    mine = access.mine(world) if access.mine else None
    path, response = _api_request(client, world, key, mine, persona(world, who))
    assert response.status_code in (403, 404), f"{key}: {who} opened {path} → {response.status_code}"
    _assert_error_json(response, key)


# Every kind of signed-in user, to open every page and API list that needs no object.
EVERYONE = ("lawyer", "officer", "authority_officer", "judge", "clerk", "bureau_clerk", "auditor", "admin")


def _plain_get_routes(table, has_params):
    return sorted(k for k, a in table.items() if a.method == "get" and a.rule != PUBLIC and not has_params(k))


def _page_has_params(name: str) -> bool:
    return any(r.pattern.pattern.regex.groupindex for r in swept_routes() if r.name == name)


def _api_has_params(key: str) -> bool:
    return "{" in key or not key.startswith("GET ")


@pytest.mark.parametrize("name", _plain_get_routes(PAGES, _page_has_params))
def test_page_answers_every_persona_without_a_server_error(world, login, name):
    for who in EVERYONE:
        response = login(getattr(world, who)).get(reverse(name))
        assert response.status_code < 500, f"{name}: {who} → {response.status_code}"


@pytest.mark.parametrize("key", _plain_get_routes(API, _api_has_params))
def test_api_answers_every_persona_without_a_server_error(client, world, key):
    _, path = api_url(key)
    for who in EVERYONE:
        response = client.get(path, **bearer_for(getattr(world, who)))
        assert response.status_code < 500, f"{key}: {who} → {response.status_code}"
        if response.status_code >= 400:
            _assert_error_json(response, key)
