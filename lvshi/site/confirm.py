"""Nothing irreversible on one click: the confirmation step of the design
system (docs/design.md).

A view of an irreversible action (cancel, end, withdraw, deactivate, reject,
return) answers GET, and a POST that lacks the confirmation's mark, with a
page that says what will happen and, where the rule needs one, asks for the
reason; only the POST from that page (``confirmed=1``) acts. Without
JavaScript it is a page of its own; for htmx (a link with ``hx-get`` into
``#dialog``) the same content comes as a dialog over the current page::

    if not confirm.confirmed(request):
        return confirm.ask(request, confirm.Confirmation(title=…, consequence=…, …))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lvshi.core.text import StrOrPromise

MARK = "confirmed"


@dataclass(frozen=True)
class Reason:
    """The reason asked on the confirmation (required where the rule needs one)."""

    label: StrOrPromise
    required: bool = True
    max_length: int = 300
    help: StrOrPromise = ""


@dataclass(frozen=True)
class Confirmation:
    title: StrOrPromise
    """What is about to happen, as a heading: 取消会见预约."""
    consequence: StrOrPromise
    """What follows, in a sentence: 取消后该时段将释放给其他律师，本操作不可撤销。"""
    button: StrOrPromise
    """The confirming button: 确认取消."""
    back_url: str
    facts: Sequence[tuple[StrOrPromise, str]] = field(default=())
    """What it is about (label, value): 会见时间 / 2026-12-07 09:00."""
    reason: Reason | None = None
    danger: bool = True
    hidden: Sequence[tuple[str, str]] = field(default=())
    """Fields the action needs posted again with the confirmation (name, value)."""


def confirmed(request: HttpRequest) -> bool:
    """True for the POST that the confirmation step sent."""
    return request.method == "POST" and request.POST.get(MARK) == "1"


def reason_of(request: HttpRequest) -> str:
    return (request.POST.get("reason") or "").strip()


def ask(
    request: HttpRequest, confirmation: Confirmation, *, error: StrOrPromise = "", status: int = 200
) -> HttpResponse:
    """The confirmation page (or, for htmx, its dialog) for *confirmation*,
    posting back to the URL it was asked at; *error* is shown above the
    reason when the last try was refused (an empty reason)."""
    htmx = getattr(request, "htmx", False)
    template = "site/confirm.html#dialog" if htmx else "site/confirm.html"
    context = {
        "c": confirmation,
        "action_url": request.path,
        "error": error,
        "reason_value": reason_of(request) if request.method == "POST" else "",
        "mark": MARK,
    }
    return render(request, template, context, status=status)
