"""The providers' notification formats: what is signed, and that any change
to it, another key or a broken encoding fails verification."""

import json
import secrets

import pytest

from lvshi.courts.payments import signing


@pytest.fixture(scope="module")
def keys():
    key = signing.new_private_key()
    return key, key.public_key(), signing.new_private_key().public_key()


def test_wechat_signs_timestamp_nonce_and_body(keys):
    key, public, other = keys
    body = json.dumps({"id": "EV-1", "event_type": "TRANSACTION.SUCCESS"}, ensure_ascii=False).encode()
    sig = signing.wechat_sign(key, "1764800000", "n0nce", body)
    assert signing.wechat_verify(public, "1764800000", "n0nce", body, sig)
    assert not signing.wechat_verify(public, "1764800001", "n0nce", body, sig)
    assert not signing.wechat_verify(public, "1764800000", "other", body, sig)
    assert not signing.wechat_verify(public, "1764800000", "n0nce", body + b" ", sig)
    assert not signing.wechat_verify(other, "1764800000", "n0nce", body, sig)
    for broken in ("", "not base64!", "QUJD", "签名"):
        assert not signing.wechat_verify(public, "1764800000", "n0nce", body, broken)


def test_wechat_resource_opens_only_with_the_key_and_its_associated_data():
    api_key = secrets.token_bytes(32)
    plain = json.dumps({"out_trade_no": "P1", "amount": {"total": 1380000}}).encode()
    resource = signing.wechat_encrypt(api_key, plain, associated_data="transaction", original_type="transaction")
    assert resource["algorithm"] == "AEAD_AES_256_GCM" and len(resource["nonce"]) == 12
    assert signing.wechat_decrypt(api_key, resource) == plain
    assert signing.wechat_decrypt(secrets.token_bytes(32), resource) is None
    assert signing.wechat_decrypt(api_key, {**resource, "associated_data": "other"}) is None
    assert signing.wechat_decrypt(api_key, {**resource, "ciphertext": resource["ciphertext"][:-4] + "AAAA"}) is None
    assert signing.wechat_decrypt(api_key, {**resource, "algorithm": "AES"}) is None
    assert signing.wechat_decrypt(api_key, {"algorithm": "AEAD_AES_256_GCM"}) is None


def test_alipay_signs_the_sorted_parameters_but_sign_and_empty_ones(keys):
    key, public, other = keys
    params = {
        "out_trade_no": "P1",
        "total_amount": "13800.00",
        "trade_status": "TRADE_SUCCESS",
        "subject": "（2026）渝01民初1号 案件受理费",
        "app_id": "2026000000000000",
        "memo": "",
    }
    assert signing.alipay_content(params) == (
        "app_id=2026000000000000&out_trade_no=P1&subject=（2026）渝01民初1号 案件受理费"
        "&total_amount=13800.00&trade_status=TRADE_SUCCESS"
    )
    signed = {**params, "sign_type": "RSA2", "sign": signing.alipay_sign(key, params)}
    assert signing.alipay_verify(public, signed)
    assert not signing.alipay_verify(public, {**signed, "total_amount": "1.00"})
    assert not signing.alipay_verify(public, {**signed, "sign_type": "RSA"})
    assert not signing.alipay_verify(other, signed)
    assert not signing.alipay_verify(public, {k: v for k, v in signed.items() if k != "sign"})
