"""Every notification court services send. Registered from ``CourtsConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lvshi.notify.kinds import Kind

KINDS = (
    Kind(
        key="filing_accepted",
        title=gettext_lazy("网上立案已受理"),
        inbox=gettext_lazy(
            "您提交的{{ court }}“{{ cause }}”立案已受理，案号{{ number }}。请凭缴费码{{ code }}在7日内交纳诉讼费"
            "{{ amount }}元，逾期未交按撤诉处理。受理通知书（含案件查询码和密码）可在“我的案件”中下载。"
        ),
        sms=gettext_lazy(
            "您提交的“{{ cause }}”已立案，案号{{ number }}，请凭缴费码{{ code }}在7日内交纳诉讼费{{ amount }}元。"
        ),
        needs=("court", "cause", "number", "code", "amount"),
    ),
    Kind(
        key="filing_returned",
        title=gettext_lazy("网上立案被退回"),
        inbox=gettext_lazy(
            "您提交的{{ court }}“{{ cause }}”立案被退回（{{ code }}）：{{ reason }}。"
            "请在“网上立案”中按要求补正后重新提交。"
        ),
        sms=gettext_lazy("您提交的“{{ cause }}”立案被退回（{{ code }}），请登录平台补正后重新提交。"),
        needs=("cause", "code", "reason"),
    ),
    Kind(
        key="fee_paid",
        title=gettext_lazy("诉讼费已缴纳"),
        inbox=gettext_lazy(
            "{{ number }}的诉讼费{{ amount }}元（缴费码{{ code }}）已缴纳成功，可在“诉讼费缴纳”中下载电子票据。"
        ),
        sms=gettext_lazy("{{ number }}的诉讼费{{ amount }}元已缴纳成功。"),
        needs=("number", "amount", "code"),
    ),
    Kind(
        key="hearing_scheduled",
        title=gettext_lazy("开庭通知"),
        inbox=gettext_lazy(
            "{{ number }}定于{{ when }}在{{ court }}{{ room }}开庭，请准时出庭。如时间冲突，可在“我的庭审”中申请。"
        ),
        sms=gettext_lazy("{{ number }}定于{{ when }}在{{ court }}{{ room }}开庭，请准时出庭。"),
        needs=("number", "when", "court", "room"),
    ),
    Kind(
        key="hearing_rescheduled",
        title=gettext_lazy("开庭时间变更"),
        inbox=gettext_lazy("{{ number }}的开庭时间改为{{ when }}，地点{{ court }}{{ room }}。"),
        sms=gettext_lazy("{{ number }}的开庭时间改为{{ when }}，地点{{ court }}{{ room }}。"),
        needs=("number", "when", "court", "room"),
    ),
    Kind(
        key="hearing_request_decided",
        title=gettext_lazy("庭审冲突申请已处理"),
        inbox=gettext_lazy("您就{{ number }}提出的{{ kind }}，法官决定{{ outcome }}。说明：{{ answer }}"),
        sms=gettext_lazy("您就{{ number }}提出的{{ kind }}，法官决定{{ outcome }}，请登录平台查看。"),
        needs=("number", "kind", "outcome"),
    ),
    Kind(
        key="document_served",
        title=gettext_lazy("电子送达"),
        inbox=gettext_lazy(
            "{{ court }}向您电子送达{{ number }}的《{{ title }}》。请在“电子送达”中获取短信密钥签收后下载，"
            "签收时间即为送达时间。"
        ),
        sms=gettext_lazy("{{ court }}向您送达{{ number }}的《{{ title }}》，请登录平台签收。"),
        needs=("court", "number", "title"),
    ),
    Kind(
        key="document_key",
        title=gettext_lazy("签收密钥"),
        inbox=gettext_lazy("签收密钥{{ code }}，用于签收《{{ title }}》，{{ minutes }}分钟内有效。请勿告诉他人。"),
        needs=("code", "title", "minutes"),
        sensitive=True,
    ),
    Kind(
        key="material_returned",
        title=gettext_lazy("诉讼材料被退回"),
        inbox=gettext_lazy("您为{{ number }}提交的材料“{{ title }}”被退回：{{ reason }}。请修改后重新提交。"),
        sms=gettext_lazy("您为{{ number }}提交的材料“{{ title }}”被退回，请登录平台查看原因。"),
        needs=("number", "title", "reason"),
    ),
    Kind(
        key="exchange_sent",
        title=gettext_lazy("证据交换"),
        inbox=gettext_lazy(
            "{{ number }}的法官发来证据交换“{{ title }}”，请在{{ deadline }}前对每份证据发表质证意见并提交。"
        ),
        sms=gettext_lazy("{{ number }}的证据交换“{{ title }}”请在{{ deadline }}前提交质证意见。"),
        needs=("number", "title", "deadline"),
    ),
    Kind(
        key="message_new",
        title=gettext_lazy("律师留言"),
        inbox=gettext_lazy("{{ lawyer }}就{{ number }}留言：“{{ title }}”，请在“律师留言”中回复。"),
        needs=("lawyer", "number", "title"),
    ),
    Kind(
        key="message_reply",
        title=gettext_lazy("法官回复"),
        inbox=gettext_lazy("{{ number }}的法官回复了您的留言“{{ title }}”。"),
        sms=gettext_lazy("{{ number }}的法官回复了您的留言，请登录平台查看。"),
        needs=("number", "title"),
    ),
    Kind(
        key="review_decided",
        title=gettext_lazy("阅卷申请已处理"),
        inbox=gettext_lazy("您对{{ number }}的阅卷申请{{ outcome }}。{{ detail }}"),
        sms=gettext_lazy("您对{{ number }}的阅卷申请{{ outcome }}，请登录平台查看。"),
        needs=("number", "outcome"),
    ),
)
