"""Object permissions for meetings."""

import rules

from lvshi.orgs.models import Role
from lvshi.orgs.scope import platform_admin, role_in_scope

officer = role_in_scope(Role.OFFICER)

# Officers review bookings of their own centre (and of video points below it).
rules.add_perm("visits.review_booking", platform_admin | officer)

# Officers of the centre register arrivals; authority officers (at or above
# the centre) decide appeals against violations and lift lock-outs.
authority_officer = role_in_scope(Role.AUTHORITY_OFFICER)
rules.add_perm("visits.check_in", officer)
rules.add_perm("visits.decide_appeal", authority_officer)
rules.add_perm("visits.lift_lock", authority_officer)

# Officers of the detainee's centre record meeting requests; officers of a
# centre and authority officers above it keep the complaints-line log.
rules.add_perm("visits.record_meeting_request", officer)
rules.add_perm("visits.handle_complaint", officer | authority_officer)

# A centre's booking settings, rooms and extra sessions: its officers and
# organisation administrators, and authority officers above it. Detainee
# records, cases and the day's board: officers of the centre only.
rules.add_perm("visits.manage_centre", platform_admin | officer | role_in_scope(Role.ORG_ADMIN) | authority_officer)
rules.add_perm("visits.manage_detainees", officer)
rules.add_perm("visits.view_board", officer)

# Officers of the detainee's centre review, verify and end bindings.
rules.add_perm("visits.review_binding", platform_admin | officer)


@rules.predicate
def binding_lawyer(user, binding) -> bool:
    return binding is not None and binding.lawyer_id == user.pk


# The lawyer's own binding: resubmit, withdraw. An active binding ends by the
# lawyer or is ended by an officer of the centre.
rules.add_perm("visits.own_binding", binding_lawyer)
rules.add_perm("visits.end_binding", binding_lawyer | platform_admin | officer)


@rules.predicate
def booking_lawyer(user, booking) -> bool:
    return booking is not None and booking.lawyer_id == user.pk


# The lawyer's own booking: cancel it. Bookings ahead are also cancelled when
# the binding ends (by the lawyer, or an officer recording a revocation) or
# the detainee leaves (an officer of the centre).
rules.add_perm("visits.own_booking", booking_lawyer)
rules.add_perm("visits.cancel_booking", booking_lawyer | platform_admin | officer)


@rules.predicate
def entry_lawyer(user, entry) -> bool:
    return entry is not None and entry.lawyer_id == user.pk


# The lawyer's own waitlist entry: book the room held for it, or leave.
rules.add_perm("visits.own_waitlist_entry", entry_lawyer)
