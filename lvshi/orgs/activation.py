"""One-time activation links for staff accounts an administrator creates.

The token is Django's password-reset token with its own salt: it is bound to
the account's password hash and last log-in, so it stops working as soon as
the password is set, and it expires after ``PASSWORD_RESET_TIMEOUT``.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "lvshi.orgs.activation.ActivationTokenGenerator"


activation_tokens = ActivationTokenGenerator()


def activation_path(user) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("orgs:activate", kwargs={"uidb64": uidb64, "token": activation_tokens.make_token(user)})
