"""Hooks for django-axes: which account and which address a login attempt
counts against, and what a locked-out client sees."""

from django.http import JsonResponse
from django.shortcuts import render

from lvshi.core import crypto
from lvshi.core.middleware import client_ip

from .models import lookup_for_login_name

LOCKED_MESSAGE = "登录失败次数过多，账户或当前网络已被锁定30分钟，请稍后再试或通过“找回密码”重置。"


def axes_username(request, credentials):
    """Count failures per account: the ID number's blind index or the
    licence number, so 'x' and 'X' spellings count as one account."""
    raw = (credentials or {}).get("username") or ""
    if not raw and request is not None:
        raw = request.POST.get("username", "")
    lookup = lookup_for_login_name(raw)
    return (lookup.get("licence_no") and crypto.blind_index(lookup["licence_no"], purpose="licence")) or lookup.get(
        "id_number_hash"
    )


def axes_client_ip(request):
    return client_ip(request)


def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "message": LOCKED_MESSAGE}, status=429)
    return render(request, "accounts/locked_out.html", {"message": LOCKED_MESSAGE}, status=429)
