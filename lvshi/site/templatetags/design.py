"""Template tags of the design system (docs/design.md)."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context: dict[str, Any], **changes: Any) -> str:
    """``?…``: the current page's query string with *changes* (a value of
    None removes the parameter), so a tab or a page link keeps the list's
    other filters: ``{% query page=3 %}``, ``{% query status="approved" page=None %}``."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for name, value in changes.items():
        if value is None or value == "":
            params.pop(name, None)
        else:
            params[name] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
