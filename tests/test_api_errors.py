"""Inputs that once reached a 500 or an unexplained answer: each is now a 4xx
``{code, message}`` and changes nothing (lvshi/core/api.py)."""

import pytest
from django.core.exceptions import ValidationError

from lvshi.accounts.identity import normalize_id_number

LOGIN = "/api/v1/auth/login"


def _shape(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["message"]
    return body


def test_malformed_json_is_400_in_our_shape(client, db):
    _shape(client.post(LOGIN, data=b"{not json", content_type="application/json"), 400, "invalid_json")


def test_invalid_utf8_is_400(client, db):
    _shape(client.post(LOGIN, data=b'{"username": "\xff"}', content_type="application/json"), 400, "invalid_encoding")


def test_a_form_body_to_a_json_operation_is_415(client, db):
    _shape(client.post(LOGIN, data={"username": "x"}), 415, "unsupported_media_type")


@pytest.mark.parametrize("body", [b"[]", b'"x"', b"1"])
def test_a_body_that_is_not_an_object_is_422(client, db, body):
    _shape(client.post(LOGIN, data=body, content_type="application/json"), 422, "invalid_input")


def test_a_body_over_the_limit_is_413(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    _shape(
        client.post(LOGIN, data=b'{"a": "' + b"x" * 2048 + b'"}', content_type="application/json"),
        413,
        "body_too_large",
    )


def test_unknown_api_paths_answer_json_404(client, db):
    response = client.get("/api/v1/no/such/thing")
    _shape(response, 404, "not_found")
    assert response["Content-Type"].startswith("application/json")


def test_a_method_the_path_does_not_take_is_json_405(client, db):
    _shape(client.get(LOGIN), 405, "method_not_allowed")


@pytest.mark.parametrize("query", ["offset=9223372036854775808", "limit=0", "offset=-1"])
def test_out_of_range_integers_are_422(client, world, query):
    from datetime import timedelta

    from django.utils import timezone

    from lvshi.accounts.models import ApiToken
    from lvshi.core import crypto

    ApiToken.objects.create(
        user=world.lawyer, key_hash=crypto.token_hash("t1"), expires_at=timezone.now() + timedelta(hours=1)
    )
    response = client.get(f"/api/v1/notifications?{query}", HTTP_AUTHORIZATION="Bearer t1")
    _shape(response, 422, "invalid_input")
    assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]
    _shape(
        client.get("/api/v1/notifications/9223372036854775808/read", HTTP_AUTHORIZATION="Bearer t1"),
        405,
        "method_not_allowed",
    )
    _shape(
        client.post("/api/v1/notifications/9223372036854775808/read", HTTP_AUTHORIZATION="Bearer t1"),
        422,
        "invalid_input",
    )


def test_every_operation_documents_its_error_responses(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert {"400", "403", "404", "422"} <= set(operation["responses"]), f"{method} {path}"
            if operation.get("security"):
                assert "401" in operation["responses"], f"{method} {path}"
    assert "ErrorOut" in schema["components"]["schemas"]


@pytest.mark.parametrize("char", ["\u200b", "\ufeff", "\u200d"])
def test_invisible_characters_in_an_id_number_are_named(char):
    with pytest.raises(ValidationError) as caught:
        normalize_id_number("11010119900307" + char + "0014")
    assert caught.value.code == "invisible"
    assert "看不见的字符" in caught.value.messages[0]
