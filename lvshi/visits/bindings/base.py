from __future__ import annotations

from .. import flows
from ..models import (
    Binding,
    BindingStatus,
    DocumentKind,
)

REASON_MAX = 300

# Documents of the pre-check; the legal-aid letter only for legal-aid cases.
REQUIRED_DOCUMENTS = (DocumentKind.POWER_OF_ATTORNEY, DocumentKind.LICENCE, DocumentKind.FIRM_LETTER)
SUBMIT_DOCUMENTS = (*REQUIRED_DOCUMENTS, DocumentKind.LEGAL_AID_LETTER)

S = BindingStatus


FLOW = flows.BINDING
# Kept for readers of the table: name -> transition.
TRANSITIONS = FLOW.by_name


def can(binding: Binding, transition: str) -> bool:
    """Whether *binding*'s current status allows *transition* (for showing buttons)."""
    return FLOW.can(binding, transition)
