"""Every notification the meetings module sends, one place for their texts.
Registered from ``VisitsConfig.ready()``; the modules that send them name
the key."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lvshi.notify.kinds import Kind

KINDS = (
    # bookings
    Kind(
        key="booking_approved",
        title=gettext_lazy("会见预约已通过"),
        inbox=gettext_lazy(
            "您预约的{{ centre }}会见（{{ detainee }}，{{ when }}）已审核通过，请按时到达并携带执业证。"
        ),
        sms=gettext_lazy("您预约的{{ centre }}会见（{{ when }}）已审核通过，请按时到达并携带执业证。"),
        needs=("centre", "when"),
    ),
    Kind(
        key="booking_rejected",
        title=gettext_lazy("会见预约未通过"),
        inbox=gettext_lazy(
            "您预约的{{ centre }}会见（{{ detainee }}，{{ when }}）未通过审核，原因：{{ reason }}。"
            "可在“我的预约”的“未通过”中查看，并重新选择时段预约。"
        ),
        sms=gettext_lazy("您预约的{{ centre }}会见（{{ when }}）未通过审核，原因：{{ reason }}。请登录平台查看。"),
        needs=("centre", "when", "reason"),
    ),
    # notices
    Kind(
        key="visit_notice",
        title=gettext_lazy("通知公告：{{ title }}"),
        inbox=gettext_lazy("{{ issuer }}发布通知《{{ title }}》，涉及您已预约会见的机构，请查看通知全文。"),
        sms=gettext_lazy("{{ issuer }}发布通知《{{ title }}》，涉及您已预约会见的机构，请登录平台查看“通知公告”。"),
        needs=("issuer", "title"),
    ),
    # complaints
    Kind(
        key="visit_complaint_answered",
        title=gettext_lazy("投诉答复"),
        inbox=gettext_lazy("您{{ date }}反映的{{ centre }}会见问题已答复：{{ answer }}"),
        needs=("date", "centre", "answer"),
    ),
    # detainees
    Kind(
        key="visit_detainee_left",
        title=gettext_lazy("在押人员{{ change }}"),
        inbox=gettext_lazy("{{ centre }}在押人员{{ detainee }}{{ change }}。{{ ended }}"),
        needs=("centre", "detainee", "change", "ended"),
    ),
    # waitlist
    Kind(
        key="visit_waitlist_offer",
        title=gettext_lazy("候补会见室已为您保留"),
        inbox=gettext_lazy(
            "您候补的{{ centre }}会见（{{ when }}，在押人员{{ detainee }}）有会见室空出，已为您保留至{{ deadline }}。"
            "请在此之前在“我的候补”中确认预约，逾期将顺延给下一位候补律师。"
        ),
        sms=gettext_lazy(
            "您候补的{{ centre }}会见（{{ when }}）有会见室空出，已为您保留至{{ deadline }}，请及时登录平台确认预约。"
        ),
        needs=("centre", "when", "detainee", "deadline"),
    ),
    # bindings
    Kind(
        key="binding_returned",
        title=gettext_lazy("委托材料被退回"),
        inbox=gettext_lazy(
            "您提交的{{ centre }}在押人员{{ detainee }}的委托材料被退回，原因：{{ reason }}。"
            "请在“我的委托”中按要求补正后重新提交。"
        ),
        sms=gettext_lazy("您提交的{{ centre }}{{ detainee }}的委托材料被退回，原因：{{ reason }}。请登录平台补正。"),
        needs=("centre", "detainee", "reason"),
    ),
    Kind(
        key="binding_passed",
        title=gettext_lazy("委托材料初审通过"),
        inbox=gettext_lazy(
            "您提交的{{ centre }}在押人员{{ detainee }}的委托材料已初审通过。"
            "请携带委托书、执业证和律师事务所函原件到看守所现场核验（只需一次），核验后即可预约会见。"
        ),
        sms=gettext_lazy("您的{{ centre }}{{ detainee }}委托材料已初审通过，请携带原件到看守所现场核验（只需一次）。"),
        needs=("centre", "detainee"),
    ),
    Kind(
        key="binding_activated",
        title=gettext_lazy("委托关系已生效"),
        inbox=gettext_lazy("您与{{ centre }}在押人员{{ detainee }}的委托关系已现场核验，现在可以预约会见。"),
        sms=gettext_lazy("您与{{ centre }}{{ detainee }}的委托关系已核验生效，现在可以登录平台预约会见。"),
        needs=("centre", "detainee"),
    ),
    Kind(
        key="binding_revoked",
        title=gettext_lazy("委托已被解除"),
        inbox=gettext_lazy("{{ centre }}已登记在押人员{{ detainee }}解除对您的委托（{{ note }}）。{{ cancelled }}"),
        sms=gettext_lazy("{{ centre }}已登记{{ detainee }}解除对您的委托。{{ cancelled }}"),
        needs=("centre", "detainee"),
    ),
    Kind(
        key="binding_bookings_cancelled",
        title=gettext_lazy("会见预约已取消"),
        inbox=gettext_lazy("您与{{ detainee }}的委托关系已终止，{{ centre }}以下会见预约已取消：{{ when }}。"),
        needs=("centre", "detainee", "when"),
    ),
    # meeting_requests
    Kind(
        key="visit_meeting_request",
        title=gettext_lazy("在押人员要求会见"),
        inbox=gettext_lazy("{{ centre }}在押人员{{ detainee }}要求会见，请尽快预约。{{ note }}"),
        sms=gettext_lazy("{{ centre }}在押人员{{ detainee }}要求会见，请尽快预约。"),
        needs=("centre", "detainee"),
    ),
    # checkin
    Kind(
        key="visit_no_show",
        title=gettext_lazy("会见未到，已记违约"),
        inbox=gettext_lazy(
            "您预约的{{ centre }}会见（{{ when }}）在开始后20分钟内未登记到场，已记违约一次（有效期至{{ expires }}）。"
            "如有异议，可在“违约记录”中提出申诉。"
        ),
        needs=("centre", "when", "expires"),
    ),
    Kind(
        key="visit_locked",
        title=gettext_lazy("网上预约已锁定"),
        inbox=gettext_lazy(
            "您累计违约{{ count }}次，网上预约会见已锁定，{{ ends }}起恢复。如有异议，可对违约记录提出申诉。"
        ),
        needs=("count", "ends"),
    ),
    Kind(
        key="visit_appeal_decided",
        title=gettext_lazy("违约申诉处理结果"),
        inbox=gettext_lazy("您对{{ date }}违约记录的申诉已处理：{{ result }}。{{ note }}"),
        needs=("date", "result"),
    ),
    Kind(
        key="visit_lock_lifted",
        title=gettext_lazy("网上预约已恢复"),
        inbox=gettext_lazy("您的网上预约锁定已解除，原因：{{ reason }}。现在可以重新预约会见。"),
        needs=("reason",),
    ),
)
