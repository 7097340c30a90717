"""The permissions of meetings, each declared once (``permissions.declare``):
who has it in the organisation tree, and what a refused user reads. Without
an object a rule answers "may this user use these pages at all?"; with one
(a booking, a binding) "this one?"."""

import rules
from django.utils.translation import gettext_lazy as _

from lvshi.orgs.models import Role
from lvshi.orgs.permissions import declare

OFFICER, AUTHORITY, LAWYER = (Role.OFFICER,), (Role.AUTHORITY_OFFICER,), (Role.LAWYER,)

# --- the lawyer's side ----------------------------------------------------------------

declare("visits.book", roles=LAWYER, denied=_("只有执业律师可以预约会见。"))
declare("visits.bind", roles=LAWYER, denied=_("只有执业律师可以办理委托。"))
declare("visits.view_own_violations", roles=LAWYER, denied=_("只有执业律师可以查看违约记录。"))
declare("visits.view_meeting_requests", roles=LAWYER, denied=_("只有执业律师可以查看会见要求。"))
declare("visits.read_notices", roles=LAWYER)


@rules.predicate
def binding_lawyer(user, binding) -> bool:
    return binding is not None and binding.lawyer_id == user.pk


@rules.predicate
def booking_lawyer(user, booking) -> bool:
    return booking is not None and booking.lawyer_id == user.pk


@rules.predicate
def entry_lawyer(user, entry) -> bool:
    return entry is not None and entry.lawyer_id == user.pk


# The lawyer's own binding: resubmit, withdraw. An active binding ends by the
# lawyer or is ended by an officer of the centre.
declare("visits.own_binding", also=binding_lawyer)
declare("visits.end_binding", roles=OFFICER, platform_admin=True, also=binding_lawyer)
# The lawyer's own booking: cancel it. Bookings ahead are also cancelled when
# the binding ends (by the lawyer, or an officer recording a revocation) or
# the detainee leaves (an officer of the centre).
declare("visits.own_booking", also=booking_lawyer)
declare("visits.cancel_booking", roles=OFFICER, platform_admin=True, also=booking_lawyer)
# The lawyer's own waitlist entry: book the room held for it, or leave.
declare("visits.own_waitlist_entry", also=entry_lawyer)

# --- the centre's side ----------------------------------------------------------------

# Officers review bookings and bindings of their own centre (and of video
# points below it), register arrivals, keep detainee records and the day's
# board, and record meeting requests.
declare("visits.review_booking", roles=OFFICER, platform_admin=True, denied=_("只有看守所民警可以审核会见预约。"))
declare("visits.review_binding", roles=OFFICER, platform_admin=True, denied=_("只有看守所民警可以审核委托。"))
declare("visits.check_in", roles=OFFICER, denied=_("只有本看守所的民警可以办理会见登记。"))
declare("visits.manage_detainees", roles=OFFICER, denied=_("只有看守所民警可以查看和登记在押人员。"))
declare("visits.view_board", roles=OFFICER, denied=_("只有看守所民警可以查看今日会见。"))
declare("visits.record_meeting_request", roles=OFFICER, denied=_("只有该在押人员所在看守所的民警可以登记会见要求。"))
# A centre's booking settings, rooms and extra sessions: its officers and
# organisation administrators, and authority officers above it.
declare(
    "visits.manage_centre",
    roles=(Role.OFFICER, Role.ORG_ADMIN, Role.AUTHORITY_OFFICER),
    platform_admin=True,
    denied=_("只有看守所民警、机构管理员和监所管理民警可以设置会见室和时段。"),
)
# The centre's own pages (its settings, from the officer's menu).
declare("visits.work_at_centre", roles=OFFICER)
# Officers of a centre and authority officers above it keep the
# complaints-line log: officers log calls, authority officers answer them.
declare(
    "visits.handle_complaint",
    roles=(Role.OFFICER, Role.AUTHORITY_OFFICER),
    denied=_("只有监所民警可以登记和处理投诉。"),
)

declare("visits.log_complaints", roles=OFFICER)
declare("visits.answer_complaints", roles=AUTHORITY)
# Meeting records: lawyers their own, officers their centre's, authority
# officers those below them, platform administrators all.
declare(
    "visits.view_records",
    roles=(Role.LAWYER, Role.OFFICER, Role.AUTHORITY_OFFICER),
    platform_admin=True,
    denied=_("只有律师、看守所民警和监所管理民警可以查看会见记录。"),
)

# --- the authority's side -------------------------------------------------------------

declare("visits.oversee_centres", roles=AUTHORITY, denied=_("只有监所管理民警可以查看所辖机构。"))

# Authority officers (at or above the centre) decide appeals against
# violations, lift lock-outs and read the statistics; platform
# administrators read the appeal and lock lists and the statistics too.
declare(
    "visits.view_appeals",
    roles=AUTHORITY,
    platform_admin=True,
    denied=_("只有监所管理民警可以处理违约申诉和预约锁定。"),
)
declare("visits.decide_appeal", roles=AUTHORITY, denied=_("只有监所管理民警可以处理违约申诉。"))
declare("visits.lift_lock", roles=AUTHORITY, denied=_("只有监所管理民警可以解除预约锁定。"))
declare(
    "visits.view_statistics",
    roles=AUTHORITY,
    platform_admin=True,
    denied=_("只有监所管理部门的工作人员可以查看会见统计。"),
)
declare("visits.publish_notice", roles=AUTHORITY, denied=_("只有监所管理民警可以发布通知公告。"))
