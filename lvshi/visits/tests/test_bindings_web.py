"""Binding pages and API: the lawyer's list and pre-check form, the officers'
queue and actions, document downloads, multipart uploads, errors as
``{"code", "message"}``, scope (another centre's officer gets 404) and query
counts that do not grow with the rows."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.tests.files import EXE, HTML, PDF, PNG, ZIP, upload
from lvshi.visits import bindings as svc
from lvshi.visits.models import Binding, BindingDocument, BindingStatus, DocumentKind
from tests.test_access import bearer_for

from .factories import bind, make_detainee, make_lawyer

API = "/api/v1/visits"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def files(**extra) -> dict:
    values = {
        "power_of_attorney": upload(PDF, "委托书.pdf"),
        "licence": upload(PNG, "执业证.png", "image/png"),
        "firm_letter": upload(PDF, "律所函.pdf"),
    }
    values.update(extra)
    return values


def form(detainee, **extra) -> dict:
    return {
        "centre": detainee.centre_id,
        "detainee_name": detainee.name,
        "centre_number": detainee.centre_number,
        "case_number": "",
        **files(),
        **extra,
    }


def pending(world, detainee=None, lawyer=None) -> Binding:
    detainee = detainee or make_detainee(world.centre)
    return svc.binding_submit(
        actor=Actor(lawyer or world.lawyer),
        centre=detainee.centre,
        detainee_name=detainee.name,
        centre_number=detainee.centre_number,
        documents=files(),
    )


def api_json(response) -> dict:
    return json.loads(response.content)


# --- lawyer pages ------------------------------------------------------------------------


def test_the_lawyer_submits_the_pre_check_with_files(login, world):
    d = make_detainee(world.centre)
    client = login(world.lawyer)
    page = client.get(reverse("visits:binding_submit"))
    assert page.status_code == 200
    assert b'accept=".pdf,.jpg,.jpeg,.png"' in page.content and b'enctype="multipart/form-data"' in page.content
    response = client.post(reverse("visits:binding_submit"), form(d))
    assert response.status_code == 302 and response["Location"] == reverse("visits:bindings")
    binding = Binding.objects.get(lawyer=world.lawyer, detainee=d)
    assert binding.status == BindingStatus.PENDING and binding.documents.count() == 3


@pytest.mark.parametrize("bad", [ZIP, HTML, EXE])
def test_a_wrong_file_is_shown_next_to_its_field_and_nothing_is_saved(login, world, bad):
    d = make_detainee(world.centre)
    response = login(world.lawyer).post(
        reverse("visits:binding_submit"), form(d, firm_letter=upload(bad, "律所函.pdf"))
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["firm_letter"] and "请上传PDF、JPEG、PNG格式的文件" in errors["firm_letter"][0]
    assert not Binding.objects.exists()


def test_an_unknown_detainee_and_a_missing_legal_aid_letter_are_form_errors(login, world):
    d = make_detainee(world.centre)
    client = login(world.lawyer)
    response = client.post(reverse("visits:binding_submit"), form(d, centre_number="X1"))
    assert "未找到与所填姓名和监号相符的在押人员" in response.context["form"].non_field_errors()[0]
    response = client.post(reverse("visits:binding_submit"), form(d, legal_aid="on"))
    assert "legal_aid_letter" in response.context["form"].errors
    assert not Binding.objects.exists()


def test_the_list_shows_status_reason_documents_and_actions(login, world):
    binding = pending(world)
    svc.binding_return(binding=binding, actor=Actor(world.officer), reason="委托书缺少委托人签名")
    page = login(world.lawyer).get(reverse("visits:bindings"))
    html = page.content.decode()
    assert "已退回" in html and "委托书缺少委托人签名" in html
    assert reverse("visits:binding_resubmit", args=[binding.pk]) in html
    assert reverse("visits:binding_withdraw", args=[binding.pk]) in html
    for doc in binding.documents.all():
        assert reverse("visits:binding_document", args=[doc.pk]) in html


def test_the_lawyer_resubmits_withdraws_and_ends_through_the_pages(login, world):
    client = login(world.lawyer)
    binding = pending(world)
    svc.binding_return(binding=binding, actor=Actor(world.officer), reason="执业证不清晰")
    response = client.post(
        reverse("visits:binding_resubmit", args=[binding.pk]), {"licence": upload(JPEG_BYTES, "执业证.jpg")}
    )
    assert response.status_code == 302
    binding.refresh_from_db()
    assert binding.status == BindingStatus.PENDING
    withdraw = reverse("visits:binding_withdraw", args=[binding.pk])
    assert "须重新提交委托材料" in client.get(withdraw).content.decode()
    assert client.post(withdraw).status_code == 200  # not confirmed: asked again, nothing changed
    assert Binding.objects.get(pk=binding.pk).status == BindingStatus.PENDING
    assert client.post(withdraw, {"confirmed": "1"}).status_code == 302
    assert Binding.objects.get(pk=binding.pk).status == BindingStatus.WITHDRAWN

    active = bind(world.lawyer, make_detainee(world.centre))
    end = reverse("visits:binding_end", args=[active.pk])
    assert "尚未进行的会见预约将全部取消" in client.get(end).content.decode()
    client.post(end)
    active.refresh_from_db()
    assert active.status == BindingStatus.ACTIVE
    client.post(end, {"confirmed": "1"})
    active.refresh_from_db()
    assert active.status == BindingStatus.ENDED and active.end_reason == "lawyer"


JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def test_the_lawyer_list_query_count_does_not_grow(login, world, django_assert_max_num_queries):
    client = login(world.lawyer)
    for _ in range(2):
        pending(world)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("visits:bindings")).status_code == 200
    for _ in range(12):
        pending(world)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("visits:bindings")).status_code == 200


# --- officer pages --------------------------------------------------------------------------


def test_the_queue_shows_only_the_officers_centre(login, world):
    mine = pending(world)
    theirs = pending(world, make_detainee(world.other_centre))
    html = login(world.officer).get(reverse("visits:binding_queue")).content.decode()
    assert reverse("visits:binding_review", args=[mine.pk]) in html
    assert reverse("visits:binding_review", args=[theirs.pk]) not in html


def test_the_officers_queue_query_count_does_not_grow(login, world, django_assert_max_num_queries):
    client = login(world.officer)
    for _ in range(2):
        pending(world, lawyer=make_lawyer(world.firm))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("visits:binding_queue")).status_code == 200
    for _ in range(12):
        pending(world, lawyer=make_lawyer(world.firm))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("visits:binding_queue")).status_code == 200


def test_the_officer_passes_verifies_and_returns_through_the_pages(login, world):
    client = login(world.officer)
    binding = pending(world)
    page = client.get(reverse("visits:binding_review", args=[binding.pk]))
    assert reverse("visits:binding_pass", args=[binding.pk]) in page.content.decode()
    client.post(reverse("visits:binding_pass", args=[binding.pk]))
    client.post(reverse("visits:binding_verify", args=[binding.pk]))
    binding.refresh_from_db()
    assert binding.status == BindingStatus.ACTIVE and binding.seat == 1

    other = pending(world)
    response = client.post(reverse("visits:binding_return", args=[other.pk]), {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    client.post(reverse("visits:binding_return", args=[other.pk]), {"reason": "委托书缺少签名"})
    other.refresh_from_db()
    assert other.status == BindingStatus.RETURNED and other.return_reason == "委托书缺少签名"


def test_a_refused_verification_is_shown_as_a_message(login, world):
    d = make_detainee(world.centre)
    bind(make_lawyer(world.firm), d, seat=1)
    bind(make_lawyer(world.firm), d, seat=2)
    binding = pending(world, d)
    svc.binding_pass(binding=binding, actor=Actor(world.officer))
    response = login(world.officer).post(reverse("visits:binding_verify", args=[binding.pk]), follow=True)
    assert "需先登记解除委托" in response.content.decode()
    assert Binding.objects.get(pk=binding.pk).status == BindingStatus.VERIFYING


def test_the_officer_records_a_revocation_with_its_document(login, world):
    binding = bind(world.lawyer, make_detainee(world.centre))
    client = login(world.officer)
    url = reverse("visits:binding_revoke", args=[binding.pk])
    response = client.post(url, {"document": upload(HTML, "解除.pdf"), "note": "x"})
    assert response.status_code == 200 and "document" in response.context["form"].errors
    response = client.post(url, {"document": upload(PDF, "解除委托书.pdf"), "note": "委托人书面解除"})
    assert response.status_code == 302
    binding.refresh_from_db()
    assert binding.status == BindingStatus.ENDED and binding.end_reason == "revoked"
    assert binding.documents.get().kind == DocumentKind.REVOCATION


# --- downloads -----------------------------------------------------------------------------


def test_a_document_downloads_for_its_lawyer_and_the_centre_only(login, world, client):
    binding = pending(world)
    doc = binding.documents.get(kind="licence")
    url = reverse("visits:binding_document", args=[doc.pk])
    for user in (world.lawyer, world.officer, world.admin):
        response = login(user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content) == PNG
    for user in (world.other_lawyer, world.other_officer, world.judge):
        assert login(user).get(url).status_code == 404, user
    events = AuditEvent.objects.filter(action="visits.binding_document_download", object_id=str(doc.pk))
    assert events.count() == 3


def test_the_api_download_follows_the_same_rule(client, world):
    doc = pending(world).documents.first()
    url = f"{API}/binding-documents/{doc.pk}"
    assert client.get(url, **bearer_for(world.lawyer)).status_code == 200
    response = client.get(url, **bearer_for(world.other_lawyer))
    assert response.status_code == 404 and set(api_json(response)) >= {"code", "message"}


# --- API -------------------------------------------------------------------------------------


def test_the_bindings_list_defaults_to_active_and_filters_by_status(client, world):
    active = bind(world.lawyer, make_detainee(world.centre))
    waiting = pending(world)
    data = api_json(client.get(f"{API}/bindings", **bearer_for(world.lawyer)))
    assert [b["id"] for b in data] == [active.pk]
    assert {"id", "detainee_id", "detainee", "centre_id", "centre", "case", "status"} <= set(data[0])
    data = api_json(client.get(f"{API}/bindings?status=pending", **bearer_for(world.lawyer)))
    assert [b["id"] for b in data] == [waiting.pk] and len(data[0]["documents"]) == 3
    response = client.get(f"{API}/bindings?status=nonsense", **bearer_for(world.lawyer))
    assert response.status_code == 422 and api_json(response)["code"] == "invalid_input"


def test_the_api_takes_a_multipart_submission_and_warns_of_two_active_lawyers(client, world):
    d = make_detainee(world.centre)
    bind(make_lawyer(world.firm), d, seat=1)
    bind(make_lawyer(world.firm), d, seat=2)
    payload = {"centre_id": world.centre.pk, "detainee_name": d.name, "centre_number": d.centre_number, **files()}
    response = client.post(f"{API}/bindings", payload, **bearer_for(world.lawyer))
    assert response.status_code == 201, response.content
    data = api_json(response)
    assert data["binding"]["status"] == "pending" and "已有2名有效委托的律师" in data["warning"]


def test_api_errors_are_code_and_message_and_change_nothing(client, world):
    d = make_detainee(world.centre)
    payload = {"centre_id": world.centre.pk, "detainee_name": d.name, "centre_number": d.centre_number}
    response = client.post(f"{API}/bindings", {**payload, **files(licence=upload(ZIP))}, **bearer_for(world.lawyer))
    assert response.status_code == 400 and api_json(response)["code"] == "file_type"
    response = client.post(f"{API}/bindings", payload, **bearer_for(world.lawyer))
    assert response.status_code == 400 and api_json(response)["code"] == "document_missing"
    assert not Binding.objects.exists() and not BindingDocument.objects.exists()


def test_the_officers_review_through_the_api(client, world):
    binding = pending(world)
    pending(world, make_detainee(world.other_centre))
    reviews = api_json(client.get(f"{API}/binding-reviews", **bearer_for(world.officer)))
    assert [b["id"] for b in reviews] == [binding.pk] and reviews[0]["lawyer"] == world.lawyer.name
    officer = bearer_for(world.officer)
    too_long = client.post(
        f"{API}/bindings/{binding.pk}/return", {"reason": "字" * 301}, content_type="application/json", **officer
    )
    assert too_long.status_code in (400, 422)
    assert api_json(client.post(f"{API}/bindings/{binding.pk}/pass", **officer))["status"] == "verifying"
    assert api_json(client.post(f"{API}/bindings/{binding.pk}/verify", **officer))["status"] == "active"
    again = client.post(f"{API}/bindings/{binding.pk}/verify", **officer)
    assert again.status_code == 409 and api_json(again)["code"] == "wrong_status"


def test_revocation_through_the_api_is_scoped_and_needs_the_document(client, world):
    binding = bind(world.lawyer, make_detainee(world.centre))
    url = f"{API}/bindings/{binding.pk}/revoke"
    for user in (world.other_officer, world.lawyer, world.judge):
        response = client.post(url, {"document": upload(PDF)}, **bearer_for(user))
        assert response.status_code == 404, user
    response = client.post(url, {"note": "无附件"}, **bearer_for(world.officer))
    assert response.status_code == 400 and api_json(response)["code"] == "document_missing"
    response = client.post(
        url, {"document": upload(PDF, "解除.pdf"), "note": "委托人解除"}, **bearer_for(world.officer)
    )
    assert response.status_code == 200 and api_json(response)["status"] == "ended"
    assert Binding.objects.get(pk=binding.pk).ended_at <= timezone.now()


def test_resubmission_through_the_api_replaces_a_document(client, world):
    binding = pending(world)
    svc.binding_return(binding=binding, actor=Actor(world.officer), reason="律所函过期")
    response = client.post(
        f"{API}/bindings/{binding.pk}/resubmit",
        {"firm_letter": upload(PNG, "新律所函.png")},
        **bearer_for(world.lawyer),
    )
    assert response.status_code == 200 and api_json(response)["status"] == "pending"
    names = {d["kind"]: d["name"] for d in api_json(response)["documents"]}
    assert names["firm_letter"] == "新律所函.png"
