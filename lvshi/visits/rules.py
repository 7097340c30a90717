"""Object permissions for meetings."""

import rules

from lvshi.orgs.models import Role
from lvshi.orgs.scope import platform_admin, role_in_scope

officer = role_in_scope(Role.OFFICER)

# Officers review bookings of their own centre (and of video points below it).
rules.add_perm("visits.review_booking", platform_admin | officer)
