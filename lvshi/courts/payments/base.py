"""The one interface every payment provider sits behind: create an order
and its QR code, verify a callback, acknowledge it, query and close an
order. The services speak only to this; a real WeChat Pay or Alipay client
and the simulated one are interchangeable (``settings.PAYMENT_PROVIDER``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Order:
    qr: str  # the text the QR code carries (weixin://wxpay/… or https://qr.alipay.com/…)
    expires_at: datetime


@dataclass(frozen=True)
class PaidEvent:
    """A verified notification that an order was paid."""

    event_id: str
    out_trade_no: str
    transaction_id: str
    amount_fen: int
    merchant: str
    paid_at: datetime


@dataclass(frozen=True)
class Ack:
    status: int
    content_type: str
    body: bytes


class CallbackRejected(Exception):
    """A callback that is not a genuine, current notification of a payment:
    bad signature, old timestamp, unreadable body, another merchant."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Provider(Protocol):
    name: str
    merchant: str

    def create_order(self, *, out_trade_no: str, amount_fen: int, description: str, expires_at: datetime) -> Order: ...

    def verify_callback(self, headers: Mapping[str, str], body: bytes, *, now: datetime) -> PaidEvent: ...

    def acknowledge(self, ok: bool, message: str = "") -> Ack: ...

    def query(self, out_trade_no: str) -> str: ...

    def close(self, out_trade_no: str) -> None: ...
