"""The signed-in user's home in the JSON API: who they are, where they work
and the lawyer's counters (V2), the same as the home page shows."""

from ninja import Router, Schema

from lvshi.accounts.models import LicenceStatus
from lvshi.notify.selectors import unread_count
from lvshi.orgs import permissions

from .home import home_context

router = Router(tags=["home"])


class CounterOut(Schema):
    key: str
    label: str
    count: int


class WorkplaceOut(Schema):
    org_id: int
    org_name: str
    role: str


class HomeOut(Schema):
    name: str
    is_lawyer: bool
    licence_status: LicenceStatus
    firms: list[str]
    counters: list[CounterOut]
    workplaces: list[WorkplaceOut]
    unread_notifications: int


@router.get("", response=HomeOut, url_name="home", summary="首页：姓名、所在机构、预约计数和未读消息数")
@permissions.operation(permissions.SIGNED_IN)
def home(request):
    user = request.auth
    context = home_context(user)
    return {
        "name": user.name,
        "is_lawyer": context["is_lawyer"],
        "licence_status": user.licence_status,
        "firms": context["lawyer_orgs"],
        "counters": [{"key": c["key"], "label": str(c["label"]), "count": c["count"]} for c in context["counters"]],
        "workplaces": [
            {"org_id": w["org_id"], "org_name": w["org_name"], "role": str(w["role"])} for w in context["workplaces"]
        ],
        "unread_notifications": unread_count(user),
    }
