"""Object permissions for accounts."""

import rules
from django.utils.translation import gettext_lazy as _

from lvshi.orgs import scope
from lvshi.orgs.models import Membership, Role
from lvshi.orgs.permissions import declare


@rules.predicate
def bureau_clerk_of_lawyers_firm(user, lawyer=None) -> bool:
    """The user is a bureau clerk above the firm where *lawyer* practises.
    Without an object: the user is a bureau clerk somewhere."""
    if lawyer is None:
        return scope.has_role(user, Role.BUREAU_CLERK)
    if not scope.has_role(user, Role.BUREAU_CLERK):
        return False
    firm_paths = Membership.objects.filter(user=lawyer, role=Role.LAWYER, is_active=True).values_list(
        "organisation__path", flat=True
    )
    return any(scope.has_role_at(user, path, Role.BUREAU_CLERK) for path in firm_paths)


# Verify (approve or reject) a lawyer's licence.
declare(
    "accounts.verify_licence",
    platform_admin=True,
    also=bureau_clerk_of_lawyers_firm,
    denied=_("只有司法局工作人员才能核验执业证。"),
)
