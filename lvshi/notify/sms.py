"""SMS gateways, chosen by ``settings.SMS_BACKEND`` the way e-mail backends are.

- ``ConsoleSmsBackend`` prints each message (development).
- ``FileSmsBackend`` appends one JSON object per line to ``SMS_FILE_PATH/sms.jsonl``.
- ``LocmemSmsBackend`` appends to the module-level :data:`outbox` (tests).

A production gateway subclasses :class:`BaseSmsBackend` and implements
``send_messages``; it raises :class:`SmsDeliveryError` when the provider refuses.
"""

from __future__ import annotations

import json
import sys
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsDeliveryError(Exception):
    """The gateway did not accept the message."""


@dataclass
class SmsMessage:
    to: str
    body: str
    kind: str = ""
    created_at: datetime = field(default_factory=timezone.now)


class BaseSmsBackend:
    def __init__(self, fail_silently: bool = False, **kwargs):
        self.fail_silently = fail_silently

    def send_messages(self, messages: list[SmsMessage]) -> int:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()

    def send_messages(self, messages: list[SmsMessage]) -> int:
        with self._lock:
            for message in messages:
                self.stream.write(f"[SMS to {message.to}] {message.body}\n")
            self.stream.flush()
        return len(messages)


class FileSmsBackend(BaseSmsBackend):
    def __init__(self, *args, file_path: str | Path | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path or settings.SMS_FILE_PATH)

    @property
    def path(self) -> Path:
        return self.directory / "sms.jsonl"

    def send_messages(self, messages: list[SmsMessage]) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        lines = []
        for message in messages:
            record = asdict(message)
            record["created_at"] = message.created_at.isoformat()
            lines.append(json.dumps(record, ensure_ascii=False) + "\n")
        # One write call in append mode, so concurrent workers never interleave lines.
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write("".join(lines))
        return len(messages)


outbox: list[SmsMessage] = []
"""Messages sent through :class:`LocmemSmsBackend`, oldest first."""


class LocmemSmsBackend(BaseSmsBackend):
    def send_messages(self, messages: list[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def get_sms_backend(backend: str | None = None, **kwargs) -> BaseSmsBackend:
    return import_string(backend or settings.SMS_BACKEND)(**kwargs)


def send_sms_now(*, to: str, body: str, kind: str = "", backend: BaseSmsBackend | None = None) -> int:
    """Send one message right away, in this process. Prefer
    :func:`lvshi.notify.services.send_sms`, which records and queues it."""
    return (backend or get_sms_backend()).send_messages([SmsMessage(to=to, body=body, kind=kind)])


@receiver(setting_changed)
def _reset_outbox(*, setting: str, **kwargs) -> None:
    """Empty the in-memory outbox whenever a test (re)sets SMS_BACKEND, as the
    test-wide settings fixture does before every test."""
    if setting == "SMS_BACKEND":
        outbox.clear()
