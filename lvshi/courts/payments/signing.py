"""The signatures and the encrypted resource of payment notifications, in
the formats the providers use, built on ``cryptography``:

* WeChat Pay (API v3): the headers ``Wechatpay-Timestamp``,
  ``Wechatpay-Nonce`` and ``Wechatpay-Signature`` sign
  ``timestamp\\nnonce\\nbody\\n`` with RSA-SHA256 (PKCS#1 v1.5), and the
  body's ``resource`` is AES-256-GCM with the merchant's API v3 key (32
  bytes), a 12-character nonce and associated data.
* Alipay (RSA2): the parameters except ``sign`` and ``sign_type``, the
  empty ones left out, sorted by name and joined as ``k=v&k=v``, signed
  with RSA-SHA256 (PKCS#1 v1.5), base64 in ``sign``.

Verification never raises on bad input: it answers False."""

from __future__ import annotations

import base64
import binascii
import secrets
import string
from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

AEAD = "AEAD_AES_256_GCM"
_NONCE_CHARS = string.ascii_letters + string.digits


def new_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def nonce(length: int = 32) -> str:
    return "".join(secrets.choice(_NONCE_CHARS) for _ in range(length))


def _sign(key: rsa.RSAPrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


def _verify(key: rsa.RSAPublicKey, message: bytes, signature: str) -> bool:
    try:
        raw = base64.b64decode(signature.encode("ascii"), validate=True)
        key.verify(raw, message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError, binascii.Error, UnicodeEncodeError):
        return False
    return True


# --- WeChat Pay ----------------------------------------------------------------------------


def wechat_message(timestamp: str, nonce_str: str, body: bytes) -> bytes:
    return timestamp.encode() + b"\n" + nonce_str.encode() + b"\n" + body + b"\n"


def wechat_sign(key: rsa.RSAPrivateKey, timestamp: str, nonce_str: str, body: bytes) -> str:
    return _sign(key, wechat_message(timestamp, nonce_str, body))


def wechat_verify(key: rsa.RSAPublicKey, timestamp: str, nonce_str: str, body: bytes, signature: str) -> bool:
    return _verify(key, wechat_message(timestamp, nonce_str, body), signature)


def wechat_encrypt(api_key: bytes, plaintext: bytes, *, associated_data: str, original_type: str) -> dict:
    """The notification's ``resource`` object."""
    iv = nonce(12)
    data = AESGCM(api_key).encrypt(iv.encode(), plaintext, associated_data.encode())
    return {
        "algorithm": AEAD,
        "ciphertext": base64.b64encode(data).decode(),
        "nonce": iv,
        "associated_data": associated_data,
        "original_type": original_type,
    }


def wechat_decrypt(api_key: bytes, resource: Mapping) -> bytes | None:
    """The plaintext of a ``resource``, or None when it is not one we can open."""
    try:
        if resource.get("algorithm") != AEAD:
            return None
        data = base64.b64decode(str(resource["ciphertext"]).encode("ascii"), validate=True)
        iv = str(resource["nonce"]).encode()
        aad = str(resource.get("associated_data") or "").encode()
        return AESGCM(api_key).decrypt(iv, data, aad)
    except (KeyError, AttributeError, ValueError, binascii.Error, InvalidTag, UnicodeEncodeError):
        return None


# --- Alipay --------------------------------------------------------------------------------


def alipay_content(params: Mapping[str, str]) -> str:
    """The signed string: every parameter but ``sign``/``sign_type`` with a
    value, sorted by name, as ``k=v&k=v``."""
    return "&".join(
        f"{k}={params[k]}" for k in sorted(params) if k not in ("sign", "sign_type") and params[k] not in ("", None)
    )


def alipay_sign(key: rsa.RSAPrivateKey, params: Mapping[str, str]) -> str:
    return _sign(key, alipay_content(params).encode())


def alipay_verify(key: rsa.RSAPublicKey, params: Mapping[str, str]) -> bool:
    signature = params.get("sign")
    if not isinstance(signature, str) or params.get("sign_type", "RSA2") != "RSA2":
        return False
    return _verify(key, alipay_content(params).encode(), signature)
