"""Detention-centre meetings: centres' capacity, detainees and cases,
lawyers' bindings and bookings.

Capacity is kept by the database: one :class:`SlotLoad` row per centre, day,
slot start and room kind, whose ``taken`` never exceeds ``capacity`` (a CHECK
constraint), raised only by a conditional ``UPDATE … WHERE taken < capacity``."""

from .bindings import (  # noqa: F401
    MAX_LAWYERS_PER_DETAINEE,
    OPEN_BINDING,
    Binding,
    BindingDocument,
    BindingEndReason,
    BindingStatus,
    DocumentKind,
)
from .bookings import (  # noqa: F401
    HOLDING,
    HOLDING_Q,
    Booking,
    BookingStatus,
    SlotLoad,
)
from .centres import (  # noqa: F401
    CENTRE_KINDS,
    ROOM_KINDS,
    CentreConfig,
    ExtraSession,
    Room,
    RoomKind,
    SlotPattern,
    _default_sessions,
    _parse_hhmm,
)
from .contact import (  # noqa: F401
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    MeetingRequest,
    MeetingRequestRecipient,
    Notice,
)
from .detainees import (  # noqa: F401
    Case,
    CaseDefendant,
    Detainee,
    DetaineeStatus,
    Gender,
)
from .lockout import (  # noqa: F401
    Appeal,
    AppealStatus,
    BookingLock,
    CheckIn,
    LockStatus,
    Violation,
    ViolationStatus,
)
from .waitlist import (  # noqa: F401
    WAITLIST_OPEN,
    WaitlistEntry,
    WaitlistStatus,
)
