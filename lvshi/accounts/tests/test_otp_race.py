"""A one-time code is used once, even when several requests present it at
the same moment (separate connections, PostgreSQL row locks). Without the
row lock and the conditional update in ``SmsDevice.verify_token`` all four
attempts succeed, so this test catches the race."""

import re
import threading

import pytest
from django.db import connection

from lvshi.accounts.otp import SmsDevice
from lvshi.notify import sms
from tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_sms_code_presented_twice_at_once_signs_in_once():
    sms.outbox.clear()
    user = UserFactory()
    device = SmsDevice.objects.create(user=user, name="sms")
    device.generate_challenge()  # autocommit: the SMS goes out at once
    code = re.search(r"\d{6}", [m.body for m in sms.outbox if m.to == user.mobile][-1]).group(0)

    barrier = threading.Barrier(4)
    results = []

    def attempt():
        try:
            mine = SmsDevice.objects.get(pk=device.pk)
            barrier.wait(timeout=10)
            results.append(mine.verify_token(code))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == [False, False, False, True]
