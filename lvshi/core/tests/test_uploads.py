"""Uploads are judged by their content, within a size limit, stored under a
random name and served as attachments with the read audited."""

import hashlib

import pytest

from lvshi.audit.downloads import serve_download
from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.core.uploads import DOCUMENT_TYPES, check_upload, store_upload

from .files import EXE, HTML, JPEG, PDF, PNG, ZIP, pdf_of_size, upload


def refused(code, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        check_upload(*args, **kwargs)
    assert info.value.code == code
    return info.value


@pytest.mark.parametrize(("content", "expected"), [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")])
def test_pdf_jpeg_and_png_are_accepted_by_content(content, expected):
    checked = check_upload(upload(content, "scan.bin", "application/octet-stream"), label="委托书")
    assert checked.content_type == expected
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_a_pdf_name_holding_png_bytes_is_a_png():
    checked = check_upload(upload(PNG, "委托书.pdf", "application/pdf"), label="委托书")
    assert checked.content_type == "image/png"
    assert checked.extension == "png"
    assert checked.name == "委托书.pdf"


@pytest.mark.parametrize(("content", "what"), [(ZIP, "ZIP 压缩包"), (HTML, "HTML 网页"), (EXE, "Windows 可执行程序")])
def test_a_pdf_name_holding_something_else_is_refused_with_what_was_received(content, what):
    error = refused("file_type", upload(content, "委托书.pdf", "application/pdf"), label="委托书")
    assert what in error.message
    assert "PDF、JPEG、PNG" in error.message
    assert "委托书.pdf" in error.message


def test_allowed_types_are_chosen_per_call():
    assert check_upload(upload(PDF), label="判决书", allowed=["application/pdf"]).content_type == "application/pdf"
    error = refused("file_type", upload(PNG, "a.png", "image/png"), label="判决书", allowed=["application/pdf"])
    assert "请上传PDF格式" in error.message


def test_the_size_limit_holds_to_the_byte(settings):
    settings.UPLOAD_MAX_BYTES = 2048
    assert check_upload(upload(pdf_of_size(2048)), label="委托书").size == 2048
    error = refused("file_too_large", upload(pdf_of_size(2049)), label="委托书")
    assert "2 KB" in error.message


def test_the_default_limit_is_ten_megabytes(settings):
    del settings.UPLOAD_MAX_BYTES
    assert check_upload(upload(pdf_of_size(10 * 1024 * 1024)), label="委托书")
    refused("file_too_large", upload(pdf_of_size(10 * 1024 * 1024 + 1)), label="委托书")


def test_an_empty_file_and_no_file_are_refused():
    assert "空文件" in refused("file_empty", upload(b""), label="委托书").message
    assert "请上传委托书" in refused("file_missing", None, label="委托书").message


def test_the_users_folder_never_reaches_the_name():
    assert check_upload(upload(PDF, "../../etc/委托书.pdf"), label="委托书").name == "委托书.pdf"
    assert check_upload(upload(PDF, "C:\\Users\\x\\a.pdf"), label="委托书").name == "a.pdf"


def test_document_types_are_pdf_jpeg_png():
    assert set(DOCUMENT_TYPES) == {"application/pdf", "image/jpeg", "image/png"}


@pytest.mark.django_db
def test_stored_under_a_random_name_and_served_as_an_audited_attachment(world, rf, settings, tmp_path):
    from lvshi.visits.models import BindingDocument

    settings.MEDIA_ROOT = tmp_path
    checked = check_upload(upload(PNG, "委托书.pdf"), label="委托书")
    doc = BindingDocument(name=checked.name)
    store_upload(doc.file, checked)
    assert doc.file.name.startswith("visits/bindings/") and doc.file.name.endswith(".png")
    assert "委托书" not in doc.file.name
    assert (tmp_path / doc.file.name).read_bytes() == PNG

    request = rf.get("/x")
    request.user = world.officer
    audit = world.centre  # any object with a scope
    response = serve_download(
        doc.file,
        name="委托书.pdf",
        content_type="image/png",
        audit_action="test.download",
        obj=audit,
        actor=Actor.of(request, user=world.officer),
    )
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PNG
    assert AuditEvent.objects.filter(action="test.download", actor_id=world.officer.pk).exists()
