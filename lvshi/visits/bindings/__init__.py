"""Bindings (委托关系, V3): the lawyer's pre-check online, the centre's review,
the one in-person verification, and the ways a binding ends.

The flow is a state machine, declared once in :data:`FLOW`
(:mod:`lvshi.audit.workflow`): each transition names the states it may start
from, who may make it and whether it needs a reason, and is carried out by
one conditional ``UPDATE … WHERE status IN (…)``, so two officers (or an
officer and the lawyer) never both succeed. ::

    submit ─▶ pending ──pass──▶ verifying ──verify──▶ active ──revoke / end──▶ ended
                │  ▲                │
         return │  │ resubmit       │ return
                ▼  │                ▼
              returned ◀────────────┘
    pending / returned / verifying ──withdraw──▶ withdrawn

An active binding holds one of the detainee's two seats; verification takes
it under the detainee's row lock, and the database backs the limits (seat
unique among active bindings, one active (case, lawyer) pair, an active
binding has a seat). Ending a binding cancels the lawyer's future bookings
with that detainee, releasing their rooms."""

from .base import (  # noqa: F401
    FLOW,
    REASON_MAX,
    REQUIRED_DOCUMENTS,
    SUBMIT_DOCUMENTS,
    TRANSITIONS,
    S,
    can,
)
from .centre import (  # noqa: F401
    _free_seat,
    _lock_detainee,
    binding_create,
    binding_end,
    binding_pass,
    binding_return,
    binding_revoke,
    binding_verify,
)
from .lawyer import (  # noqa: F401
    binding_resubmit,
    binding_submit,
    binding_withdraw,
)
from .selectors import (  # noqa: F401
    _documents_prefetch,
    active_count,
    bindings_of,
    current_documents,
    review_counts,
    review_queue,
    seats_warning,
    submit_centres,
)
from .steps import (  # noqa: F401
    CO_DEFENDANT_MESSAGE,
    _audit,
    _cancel_future_bookings,
    _check_documents,
    _co_defendant_bindings,
    _context,
    _move,
    _reason,
    _starts_at,
    _store,
)
