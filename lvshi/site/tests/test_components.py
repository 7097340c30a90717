"""The design system's components (docs/design.md) and the rule that pages
use them instead of their own copies."""

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from lvshi.site import components
from lvshi.visits.tests.factories import bind, make_detainee

ROOT = Path(__file__).resolve().parents[3]
# Printed documents (templates/**/pdf/) are not pages.
TEMPLATES = [
    p for p in (ROOT / "lvshi").rglob("templates/**/*.html") if "components" not in p.parts and "pdf" not in p.parts
]
# Pages outside the site's layout of header and breadcrumbs: the sign-in cards,
# the home pages, the error pages and the confirmation (its own dialog).
OWN_HEADING = {
    "login.html",
    "logout.html",
    "locked_out.html",
    "otp_verify.html",
    "otp_setup.html",
    "two_factor.html",
    "landing.html",
    "home.html",
    "confirm.html",
    "_body.html",
}


def test_pages_use_the_page_header_and_the_form_components():
    own = []
    for path in TEMPLATES:
        text = path.read_text()
        rel = path.relative_to(ROOT)
        if "<h1" in text and path.name not in OWN_HEADING:
            own.append(f"{rel}: its own <h1> (use components/page_header.html)")
        if re.search(r"non_field_errors %\}<div", text):
            own.append(f"{rel}: its own error block (use components/form_errors.html)")
        if 'class="table-scroll"' in text and "month" not in path.name:
            own.append(f"{rel}: a table that scrolls sideways (use table.stack-table)")
    assert not own, "\n".join(own)


def test_steps_mark_the_done_the_current_and_the_rest():
    steps = components.steps(["一", "二", "三"], 1)
    assert [s["state"] for s in steps] == ["done", "current", "todo"]
    html = render_to_string("components/steps.html", {"steps": steps})
    assert html.count('aria-current="step"') == 1 and "（已完成）" in html


@pytest.mark.django_db
def test_a_form_that_comes_back_lists_each_error_with_a_link_to_its_field(world, login):
    detainee = make_detainee(world.centre, name="张三")
    page = login(world.officer).post(
        reverse("visits:detainee_detail", args=[detainee.pk]), {"name": "", "gender": "x", "birth_date": "1995-03-16"}
    )
    assert page.status_code == 400
    html = page.content.decode()
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#id_name"' in summary and 'href="#id_gender"' in summary
    assert 'id="id_name"' in html  # the link's target exists


@pytest.mark.django_db
def test_a_detail_page_says_where_it_sits(world, login):
    detainee = make_detainee(world.centre, name="张三")
    html = login(world.officer).get(reverse("visits:detainee_detail", args=[detainee.pk])).content.decode()
    crumbs = html.split('class="crumbs"', 1)[1].split("</nav>", 1)[0]
    assert reverse("site:home") in crumbs and reverse("visits:detainees") in crumbs
    assert '<li aria-current="page">张三</li>' in crumbs
    assert html.count("<h1") == 1


@pytest.mark.django_db
def test_the_booking_form_shows_its_step(world, login):
    detainee = make_detainee(world.centre, name="张三")
    bind(world.lawyer, detainee)
    web = login(world.lawyer)

    def current(query: str) -> str:
        page = web.get(reverse("visits:book") + query).content.decode()
        steps = page.split('class="steps"', 1)[1].split("</ol>", 1)[0]
        return steps.split('aria-current="step"', 1)[1].split("</li>", 1)[0]

    assert "选择看守所" in current("")
    assert "选择在押人员" in current(f"?centre={world.centre.pk}")
    assert "选择日期" in current(f"?centre={world.centre.pk}&detainee={detainee.pk}")


@pytest.mark.django_db
def test_an_empty_list_says_what_to_do_next(world, login):
    page = login(world.lawyer).get(reverse("visits:waitlist")).content.decode()
    empty = page.split('class="empty-state"', 1)[1].split("</div>", 1)[0]
    assert "您还没有候补。" in empty and reverse("visits:book") in empty
