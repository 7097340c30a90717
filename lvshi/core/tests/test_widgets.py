"""The design system's date and time inputs render what the browser's
pickers read (ISO), whatever the language's own date format."""

from datetime import date, datetime, time

import pytest
from django import forms
from django.utils import translation

from lvshi.core import widgets


class _Form(forms.Form):
    day = forms.DateField(widget=widgets.DateInput())
    at = forms.TimeField(widget=widgets.TimeInput())
    when = forms.DateTimeField(widget=widgets.DateTimeInput())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dates_and_times_render_in_iso_for_the_browser_s_pickers(language):
    initial = {"day": date(1995, 3, 16), "at": time(9, 5), "when": datetime(2026, 3, 16, 9, 5)}
    with translation.override(language):
        html = str(_Form(initial=initial))
    assert 'type="date" name="day" value="1995-03-16"' in html
    assert 'type="time" name="at" value="09:05"' in html
    assert 'type="datetime-local" name="when" value="2026-03-16T09:05"' in html


def test_what_the_pickers_send_back_is_read():
    form = _Form({"day": "1995-03-16", "at": "09:05", "when": "2026-03-16T09:05"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(1995, 3, 16) and form.cleaned_data["at"] == time(9, 5)


def test_django_s_messages_speak_the_platform_s_words():
    """The project's catalogue overrides Django's wording: 您, and what to do next."""
    with translation.override("zh-hans"):
        errors = _Form({"day": "", "at": "25:00", "when": "x"}).errors
    assert errors["day"] == ["请填写此项。"]
    assert errors["at"] == ["请输入有效的时间，例如 09:30。"]
    assert errors["when"] == ["请输入有效的日期和时间，例如 2026-03-16 09:30。"]
