"""Announcements and messages between bodies (A9): a board reaches the
bodies and firms below its body, with read receipts; bodies write to each
other within the province."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError

from .. import selectors
from ..models import AnnouncementRead, BodyMessage
from ..services import notices as svc


def test_an_announcement_reaches_the_bodies_and_firms_below_only(gd, login, client):
    gz = svc.announcement_publish(actor=Actor(gd.gz_clerk), body=gd.gz, title="年度检查通知", text="请于月底前提交")
    bar = svc.announcement_publish(actor=Actor(gd.gz_bar_staff), body=gd.gz_bar, title="培训通知", text="下周培训")
    svc.announcement_publish(actor=Actor(gd.province_clerk), body=gd.province, title="全省通知", text="x")
    seen = {n.title for n in selectors.announcements(gd.firm_admin)}
    assert seen == {"年度检查通知", "培训通知", "全省通知"}  # the city bar association's board reaches the city's firms
    assert {n.title for n in selectors.announcements(gd.sz_firm_admin)} == {"全省通知"}
    assert {n.title for n in selectors.announcements(gd.province_clerk)} == {"全省通知"}
    login(gd.firm_admin)
    page = client.get(reverse("bureau:notice", args=[gz.pk]))
    assert page.status_code == 200 and "请于月底前提交" in page.content.decode()
    client.get(reverse("bureau:notice", args=[gz.pk]))  # read twice, one receipt
    assert AnnouncementRead.objects.get().organisation == gd.gz_firm_org
    login(gd.sz_firm_admin)
    assert client.get(reverse("bureau:notice", args=[bar.pk])).status_code == 404
    login(gd.gz_clerk)
    receipts = client.get(reverse("bureau:notice", args=[gz.pk])).content.decode()
    assert "广州甲律师事务所" in receipts and "林管理" in receipts


def test_bodies_write_to_each_other_within_the_province(gd, login, client):
    m = svc.message_send(
        actor=Actor(gd.gz_clerk), sender=gd.gz, recipient_id=gd.province.pk, subject="报送材料", text="年检材料已寄出"
    )
    with pytest.raises(DomainError):
        svc.message_send(actor=Actor(gd.gz_clerk), sender=gd.gz, recipient_id=gd.gz_firm_org.pk, subject="x", text="x")
    with pytest.raises(DomainError):  # not in Shenzhen's name
        svc.message_send(actor=Actor(gd.gz_clerk), sender=gd.sz, recipient_id=gd.province.pk, subject="x", text="x")
    login(gd.province_clerk)
    assert "报送材料" in client.get(reverse("bureau:messages")).content.decode()
    client.get(reverse("bureau:message", args=[m.pk]))
    assert BodyMessage.objects.get().read_by == gd.province_clerk
    login(gd.sz_clerk)
    assert client.get(reverse("bureau:message", args=[m.pk])).status_code == 404
    login(gd.firm_admin)
    assert client.get(reverse("bureau:messages")).status_code == 403
