"""Message templates, one per kind of notification.

Each kind has a title, an inbox text, an SMS text and an e-mail subject and
body, written as Django template strings in Chinese. Texts are plain text:
the inbox page escapes them when it shows them. Each app declares the
kinds it sends in its own ``notifications.py`` and registers them from its
``AppConfig.ready()``; this module holds only the registry and the one kind
of its own, ``message`` (a text written by a person).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.template import Context, Engine
from django.utils.translation import gettext_lazy as _

from lvshi.core.text import StrOrPromise

SMS_SIGNATURE = "【律师服务平台】"

_engine = Engine(autoescape=False)

# A value that ends a sentence itself ("原因：材料不清晰。") followed by the
# template's own full stop would read "。。": the template's stop goes.
_DOUBLE_STOP = re.compile(r"([。！？!?；;…])。")


class UnknownKind(LookupError):
    """No template is registered under that kind."""


class MissingContext(ValueError):
    """The template needs a value the caller did not give."""


@dataclass(frozen=True)
class Rendered:
    kind: str
    title: str
    inbox: str
    sms: str
    email_subject: str
    email_body: str


@dataclass(frozen=True)
class Kind:
    key: str
    title: StrOrPromise
    inbox: StrOrPromise
    sms: StrOrPromise = ""
    email_subject: StrOrPromise = ""
    email_body: StrOrPromise = ""
    needs: tuple[str, ...] = field(default=())
    sensitive: bool = False
    """Sensitive texts (codes) are not kept after delivery."""

    def render(self, context: dict) -> Rendered:
        missing = [name for name in self.needs if context.get(name) in (None, "")]
        if missing:
            raise MissingContext(f"通知类型 {self.key} 缺少参数：{', '.join(missing)}")
        ctx = Context(context, autoescape=False)

        def fill(text) -> str:
            return _DOUBLE_STOP.sub(r"\1", _engine.from_string(str(text)).render(ctx)).strip() if text else ""

        title = fill(self.title)
        inbox = fill(self.inbox)
        sms = fill(self.sms) or inbox
        return Rendered(
            kind=self.key,
            title=title,
            inbox=inbox,
            sms=f"{SMS_SIGNATURE}{sms}",
            email_subject=fill(self.email_subject) or title,
            email_body=fill(self.email_body) or inbox,
        )


_registry: dict[str, Kind] = {}


def register_kinds(kinds: Iterable[Kind]) -> None:
    """Register an app's kinds (from its ``AppConfig.ready()``)."""
    for kind in kinds:
        register_kind(kind)


def register_kind(kind: Kind) -> Kind:
    if kind.key in _registry and _registry[kind.key] != kind:
        raise ValueError(f"notification kind {kind.key!r} is already registered with different texts")
    _registry[kind.key] = kind
    return kind


def get_kind(key: str) -> Kind:
    try:
        return _registry[key]
    except KeyError:
        known = ", ".join(sorted(_registry))
        raise UnknownKind(f"未知的通知类型 {key!r}；已登记的类型：{known}") from None


def all_kinds() -> list[Kind]:
    return [_registry[k] for k in sorted(_registry)]


# A text a person wrote (a judge's reply, an officer's note): title and body as given.
MESSAGE = register_kind(Kind(key="message", title=_("{{ title }}"), inbox=_("{{ body }}"), needs=("title", "body")))
