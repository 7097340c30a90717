"""Resident ID numbers (GB 11643), licence and mobile numbers."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from lvshi.accounts.identity import (
    PROVINCE_CODES,
    check_char,
    mask_id_number,
    mask_mobile,
    normalize_id_number,
    normalize_licence_no,
    normalize_mobile,
)

TODAY = date(2026, 6, 1)


def _code(exc_info) -> str:
    return exc_info.value.code


def _message(exc_info) -> str:
    return " ".join(str(m) for m in exc_info.value.messages)


@st.composite
def valid_id_numbers(draw, *, lower_x: bool = False):
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    rest_of_region = draw(st.integers(min_value=1, max_value=9999))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{province:02d}{rest_of_region:04d}{born:%Y%m%d}{sequence:03d}"
    value = first17 + check_char(first17)
    return value.lower() if lower_x else value


@given(valid_id_numbers())
def test_every_valid_number_is_accepted_unchanged(value):
    assert normalize_id_number(value, today=TODAY) == value


@given(valid_id_numbers(lower_x=True))
def test_lower_case_x_is_accepted_and_stored_upper_case(value):
    result = normalize_id_number(value, today=TODAY)
    assert result == value.upper()
    assert result == result.upper()


@given(valid_id_numbers(), st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10))
def test_changing_any_one_character_is_refused(value, position, shift):
    alphabet = "0123456789X" if position == 17 else "0123456789"
    original = value[position]
    replacement = alphabet[(alphabet.index(original) + shift) % len(alphabet)]
    if replacement == original:
        replacement = alphabet[(alphabet.index(original) + 1) % len(alphabet)]
    changed = value[:position] + replacement + value[position + 1 :]
    with pytest.raises(ValidationError):
        normalize_id_number(changed, today=TODAY)


@given(st.text(max_size=40))
def test_random_input_never_crashes(raw):
    try:
        result = normalize_id_number(raw, today=TODAY)
    except ValidationError as exc:
        assert exc.messages and all(m.strip() for m in exc.messages)
    else:
        assert len(result) == 18
        assert result.isascii()
        assert result[:17].isdigit()
        assert result[17] == check_char(result[:17])


@given(st.dates(min_value=TODAY + timedelta(days=1), max_value=date(2099, 12, 31)), st.integers(0, 999))
def test_future_birth_dates_are_refused(born, sequence):
    first17 = f"310101{born:%Y%m%d}{sequence:03d}"
    with pytest.raises(ValidationError) as exc_info:
        normalize_id_number(first17 + check_char(first17), today=TODAY)
    assert _code(exc_info) == "birth_date"
    assert "出生日期" in _message(exc_info)


@given(st.from_regex(r"\A[0-9]{15}\Z"))
def test_fifteen_digit_numbers_are_refused_with_the_reason(value):
    with pytest.raises(ValidationError) as exc_info:
        normalize_id_number(value, today=TODAY)
    assert _code(exc_info) == "legacy_15"
    assert "15位" in _message(exc_info)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


@given(valid_id_numbers(), st.data())
def test_full_width_input_is_refused_with_the_reason(value, data):
    start = data.draw(st.integers(min_value=0, max_value=17))
    end = data.draw(st.integers(min_value=start + 1, max_value=18))
    mixed = value[:start] + _fullwidth(value[start:end]) + value[end:]
    with pytest.raises(ValidationError) as exc_info:
        normalize_id_number(mixed, today=TODAY)
    assert _code(exc_info) == "fullwidth"
    assert "全角" in _message(exc_info)


def test_messages_say_what_is_wrong():
    good = "11010519491231002X"
    cases = {
        "": "required",
        "12345": "length",
        "11010519491231002Y": "characters",
        "99010519491231002X": "region",
        "11010519490231002X": "birth_date",
        "110105194912310021": "check_digit",
    }
    assert normalize_id_number(good, today=TODAY) == good
    for raw, code in cases.items():
        with pytest.raises(ValidationError) as exc_info:
            normalize_id_number(raw, today=TODAY)
        assert _code(exc_info) == code, raw


def test_other_scripts_digits_are_not_digits():
    arabic_indic = "".join(chr(0x0660 + int(c)) for c in "11010519491231002") + "X"
    with pytest.raises(ValidationError):
        normalize_id_number(arabic_indic, today=TODAY)


def test_masking_shows_only_the_ends():
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    assert mask_mobile("13912345678") == "139****5678"


def test_licence_numbers_are_seventeen_ascii_digits():
    assert normalize_licence_no(" 13101202010123456 ") == "13101202010123456"
    for bad in ("1310120201012345", "1310120201012345X", _fullwidth("13101202010123456")):
        with pytest.raises(ValidationError):
            normalize_licence_no(bad)


def test_mobile_numbers_are_normalised():
    assert normalize_mobile("+86 139-1234-5678") == "13912345678"
    for bad in ("12912345678", "1391234567", _fullwidth("13912345678")):
        with pytest.raises(ValidationError):
            normalize_mobile(bad)
