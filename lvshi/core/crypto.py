"""Encryption and blind indexes for personal identifiers.

Identity numbers are stored as Fernet ciphertext (AES-128-CBC + HMAC) and,
for look-up, as a keyed HMAC-SHA256 "blind index": equal numbers give equal
indexes, but the index reveals nothing without the key.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


def _derive(key_material: str, purpose: bytes) -> bytes:
    return hmac.new(key_material.encode(), purpose, hashlib.sha256).digest()


@lru_cache(maxsize=4)
def _fernet(key_material: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(key_material, b"lvshi.field-encryption.v1")))


def encrypt(value: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()


def blind_index(value: str, *, purpose: str = "id_number") -> str:
    key = _derive(settings.BLIND_INDEX_KEY, f"lvshi.blind-index.{purpose}".encode())
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    """Hash for bearer tokens and one-time codes (high-entropy or rate-limited input)."""
    return hashlib.sha256(token.encode()).hexdigest()
