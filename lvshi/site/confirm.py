"""Nothing irreversible on one click: the confirmation step of the design
system (docs/design.md).

A view of an irreversible action without a form of its own (cancel, end,
withdraw, deactivate, stop) answers GET, and a POST that lacks the
confirmation's mark, with a page that says what will happen; only the POST
from that page (``confirmed=1``) acts. Actions that need a reason (reject,
return, revoke) have their own form page, which says the same. Without
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
    danger: bool = True
    hidden: Sequence[tuple[str, str]] = field(default=())
    """Fields the action needs posted again with the confirmation (name, value)."""


def confirmed(request: HttpRequest) -> bool:
    """True for the POST that the confirmation step sent."""
    return request.method == "POST" and request.POST.get(MARK) == "1"


def ask(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    """The confirmation page (or, for htmx, its dialog) for *confirmation*,
    posting back to the URL it was asked at."""
    htmx = getattr(request, "htmx", False)
    template = "site/confirm.html#dialog" if htmx else "site/confirm.html"
    context = {"c": confirmation, "action_url": request.path, "mark": MARK}
    return render(request, template, context)
