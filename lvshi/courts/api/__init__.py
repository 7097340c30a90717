"""Court services in the JSON API (``/api/v1/courts/``), one module per area."""

from ninja import Router

from . import cases, fees, filings, hearings

router = Router(tags=["courts"])
router.add_router("", cases.router)
router.add_router("", filings.router)
router.add_router("", fees.router)
router.add_router("", hearings.router)
