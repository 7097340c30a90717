from django.urls import path

from .views import login as login_views
from .views import register as register_views

app_name = "accounts"

urlpatterns = [
    # --- sign-in, sign-out, two-factor ---
    path("login/", login_views.login_view, name="login"),
    path("logout/", login_views.logout_view, name="logout"),
    path("otp/verify/", login_views.otp_verify, name="otp_verify"),
    path("otp/resend/", login_views.otp_resend, name="otp_resend"),
    path("otp/setup/", login_views.otp_setup, name="otp_setup"),
    path("two-factor/", login_views.two_factor, name="two_factor"),
    # --- registration, profile, passwords, licence verification ---
    path("register/", register_views.register, name="register"),
    path("profile/", register_views.profile, name="profile"),
    path("profile/licence/", register_views.profile_licence, name="profile_licence"),
    path("profile/mobile/", register_views.profile_mobile, name="profile_mobile"),
    path("profile/mobile/confirm/", register_views.profile_mobile_confirm, name="profile_mobile_confirm"),
    path("password/change/", register_views.password_change, name="password_change"),
    path("password/reset/", register_views.password_reset, name="password_reset"),
    path("password/reset/confirm/", register_views.password_reset_confirm, name="password_reset_confirm"),
    path("licences/", register_views.licence_queue, name="licence_queue"),
    path("licences/<int:user_id>/approve/", register_views.licence_approve, name="licence_approve"),
    path("licences/<int:user_id>/reject/", register_views.licence_reject, name="licence_reject"),
]
