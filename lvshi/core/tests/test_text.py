"""One text check for every service: the limit comes from the model field."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lvshi.core.errors import DomainError
from lvshi.core.text import clean_text
from lvshi.visits.models import Detainee, Notice

NAME = (Detainee, "name")


def test_strips_and_keeps_a_value_within_the_field():
    assert clean_text("  张三 ", field=NAME) == "张三"
    assert clean_text(None, field=NAME) == ""


def test_the_limit_is_the_model_field_s_max_length_and_the_message_names_the_field():
    limit = Detainee._meta.get_field("name").max_length
    assert clean_text("字" * limit, field=NAME) == "字" * limit
    with pytest.raises(DomainError) as refused:
        clean_text("字" * (limit + 1), field=NAME)
    assert refused.value.code == "name_too_long"
    assert f"姓名不能超过{limit}字" in refused.value.message


def test_required_refuses_blank_with_the_given_message():
    with pytest.raises(DomainError) as refused:
        clean_text(" \n ", field=(Notice, "title"), required="请填写通知标题。")
    assert (refused.value.code, refused.value.message) == ("title_required", "请填写通知标题。")


def test_code_and_label_may_be_named():
    with pytest.raises(DomainError) as refused:
        clean_text("x" * 101, field=(Notice, "title"), code="notice_title", label="通知标题")
    assert refused.value.code == "notice_title_too_long" and "通知标题" in refused.value.message


def test_without_a_field_the_caller_gives_code_label_and_limit():
    assert clean_text("ok", field=None, code="reason", label="原因", limit=3) == "ok"
    with pytest.raises(DomainError):
        clean_text("four", field=None, code="reason", label="原因", limit=3)
    with pytest.raises(TypeError):
        clean_text("x", field=None)


@pytest.mark.parametrize("bad", ["a\x00b", "a\ud800b"])
def test_characters_no_database_stores_are_refused(bad):
    with pytest.raises(DomainError) as refused:
        clean_text(bad, field=NAME)
    assert refused.value.code == "name_invalid"


@given(st.text(max_size=120))
def test_any_text_is_either_returned_within_the_limit_or_refused(value):
    try:
        text = clean_text(value, field=NAME)
    except DomainError as refused:
        assert refused.code in {"name_too_long", "name_invalid"}
    else:
        assert len(text) <= 50 and text == text.strip()
