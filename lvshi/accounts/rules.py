"""Object permissions for accounts."""

import rules

from lvshi.orgs import scope
from lvshi.orgs.models import Membership, Role


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
rules.add_perm("accounts.verify_licence", scope.platform_admin | bureau_clerk_of_lawyers_firm)
