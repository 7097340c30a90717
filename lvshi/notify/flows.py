"""A delivery's status, declared once (docs/decisions/0004-workflows.md).

Only the delivery workers move it, so every transition is a periodic job's
(``SYSTEM``) and applied as one conditional UPDATE (``apply_many``): two
workers never both claim a delivery. A delivery keeps its own record
(attempts, the last error, when it was claimed and sent), so its steps write
no audit events — there would be one per SMS.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvshi.core.workflow import SYSTEM, Transition, Workflow

from .models import Delivery, DeliveryStatus

S = DeliveryStatus

DELIVERY: Workflow[Delivery] = Workflow(
    Delivery,
    transitions=[
        Transition("claim", sources=[S.PENDING, S.FAILED], target=S.SENDING, verb=_("开始发送"), permission=SYSTEM),
        Transition("send", sources=[S.SENDING], target=S.SENT, verb=_("发送成功"), permission=SYSTEM),
        Transition("fail", sources=[S.SENDING], target=S.FAILED, verb=_("发送失败"), permission=SYSTEM),
        # A worker died while sending: the delivery is queued again.
        Transition("abandon", sources=[S.SENDING], target=S.FAILED, verb=_("发送中断"), permission=SYSTEM),
    ],
)
