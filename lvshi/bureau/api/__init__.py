"""Lawyer administration in the JSON API: ``/api/v1/bureau/`` (signed in)
and ``/api/v1/public/`` (the public lookup), one module per area."""

from ninja import Router

from . import applications, cases, corrections, discipline, imports, public, registry, reports

router = Router(tags=["bureau"])
router.add_router("", registry.router)
router.add_router("", applications.router)
router.add_router("", imports.router)
router.add_router("", reports.router)
router.add_router("", cases.router)
router.add_router("", discipline.router)
router.add_router("", corrections.router)

public_router = public.router
