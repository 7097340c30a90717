"""Access rules of the meeting-request, notice and complaints-line URLs
(joined into the sweep by ``tests/test_access.py``)."""

from __future__ import annotations

from tests.access import API_TOKEN, LOGIN, PUBLIC, Access, Kwargs


def _recipient(lawyer_attr: str, key: str = "pk") -> Kwargs:
    """A meeting request addressed to ``world.<lawyer_attr>``."""

    def make(world):
        from django.utils import timezone

        from lvshi.visits.models import MeetingRequest, MeetingRequestRecipient
        from lvshi.visits.tests.factories import make_detainee

        detainee = make_detainee(world.centre)
        request = MeetingRequest.objects.create(
            detainee=detainee, centre=world.centre, recorded_by=world.officer, recorded_at=timezone.now()
        )
        recipient = MeetingRequestRecipient.objects.create(request=request, lawyer=getattr(world, lawyer_attr))
        return {key: recipient.pk}

    return make


def _complaint(centre_attr: str, status: str = "open", key: str = "pk", **extra) -> Kwargs:
    """A complaint about ``world.<centre_attr>`` in *status*."""

    def make(world):
        from django.utils import timezone

        from lvshi.visits.models import Complaint

        complaint = Complaint.objects.create(
            centre=getattr(world, centre_attr),
            received_at=timezone.now(),
            caller_name="张先生",
            caller_phone="13812345678",
            category="booking",
            content="预约后被临时取消",
            handling="已联系值班民警" if status != "open" else "",
            answer="已向来电人说明原因" if status in ("answered", "closed") else "",
            status=status,
            recorded_by=world.officer,
        )
        return {key: complaint.pk, **extra}

    return make


PAGES: dict[str, Access] = {
    "visits:meeting_requests": Access(LOGIN, denied=("officer", "judge", "bureau_clerk")),
    "visits:meeting_request_seen": Access(
        LOGIN,
        method="post",
        persona="lawyer",
        mine=_recipient("lawyer"),
        theirs=_recipient("other_lawyer"),
        denied=("officer",),
    ),
    "visits:meeting_request_record": Access(LOGIN, denied=("lawyer", "judge", "authority_officer")),
    "visits:notices": Access(PUBLIC),
    "visits:notice_detail": Access(PUBLIC),
    "visits:notice_manage": Access(LOGIN, denied=("lawyer", "officer", "judge")),
    "visits:notice_new": Access(LOGIN, denied=("lawyer", "officer", "judge")),
    "visits:complaints": Access(LOGIN, denied=("lawyer", "judge", "bureau_clerk")),
    "visits:complaint_new": Access(LOGIN, denied=("lawyer", "judge")),
    "visits:complaints_export": Access(LOGIN, denied=("lawyer", "judge")),
    "visits:complaint_detail": Access(
        LOGIN,
        persona="officer",
        mine=_complaint("centre"),
        theirs=_complaint("other_centre"),
        denied=("lawyer", "other_officer", "judge"),
    ),
    "visits:complaint_action": Access(
        LOGIN,
        method="post",
        persona="officer",
        mine=_complaint("centre", "answered", action="close"),
        theirs=_complaint("other_centre", "answered", action="close"),
        denied=("lawyer", "other_officer", "judge"),
    ),
}

_STAFF_ONLY = ("lawyer", "judge", "bureau_clerk")

API: dict[str, Access] = {
    "POST /api/v1/visits/meeting-requests": Access(
        API_TOKEN,
        body=lambda world: {"detainee_id": 999999, "note": ""},
        denied=("lawyer", "judge", "authority_officer"),
    ),
    "GET /api/v1/visits/meeting-requests": Access(API_TOKEN, denied=("judge", "bureau_clerk")),
    "POST /api/v1/visits/meeting-requests/{recipient_id}/seen": Access(
        API_TOKEN,
        persona="lawyer",
        mine=_recipient("lawyer", key="recipient_id"),
        theirs=_recipient("other_lawyer", key="recipient_id"),
        denied=("officer",),
    ),
    "GET /api/v1/visits/notices": Access(PUBLIC),
    "GET /api/v1/visits/notices/{notice_id}": Access(PUBLIC),
    "POST /api/v1/visits/notices": Access(
        API_TOKEN,
        body=lambda world: {"title": "春节期间会见安排", "body": "春节期间暂停会见。"},
        denied=("lawyer", "officer", "judge"),
    ),
    "GET /api/v1/visits/complaints": Access(API_TOKEN, denied=_STAFF_ONLY),
    "POST /api/v1/visits/complaints": Access(
        API_TOKEN,
        body=lambda world: {
            "centre_id": world.centre.pk,
            "caller_name": "张先生",
            "caller_phone": "13812345678",
            "category": "booking",
            "content": "预约后被临时取消",
        },
        denied=_STAFF_ONLY,
    ),
    "GET /api/v1/visits/complaints/{complaint_id}": Access(
        API_TOKEN,
        persona="officer",
        mine=_complaint("centre", key="complaint_id"),
        theirs=_complaint("other_centre", key="complaint_id"),
        denied=("lawyer", "other_officer"),
    ),
    "GET /api/v1/visits/complaints/{complaint_id}/history": Access(
        API_TOKEN,
        persona="officer",
        mine=_complaint("centre", key="complaint_id"),
        theirs=_complaint("other_centre", key="complaint_id"),
        denied=("lawyer", "other_officer"),
    ),
    "POST /api/v1/visits/complaints/{complaint_id}/handle": Access(
        API_TOKEN,
        persona="officer",
        mine=_complaint("centre", key="complaint_id"),
        theirs=_complaint("other_centre", key="complaint_id"),
        body=lambda world: {"text": "已联系值班民警核实"},
        denied=("lawyer", "other_officer"),
    ),
    "POST /api/v1/visits/complaints/{complaint_id}/answer": Access(
        API_TOKEN,
        persona="officer",
        mine=_complaint("centre", "handling", key="complaint_id"),
        theirs=_complaint("other_centre", "handling", key="complaint_id"),
        body=lambda world: {"text": "已向来电人说明原因"},
        denied=("lawyer", "other_officer"),
    ),
    "POST /api/v1/visits/complaints/{complaint_id}/close": Access(
        API_TOKEN,
        persona="officer",
        mine=_complaint("centre", "answered", key="complaint_id"),
        theirs=_complaint("other_centre", "answered", key="complaint_id"),
        denied=("lawyer", "other_officer"),
    ),
    "POST /api/v1/visits/complaints/{complaint_id}/reopen": Access(
        API_TOKEN,
        persona="officer",
        mine=_complaint("centre", "answered", key="complaint_id"),
        theirs=_complaint("other_centre", "answered", key="complaint_id"),
        body=lambda world: {"text": "来电人对答复不满意"},
        denied=("lawyer", "other_officer"),
    ),
}
