"""Meetings in the JSON API (``/api/v1/visits/``), one module per area.
Each module has its own router; this one joins them."""

from ninja import Router

from . import bindings, booking, centres, contact, detainees, lockouts, public, records, stats, waitlist

router = Router(tags=["visits"])
router.add_router("", booking.router)
router.add_router("", lockouts.router)
router.add_router("", bindings.router)
router.add_router("", contact.router)
router.add_router("", public.router)
router.add_router("", records.router)
router.add_router("", stats.router)
router.add_router("", centres.router)
router.add_router("", detainees.router)
router.add_router("", waitlist.router)
