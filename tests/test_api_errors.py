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


@pytest.fixture
def lawyer_auth(world):
    from datetime import timedelta

    from django.utils import timezone

    from lvshi.accounts.models import ApiToken
    from lvshi.core import crypto

    ApiToken.objects.create(
        user=world.lawyer, key_hash=crypto.token_hash("t1"), expires_at=timezone.now() + timedelta(hours=1)
    )
    return {"HTTP_AUTHORIZATION": "Bearer t1"}


@pytest.mark.parametrize("query", ["offset=9223372036854775808", "limit=0", "offset=-1"])
def test_out_of_range_integers_are_422(client, lawyer_auth, query):
    response = client.get(f"/api/v1/notifications?{query}", **lawyer_auth)
    _shape(response, 422, "invalid_input")
    assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]
    _shape(client.get("/api/v1/notifications/9223372036854775808/read", **lawyer_auth), 405, "method_not_allowed")
    _shape(client.post("/api/v1/notifications/9223372036854775808/read", **lawyer_auth), 422, "invalid_input")


def test_a_multipart_body_without_boundary_is_400(client, lawyer_auth):
    response = client.post(
        "/api/v1/visits/bindings/1/revoke", data=b"note=x", content_type="multipart/form-data", **lawyer_auth
    )
    _shape(response, 400, "invalid_multipart")


@pytest.mark.parametrize("value", ["0", "20261203", "2026-1-3", "2026-12-03T00:00:00"])
def test_a_date_is_only_read_as_yyyy_mm_dd(client, lawyer_auth, world, value):
    response = client.get(f"/api/v1/visits/centres/{world.centre.pk}/availability?date={value}", **lawyer_auth)
    body = _shape(response, 422, "invalid_input")
    assert "YYYY-MM-DD" in str(body["errors"])


def test_a_number_is_not_read_as_a_moment():
    from pydantic import TypeAdapter
    from pydantic import ValidationError as PydanticError

    from lvshi.core.api import IsoDateTime

    with pytest.raises(PydanticError):
        TypeAdapter(IsoDateTime).validate_python(0)
    assert TypeAdapter(IsoDateTime).validate_python("2026-12-03T09:30:00+08:00").hour == 9


def test_an_idempotency_key_over_its_limit_is_refused_not_cut(client, lawyer_auth, world):
    from lvshi.visits.models import Booking
    from lvshi.visits.services.booking import IDEMPOTENCY_KEY_MAX

    response = client.post(
        "/api/v1/visits/bookings",
        data={"detainee_id": 1, "date": "2030-01-07", "slot": "09:00"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k" * (IDEMPOTENCY_KEY_MAX + 1),
        **lawyer_auth,
    )
    _shape(response, 422, "invalid_input")
    assert not Booking.objects.exists()


def test_every_integer_input_has_bounds(client, db):
    """An integer the API reads without a maximum could reach the database
    out of range (core/api.py: Id, Int64, Offset, Limit)."""
    schema = client.get("/api/v1/openapi.json").json()
    unbounded = []

    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "integer" and "enum" not in node and not {"maximum", "minimum"} <= set(node):
                unbounded.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    for path, item in schema["paths"].items():
        for method, operation in item.items():
            walk(operation.get("parameters", []), f"{method} {path} parameters")
            walk(operation.get("requestBody", {}), f"{method} {path} body")
    inputs = {
        name
        for item in schema["paths"].values()
        for operation in item.values()
        for name in _refs(operation.get("requestBody", {}))
    }
    for name in inputs:
        walk(schema["components"]["schemas"][name], f"schema {name}")
    assert not unbounded


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"].rsplit("/", 1)[-1]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


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


def test_no_two_schemas_of_the_api_share_a_name():
    """The OpenAPI document names each schema by its class: two classes of
    one name would leave one operation described by the other's fields."""
    from ninja import Schema

    import lvshi.api  # noqa: F401 - every router and its schemas

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    seen: dict[str, str] = {}
    clashes = []
    for schema in subclasses(Schema):
        if not schema.__module__.startswith("lvshi."):
            continue
        where = f"{schema.__module__}.{schema.__qualname__}"
        if schema.__name__ in seen and seen[schema.__name__] != where:
            clashes.append((seen[schema.__name__], where))
        seen.setdefault(schema.__name__, where)
    assert clashes == []


def test_no_two_choices_of_the_models_share_a_name():
    """Enums (a model's TextChoices) are named in the OpenAPI document by their
    class too: a courts ``DocumentKind`` once replaced the visits one there."""
    from django.apps import apps
    from django.db.models import Choices

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    apps.get_models()  # every app's models, and their choices, imported
    seen: dict[str, str] = {}
    clashes = []
    for choices in subclasses(Choices):
        if not choices.__module__.startswith("lvshi."):
            continue
        where = f"{choices.__module__}.{choices.__qualname__}"
        if choices.__name__ in seen and seen[choices.__name__] != where:
            clashes.append((seen[choices.__name__], where))
        seen.setdefault(choices.__name__, where)
    assert clashes == []
