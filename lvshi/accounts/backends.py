from django.contrib.auth.backends import ModelBackend


class IdentityBackend(ModelBackend):
    """Password authentication by ID number or licence number.

    ``UserManager.get_by_natural_key`` resolves the log-in name; ModelBackend
    does the rest, including its timing-equalising hash for unknown users.
    """
