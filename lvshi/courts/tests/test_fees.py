"""The fee schedule (诉讼费用交纳办法 第十三条) at each bracket's edge."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lvshi.courts.fees import BRACKETS, MAX_CLAIM, property_case_fee


@pytest.mark.parametrize(
    ("claim", "fee"),
    [
        ("0", "50.00"),
        ("10000", "50.00"),
        ("10001", "50.03"),  # 50 + 1 × 2.5 % = 50.025, half up
        ("100000", "2300.00"),  # 50 + 90,000 × 2.5 %
        ("100001", "2300.02"),
        ("200000", "4300.00"),
        ("500000", "8800.00"),
        ("1000000", "13800.00"),  # the example
        ("2000000", "22800.00"),
        ("5000000", "46800.00"),
        ("10000000", "81800.00"),
        ("20000000", "141800.00"),
        ("30000000", "191800.00"),
    ],
)
def test_the_fee_at_each_edge(claim, fee):
    assert property_case_fee(Decimal(claim)) == Decimal(fee)


def test_the_simplified_procedure_halves_the_fee():
    assert property_case_fee(Decimal("1000000"), simplified=True) == Decimal("6900.00")
    assert property_case_fee(Decimal("10000"), simplified=True) == Decimal("25.00")


@pytest.mark.parametrize("claim", [Decimal("-1"), MAX_CLAIM + 1, Decimal("NaN"), Decimal("Infinity"), 100, 1.5])
def test_a_claim_out_of_range_is_refused(claim):
    with pytest.raises(ValueError):
        property_case_fee(claim)


claims = st.decimals(min_value=0, max_value=Decimal("50000000"), places=2, allow_nan=False, allow_infinity=False)


@given(claims, claims)
def test_a_larger_claim_never_costs_less(a, b):
    low, high = sorted((a, b))
    assert property_case_fee(low) <= property_case_fee(high)


@given(claims)
def test_one_more_yuan_costs_at_most_the_highest_rate(claim):
    step = property_case_fee(claim + 1) - property_case_fee(claim)
    assert Decimal("0") <= step <= max(rate for _, rate in BRACKETS) + Decimal("0.01")
