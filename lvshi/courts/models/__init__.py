"""The courts module's models, one module per area; import them from here."""

from .cases import Agent, BindAttempt, Case, CaseLink, CaseStatus, LinkVia, Party, PartyKind, PartyRole
from .courts import COURT_CODE, CaseNumberSequence, CaseType, Court, CourtLevel, CourtRoom, court_code_validator
from .filings import ApplicationType, FileKind, Filing, FilingFile, FilingStatus, ReturnCode
from .hearings import Hearing, HearingClaim, HearingRequest, HearingStatus, RequestKind, RequestStatus
from .payments import (
    CallbackRecord,
    NoticeStatus,
    Payment,
    PaymentNotice,
    PaymentStatus,
    ProviderKeys,
    ProviderName,
)

__all__ = [
    "COURT_CODE",
    "Agent",
    "ApplicationType",
    "BindAttempt",
    "CallbackRecord",
    "Case",
    "CaseLink",
    "CaseNumberSequence",
    "CaseStatus",
    "CaseType",
    "Court",
    "CourtLevel",
    "CourtRoom",
    "FileKind",
    "Filing",
    "FilingFile",
    "FilingStatus",
    "Hearing",
    "HearingClaim",
    "HearingRequest",
    "HearingStatus",
    "LinkVia",
    "NoticeStatus",
    "Party",
    "PartyKind",
    "PartyRole",
    "Payment",
    "PaymentNotice",
    "PaymentStatus",
    "ProviderKeys",
    "ProviderName",
    "RequestKind",
    "RequestStatus",
    "ReturnCode",
    "court_code_validator",
]
