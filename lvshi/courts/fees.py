"""Court fees of property cases (C3): 《诉讼费用交纳办法》第十三条第一项.

The fee is cumulative over brackets of the claim: 50 yuan up to 10,000
yuan, then each part of the claim at its bracket's rate. A case heard
under the simplified procedure (简易程序) pays half (第十六条). Amounts are
yuan as ``Decimal`` to the fen, rounded half up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
BASE_FEE = Decimal("50")
BASE_LIMIT = Decimal("10000")
# (upper limit of the bracket in yuan, or None for the last; rate of the part in it)
BRACKETS: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal("100000"), Decimal("0.025")),
    (Decimal("200000"), Decimal("0.02")),
    (Decimal("500000"), Decimal("0.015")),
    (Decimal("1000000"), Decimal("0.01")),
    (Decimal("2000000"), Decimal("0.009")),
    (Decimal("5000000"), Decimal("0.008")),
    (Decimal("10000000"), Decimal("0.007")),
    (Decimal("20000000"), Decimal("0.006")),
    (None, Decimal("0.005")),
)
# The largest claim the platform takes: a typing slip beyond it is refused.
MAX_CLAIM = Decimal("1000000000000")


def property_case_fee(claim: Decimal, *, simplified: bool = False) -> Decimal:
    """The acceptance fee (案件受理费) of a property case claiming *claim* yuan."""
    if not isinstance(claim, Decimal) or not claim.is_finite():
        raise ValueError("the claim must be a finite Decimal")
    if claim < 0 or claim > MAX_CLAIM:
        raise ValueError("the claim is out of range")
    fee = BASE_FEE
    lower = BASE_LIMIT
    for upper, rate in BRACKETS:
        if claim <= lower:
            break
        part = (claim if upper is None else min(claim, upper)) - lower
        fee += part * rate
        if upper is None:
            break
        lower = upper
    if simplified:
        fee /= 2
    return fee.quantize(FEN, rounding=ROUND_HALF_UP)
