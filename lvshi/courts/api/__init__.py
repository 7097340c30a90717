"""Court services in the JSON API (``/api/v1/courts/``), one module per area."""

from ninja import Field, Router, Schema

from lvshi.orgs import permissions

from .. import selectors
from ..models import CaseType, CourtLevel
from . import cases, casework, fees, filings, hearings, reviews

router = Router(tags=["courts"])


class CourtOut(Schema):
    id: int
    name: str
    code: str = Field(description="法院代字，如 渝01")
    level: CourtLevel
    region: str
    address: str
    phone: str
    case_types: list[CaseType] = Field(description="网上立案受理的案件类型代字")


@router.get("", response=list[CourtOut], auth=None, url_name="courts", summary="法院列表（公开）")
@permissions.operation(permissions.PUBLIC)
def list_courts(request):
    return [
        {
            "id": c.pk,
            "name": c.organisation.name,
            "code": c.code,
            "level": c.level,
            "region": c.organisation.region_name,
            "address": c.organisation.address,
            "phone": c.organisation.phone,
            "case_types": c.case_types,
        }
        for c in selectors.public_courts()
    ]


router.add_router("", cases.router)
router.add_router("", filings.router)
router.add_router("", fees.router)
router.add_router("", hearings.router)
router.add_router("", casework.router)
router.add_router("", reviews.router)
