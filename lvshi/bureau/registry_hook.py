"""The registry's answer to sign-up (``lvshi.accounts.licences``)."""

from __future__ import annotations

from lvshi.accounts.licences import RegistryEntry

from .models import Lawyer, LawyerStatus


def look_up(licence_nos: list[str]) -> dict[str, RegistryEntry]:
    rows = Lawyer.objects.filter(licence_no__in=licence_nos).values_list("licence_no", "name", "status")
    labels = dict(LawyerStatus.choices)
    return {
        number: RegistryEntry(
            name=name,
            status=status,
            status_label=str(labels.get(status, status)),
            practising=status == LawyerStatus.PRACTISING,
        )
        for number, name, status in rows
    }
