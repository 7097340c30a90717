"""Every notification lawyer administration sends, and whom: the people of
a body or firm who work the matter (inbox only: it is office work).
Registered from ``BureauConfig.ready()``."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy

from lvshi.notify.kinds import Kind
from lvshi.notify.services import notify_users
from lvshi.orgs.models import Organisation, OrgKind, Role

_APP = ("number", "business")

KINDS = (
    Kind(
        key="application_submitted",
        title=gettext_lazy("收到业务申请"),
        inbox=gettext_lazy("{{ applicant }}提交了{{ business }}申请（{{ number }}），请在5个工作日内接收并审查。"),
        needs=(*_APP, "applicant"),
    ),
    Kind(
        key="application_forwarded",
        title=gettext_lazy("下级机关报送业务申请"),
        inbox=gettext_lazy("{{ applicant }}的{{ business }}申请（{{ number }}）已由下级机关审查报送，请接收并审核。"),
        needs=(*_APP, "applicant"),
    ),
    Kind(
        key="application_returned",
        title=gettext_lazy("业务申请被退回"),
        inbox=gettext_lazy("您的{{ business }}申请（{{ number }}）被退回：{{ text }}。请按要求修改后重新提交。"),
        needs=(*_APP, "text"),
    ),
    Kind(
        key="application_approved",
        title=gettext_lazy("业务申请已批准"),
        inbox=gettext_lazy("您的{{ business }}申请（{{ number }}）已批准：{{ text }}。名册已同步更新。"),
        needs=(*_APP, "text"),
    ),
    Kind(
        key="application_refused",
        title=gettext_lazy("业务申请不予批准"),
        inbox=gettext_lazy("您的{{ business }}申请（{{ number }}）不予批准：{{ text }}。"),
        needs=(*_APP, "text"),
    ),
)


def roles_for(org: Organisation) -> tuple[str, ...]:
    if org.kind == OrgKind.BAR_ASSOCIATION:
        return (Role.BAR_STAFF,)
    if org.kind == OrgKind.JUSTICE_BUREAU:
        return (Role.BUREAU_CLERK,)
    return (Role.FIRM_ADMIN,)


def tell_org(org: Organisation, kind: str, context: dict, *, url: str = "") -> int:
    """Tell the people who work *kind*'s matter at *org*."""
    people = (
        get_user_model()
        .objects.filter(
            memberships__organisation=org,
            memberships__role__in=roles_for(org),
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
    )
    return notify_users(people, kind=kind, context=context, channels=("inbox",), url=url)
