from django.urls import path  # noqa: F401

from .views import login as login_views  # noqa: F401
from .views import register as register_views  # noqa: F401

app_name = "accounts"

urlpatterns = [
    # --- sign-in, sign-out, two-factor ---
    # --- registration, profile, passwords, licence verification ---
]
