"""Meetings in the JSON API (``/api/v1/visits/``), one module per area.
Each module has its own router; this one joins them."""

from ninja import Router

from . import booking

router = Router(tags=["visits"])
router.add_router("", booking.router)
