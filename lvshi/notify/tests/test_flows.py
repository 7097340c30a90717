"""Deliveries move only through their declared workflow (notify/flows.py)."""

import re
from pathlib import Path

import pytest

from lvshi.audit.workflow import Workflow as AuditedWorkflow
from lvshi.notify.flows import DELIVERY
from lvshi.notify.models import Delivery, DeliveryStatus


def test_every_delivery_transition_is_a_workers_and_known():
    assert {t.name for t in DELIVERY.transitions} == {"claim", "send", "fail", "abandon"}
    for t in DELIVERY.transitions:
        assert t.permission == "" and {*t.sources, t.target} <= set(DeliveryStatus.values)


def test_no_notify_module_writes_a_delivery_status_directly():
    root = Path(__file__).resolve().parent.parent
    direct = re.compile(r"Delivery\.objects\.[^;]{0,200}?\.update\([^)]*\bstatus=", re.S)
    assert not [p.name for p in root.glob("*.py") if direct.search(p.read_text(encoding="utf-8"))]


def test_apply_many_is_only_for_unrecorded_periodic_jobs():
    audited = AuditedWorkflow(Delivery, transitions=DELIVERY.transitions)
    with pytest.raises(ValueError):
        audited.apply_many(Delivery.objects.none(), "claim")
