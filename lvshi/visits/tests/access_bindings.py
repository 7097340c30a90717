"""Access rules of the binding pages and API operations, for the access
sweep (``tests/test_access.py``)."""

from __future__ import annotations

from tests.access import API_TOKEN, LOGIN, Access, Kwargs


def _binding(lawyer_attr: str, centre_attr: str, status: str, *, key: str = "binding_id") -> Kwargs:
    """A binding of ``world.<lawyer_attr>`` to a new detainee of ``world.<centre_attr>`` in *status*."""

    def make(world):
        from django.utils import timezone

        from lvshi.visits.models import Binding
        from lvshi.visits.tests.factories import make_detainee

        binding = Binding.objects.create(
            lawyer=getattr(world, lawyer_attr),
            detainee=make_detainee(getattr(world, centre_attr)),
            status=status,
            seat=1 if status == "active" else None,
            return_reason="委托书缺少签名" if status == "returned" else "",
            submitted_at=timezone.now(),
        )
        return {key: binding.pk}

    return make


def _document(lawyer_attr: str, centre_attr: str) -> Kwargs:
    """A stored power of attorney of such a binding."""

    def make(world):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from lvshi.core.tests.files import PDF
        from lvshi.core.uploads import check_upload, store_upload
        from lvshi.visits.models import Binding, BindingDocument

        binding = Binding.objects.get(pk=_binding(lawyer_attr, centre_attr, "pending")(world)["binding_id"])
        checked = check_upload(SimpleUploadedFile("委托书.pdf", PDF), label="委托书")
        doc = BindingDocument(
            binding=binding,
            kind="power_of_attorney",
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=binding.lawyer,
        )
        store_upload(doc.file, checked)
        doc.save()
        return {"document_id": doc.pk}

    return make


LAWYER_ONLY = ("officer", "judge", "bureau_clerk")
OFFICER_ONLY = ("lawyer", "judge", "bureau_clerk")


def _lawyers(status: str, **extra) -> dict:
    return {
        "persona": "lawyer",
        "mine": _binding("lawyer", "centre", status),
        "theirs": _binding("other_lawyer", "centre", status),
        "denied": ("officer", "other_lawyer"),
        **extra,
    }


def _officers(status: str, **extra) -> dict:
    return {
        "persona": "officer",
        "mine": _binding("lawyer", "centre", status),
        "theirs": _binding("lawyer", "other_centre", status),
        "denied": ("lawyer", "other_officer", "judge"),
        **extra,
    }


_documents = {
    "persona": "lawyer",
    "mine": _document("lawyer", "centre"),
    "theirs": _document("other_lawyer", "centre"),
    "denied": ("other_lawyer", "other_officer", "judge", "bureau_clerk"),
}

PAGES = {
    "visits:bindings": Access(LOGIN, denied=LAWYER_ONLY),
    "visits:binding_submit": Access(LOGIN, denied=LAWYER_ONLY),
    "visits:binding_resubmit": Access(LOGIN, **_lawyers("returned")),
    "visits:binding_withdraw": Access(LOGIN, method="post", **_lawyers("pending")),
    "visits:binding_end": Access(LOGIN, method="post", **_lawyers("active")),
    "visits:binding_document": Access(LOGIN, **_documents),
    "visits:binding_queue": Access(LOGIN, denied=OFFICER_ONLY),
    "visits:binding_review": Access(LOGIN, **_officers("pending")),
    "visits:binding_pass": Access(LOGIN, method="post", **_officers("pending")),
    "visits:binding_return": Access(LOGIN, **_officers("pending")),
    "visits:binding_verify": Access(LOGIN, method="post", **_officers("verifying")),
    "visits:binding_revoke": Access(LOGIN, **_officers("active")),
}

API = {
    # "GET /api/v1/visits/bindings" keeps its entry in tests/test_access.py.
    "POST /api/v1/visits/bindings": Access(
        API_TOKEN,
        body=lambda world: {"centre_id": world.centre.pk, "detainee_name": "张三", "centre_number": "J00001"},
        denied=LAWYER_ONLY,
    ),
    "POST /api/v1/visits/bindings/{binding_id}/resubmit": Access(API_TOKEN, **_lawyers("returned")),
    "POST /api/v1/visits/bindings/{binding_id}/withdraw": Access(API_TOKEN, **_lawyers("pending")),
    "POST /api/v1/visits/bindings/{binding_id}/end": Access(API_TOKEN, **_lawyers("active")),
    "GET /api/v1/visits/bindings/{binding_id}/history": Access(
        API_TOKEN,
        persona="lawyer",
        mine=_binding("lawyer", "centre", "pending"),
        theirs=_binding("other_lawyer", "centre", "pending"),
        denied=("other_lawyer", "other_officer", "judge", "bureau_clerk"),
    ),
    "GET /api/v1/visits/binding-documents/{document_id}": Access(API_TOKEN, **_documents),
    "GET /api/v1/visits/binding-reviews": Access(API_TOKEN, denied=OFFICER_ONLY),
    "POST /api/v1/visits/bindings/{binding_id}/pass": Access(API_TOKEN, **_officers("pending")),
    "POST /api/v1/visits/bindings/{binding_id}/return": Access(
        API_TOKEN, body=lambda world: {"reason": "委托书缺少委托人签名"}, **_officers("pending")
    ),
    "POST /api/v1/visits/bindings/{binding_id}/verify": Access(API_TOKEN, **_officers("verifying")),
    # Multipart with the revocation document: the sweep's JSON request cannot
    # carry it, so scope and roles are tested in test_bindings_web.py.
    "POST /api/v1/visits/bindings/{binding_id}/revoke": Access(API_TOKEN),
}
