"""A simulated WeChat Pay and Alipay, playing both sides in development
and tests: it makes orders with real-format QR texts, and when "the payer
scans" (:meth:`Simulated.callback`) it produces the notification the real
provider would send, signed with its own RSA key:

* WeChat Pay v3: JSON with an AES-256-GCM ``resource``, headers
  ``Wechatpay-Timestamp/Nonce/Signature/Serial`` over
  ``timestamp\\nnonce\\nbody\\n``;
* Alipay: form parameters signed RSA2 over the sorted ``k=v`` string.

Verification checks the signature, the timestamp window, the merchant and
the body's shape, as against the real provider. The keys are made once and
kept in the database (:class:`~lvshi.courts.models.ProviderKeys`)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cached_property
from urllib.parse import parse_qsl, urlencode

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from lvshi.calendar.workdays import SHANGHAI

from ..models import ProviderKeys, ProviderName
from . import signing
from .base import Ack, CallbackRejected, Order, PaidEvent

# How old (or how far ahead) a notification's timestamp may be.
WINDOW = timedelta(minutes=5)
SERIAL = "5157F09EFDC096DE15EBE81A47057A72"


def _keys(provider: str) -> ProviderKeys:
    row = ProviderKeys.objects.filter(provider=provider).first()
    if row is not None:
        return row
    key = signing.new_private_key()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    try:
        with transaction.atomic():
            return ProviderKeys.objects.create(provider=provider, private_pem=pem, api_key=secrets.token_hex(16))
    except IntegrityError:  # another worker made them first
        return ProviderKeys.objects.get(provider=provider)


class Simulated:
    name: str
    merchant: str

    def __init__(self, name: str) -> None:
        self.name = name
        self.merchant = settings.PAYMENT_MERCHANTS[name]

    @cached_property
    def _row(self) -> ProviderKeys:
        return _keys(self.name)

    @cached_property
    def private_key(self) -> rsa.RSAPrivateKey:
        key = serialization.load_pem_private_key(self._row.private_pem.encode(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return key

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()

    @property
    def api_key(self) -> bytes:
        return self._row.api_key.encode()

    # --- the interface ---------------------------------------------------------------

    def create_order(self, *, out_trade_no: str, amount_fen: int, description: str, expires_at: datetime) -> Order:
        if self.name == ProviderName.WECHAT:
            qr = f"weixin://wxpay/bizpayurl?pr={secrets.token_urlsafe(9)}"
        else:
            qr = f"https://qr.alipay.com/{secrets.token_urlsafe(12)}"
        return Order(qr=qr, expires_at=expires_at)

    def verify_callback(self, headers: Mapping[str, str], body: bytes, *, now: datetime) -> PaidEvent:
        if self.name == ProviderName.WECHAT:
            return self._verify_wechat(headers, body, now)
        return self._verify_alipay(body, now)

    def acknowledge(self, ok: bool, message: str = "") -> Ack:
        if self.name == ProviderName.WECHAT:
            if ok:
                return Ack(200, "application/json", b'{"code":"SUCCESS","message":"\xe6\x88\x90\xe5\x8a\x9f"}')
            payload = json.dumps({"code": "FAIL", "message": message}, ensure_ascii=False).encode()
            return Ack(400, "application/json", payload)
        return Ack(200 if ok else 400, "text/plain", b"success" if ok else b"fail")

    def query(self, out_trade_no: str) -> str:
        from ..models import Payment, PaymentStatus

        status = Payment.objects.filter(out_trade_no=out_trade_no).values_list("status", flat=True).first()
        return "SUCCESS" if status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUND_DUE) else "NOTPAY"

    def close(self, out_trade_no: str) -> None:
        """Nothing to tell: the simulated payer never scans a closed order."""

    # --- the payer's side: the notification the provider sends ------------------------------

    def callback(self, *, out_trade_no: str, amount_fen: int, now: datetime | None = None) -> tuple[dict, bytes]:
        """The headers and body of the notification that order
        *out_trade_no* was paid with *amount_fen* fen."""
        now = now or timezone.now()
        paid = now.astimezone(SHANGHAI)
        if self.name == ProviderName.WECHAT:
            transaction_id = "4200" + "".join(secrets.choice("0123456789") for _ in range(24))
            plain = {
                "mchid": self.merchant,
                "appid": "wx" + self.merchant,
                "out_trade_no": out_trade_no,
                "transaction_id": transaction_id,
                "trade_type": "NATIVE",
                "trade_state": "SUCCESS",
                "success_time": paid.isoformat(timespec="seconds"),
                "amount": {"total": amount_fen, "payer_total": amount_fen, "currency": "CNY"},
            }
            resource = signing.wechat_encrypt(
                self.api_key, json.dumps(plain).encode(), associated_data="transaction", original_type="transaction"
            )
            body = json.dumps(
                {
                    "id": secrets.token_hex(18),
                    "create_time": paid.isoformat(timespec="seconds"),
                    "resource_type": "encrypt-resource",
                    "event_type": "TRANSACTION.SUCCESS",
                    "summary": "支付成功",
                    "resource": resource,
                },
                ensure_ascii=False,
            ).encode()
            stamp, nonce_str = str(int(now.timestamp())), signing.nonce()
            headers = {
                "Wechatpay-Timestamp": stamp,
                "Wechatpay-Nonce": nonce_str,
                "Wechatpay-Signature": signing.wechat_sign(self.private_key, stamp, nonce_str, body),
                "Wechatpay-Serial": SERIAL,
                "Content-Type": "application/json",
            }
            return headers, body
        params = {
            "notify_time": paid.strftime("%Y-%m-%d %H:%M:%S"),
            "notify_type": "trade_status_sync",
            "notify_id": secrets.token_hex(16),
            "app_id": self.merchant,
            "charset": "utf-8",
            "version": "1.0",
            "trade_no": paid.strftime("%Y%m%d") + "22001" + "".join(secrets.choice("0123456789") for _ in range(15)),
            "out_trade_no": out_trade_no,
            "total_amount": f"{amount_fen // 100}.{amount_fen % 100:02d}",
            "trade_status": "TRADE_SUCCESS",
            "gmt_payment": paid.strftime("%Y-%m-%d %H:%M:%S"),
            "sign_type": "RSA2",
        }
        params["sign"] = signing.alipay_sign(self.private_key, params)
        return {"Content-Type": "application/x-www-form-urlencoded"}, urlencode(params).encode()

    # --- verification ------------------------------------------------------------------------

    def _verify_wechat(self, headers: Mapping[str, str], body: bytes, now: datetime) -> PaidEvent:
        h = {k.lower(): v for k, v in headers.items()}
        stamp, nonce_str, signature = (
            h.get("wechatpay-timestamp", ""),
            h.get("wechatpay-nonce", ""),
            h.get("wechatpay-signature", ""),
        )
        if not (stamp.isdigit() and len(stamp) <= 12 and nonce_str and signature):
            raise CallbackRejected("bad_headers", "缺少微信支付签名头")
        if abs(now.timestamp() - int(stamp)) > WINDOW.total_seconds():
            raise CallbackRejected("stale", "通知时间戳超出允许范围")
        if not signing.wechat_verify(self.public_key, stamp, nonce_str, body, signature):
            raise CallbackRejected("bad_signature", "签名验证失败")
        try:
            data = json.loads(body)
            if data.get("event_type") != "TRANSACTION.SUCCESS":
                raise CallbackRejected("not_success", "不是支付成功通知")
            plain = signing.wechat_decrypt(self.api_key, data["resource"])
            if plain is None:
                raise CallbackRejected("bad_resource", "通知内容无法解密")
            tx = json.loads(plain)
            amount = tx["amount"]["total"]
            event = PaidEvent(
                event_id=str(data["id"])[:64],
                out_trade_no=str(tx["out_trade_no"])[:32],
                transaction_id=str(tx["transaction_id"])[:64],
                amount_fen=amount if isinstance(amount, int) and not isinstance(amount, bool) else -1,
                merchant=str(tx["mchid"]),
                paid_at=datetime.fromisoformat(str(tx["success_time"])),
            )
            ok_state = tx.get("trade_state") == "SUCCESS"
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CallbackRejected("bad_body", "通知内容格式不正确") from exc
        if not ok_state:
            raise CallbackRejected("not_success", "交易状态不是成功")
        return self._mine(event)

    def _verify_alipay(self, body: bytes, now: datetime) -> PaidEvent:
        try:
            params = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
        except (UnicodeDecodeError, ValueError) as exc:
            raise CallbackRejected("bad_body", "通知内容格式不正确") from exc
        if not signing.alipay_verify(self.public_key, params):
            raise CallbackRejected("bad_signature", "签名验证失败")
        try:
            sent = datetime.strptime(params["notify_time"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
            if abs(now - sent) > WINDOW:
                raise CallbackRejected("stale", "通知时间超出允许范围")
            if params["trade_status"] not in ("TRADE_SUCCESS", "TRADE_FINISHED"):
                raise CallbackRejected("not_success", "交易状态不是成功")
            yuan, _dot, fen = params["total_amount"].partition(".")
            if not yuan.isdigit() or not ((fen.isdigit() and len(fen) == 2) or fen == ""):
                raise ValueError(params["total_amount"])
            event = PaidEvent(
                event_id=params["notify_id"][:64],
                out_trade_no=params["out_trade_no"][:32],
                transaction_id=params["trade_no"][:64],
                amount_fen=int(yuan) * 100 + int(fen or 0),
                merchant=params["app_id"],
                paid_at=datetime.strptime(params["gmt_payment"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI),
            )
        except (KeyError, ValueError) as exc:
            raise CallbackRejected("bad_body", "通知内容格式不正确") from exc
        return self._mine(event)

    def _mine(self, event: PaidEvent) -> PaidEvent:
        if event.merchant != self.merchant:
            raise CallbackRejected("wrong_merchant", "商户号不符")
        return event
