"""Registration, profile, passwords and licence verification.

Every function here is one use case: keyword-only arguments, input checked,
business rules applied, the change and its audit event committed together,
and a :class:`~lvshi.core.errors.DomainError` raised (nothing changed) when a
rule refuses. Input errors carry ``details={"field": name}`` so that a form
can show the message next to the field it concerns."""

from .base import (  # noqa: F401
    NAME_MAX,
    REJECT_REASON_MAX,
    SMS_RESEND_SECONDS,
    _check_password,
    _clean,
    _clean_name,
    _field_error,
    _id_number_taken,
    _licence_taken,
    _registry_verdict,
    _revoke_api_tokens,
)
from .licences import (  # noqa: F401
    _licence_decide,
    licence_approve,
    licence_reject,
)
from .passwords import (  # noqa: F401
    _password_change_apply,
    _password_reset_apply,
    _password_set,
    _user_for_login_name,
    password_change,
    password_reset_confirm,
    password_reset_request,
)
from .profile import (  # noqa: F401
    _code_hash,
    _denied,
    _mobile_change_apply,
    _mobile_change_send,
    _new_code,
    _sms_code_attempt,
    _sms_code_consume,
    _sms_code_issue,
    _wrong_code,
    email_clean,
    licence_resubmit,
    mobile_change_confirm,
    mobile_change_request,
    profile_update,
)
from .registration import (  # noqa: F401
    lawyer_register,
)
