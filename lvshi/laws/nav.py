"""The library in the signed-in menu (everyone; it is public). Registered from ``LawsConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvshi.orgs import permissions
from lvshi.site.registry import nav


def register() -> None:
    nav.register("laws", label=_("法律法规"), url_name="laws:index", permission=permissions.SIGNED_IN, order=65)
