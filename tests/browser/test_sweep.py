"""Every demo role's pages in a real browser, on a phone (390 px) and a
desktop (1280 px): signed in as each demo account, every page of its
navigation and home page, and the first detail page of each list, must
show no horizontal scroll (``scrollWidth`` against the configured width:
with mobile emulation ``innerWidth`` grows to fit the content and would
hide the fault), no console error or CSP violation, one ``<h1>``, a label
for every form field, and on the phone every control at least 44×44 px
(links inside a sentence excepted, as WCAG 2.5.8 does). Screenshots of each
page stay under artifacts/browser/sweep/<account>/."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection

from lvshi.accounts.models import User
from lvshi.site.demo import account_table

from .fixtures import ARTIFACTS, session_cookie

# Pages render the same on either database; the sweep takes minutes, so it
# is part of the SQLite run (as the API fuzzing is).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the browser sweep is part of the SQLite run"),
]

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""

# What one page must satisfy, measured in the page itself.
INSPECT = """(phone) => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
      && !el.closest('.visually-hidden') && !el.closest('[hidden]');
  };
  const name = (el) => (el.id ? '#' + el.id : '') + ' '
    + (el.getAttribute('name') || el.textContent.trim().slice(0, 30));
  const unlabelled = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type)) continue;
    const labelled = (el.labels && el.labels.length)
      || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!labelled) unlabelled.push(name(el));
  }
  const small = [];
  if (phone) {
    for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary, [role=button]')) {
      if (!visible(el) || el.type === 'hidden' || el.classList.contains('skip-link')) continue;
      const r = el.getBoundingClientRect();
      if (r.width >= 44 && r.height >= 44) continue;
      // A checkbox or radio button's target is its label too (a tap on it ticks the box).
      if (['checkbox', 'radio'].includes(el.type) && [...(el.labels || [])].some((l) => {
        const b = l.getBoundingClientRect();
        return b.width >= 44 && b.height >= 44;
      })) continue;
      // A link inside a sentence (text beside it in the same block) is excepted, as in WCAG 2.5.8.
      if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
        const block = el.parentElement;
        const others = block ? block.textContent.replace(el.textContent, '').trim() : '';
        if (others.length > 0) continue;
      }
      small.push(`${el.tagName.toLowerCase()} ${name(el)} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  return {
    width: document.documentElement.scrollWidth,
    h1: document.querySelectorAll('h1').length,
    csp: window.__cspViolations || [],
    unlabelled,
    small,
    title: document.title,
  };
}"""


def _links(page, origin: str, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or parts.path.startswith(("/admin/", "/api/")):
            continue
        if parts.path.endswith((".ics", ".xlsx", ".pdf")) or re.search(r"download|documents?/|export", parts.path):
            continue  # files, not pages
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path not in paths:
            paths.append(path)
    return paths


# The public pages, then each demo account: one test each, so that the
# suite's workers share the sweep.
ACCOUNTS = [{"role": "anonymous", "name": "访客", "username": None}, *account_table()]


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEBUG = True  # seed_demo is for development and demo servers
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False


@pytest.mark.parametrize("account", ACCOUNTS, ids=[f"{a['role']}-{a['name']}" for a in ACCOUNTS])
def test_every_role_s_pages_work_on_a_phone_and_a_desktop(account, demo, live_server, browser):
    problems: list[str] = []
    visited = 0
    user = User.objects.by_id_number(account["username"]).get() if account["username"] else None
    folder = ARTIFACTS / "sweep" / account["role"] / re.sub(r"\W+", "_", account["name"])
    folder.mkdir(parents=True, exist_ok=True)
    for label, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        context.set_default_timeout(10_000)
        context.add_init_script(WATCH_CSP)
        if user is not None:
            context.add_cookies([session_cookie(user, live_server.url)])
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m, c=console: c.append(m.text) if m.type == "error" else None)
        page.goto(live_server.url + "/", wait_until="networkidle")
        todo = ["/", *_links(page, live_server.url, "header nav a, main a")]
        seen: set[str] = set()
        details = 0
        while todo:
            path = todo.pop(0)
            if path in seen or len(seen) >= 40:
                continue
            seen.add(path)
            console.clear()
            response = page.goto(live_server.url + path, wait_until="networkidle")
            where = f"{account['role']} {account['name']} {label} {path}"
            if response is None or response.status >= 400:
                problems.append(f"{where}: status {response.status if response else 'none'}")
                continue
            found = page.evaluate(INSPECT, label == "phone")
            visited += 1
            if found["width"] > viewport["width"]:
                problems.append(f"{where}: {found['width']} px wide on a {viewport['width']} px screen")
            if found["h1"] != 1:
                problems.append(f"{where}: {found['h1']} <h1>")
            if found["csp"] or console:
                problems.append(f"{where}: CSP {found['csp']} console {console}")
            if found["unlabelled"]:
                problems.append(f"{where}: fields without a label {found['unlabelled']}")
            if found["small"]:
                problems.append(f"{where}: controls under 44×44 px {found['small'][:8]}")
            shot = re.sub(r"\W+", "_", path).strip("_") or "home"
            page.screenshot(path=folder / f"{label}-{shot}.png", full_page=True)
            # The first detail page of a list: the first link in its table or list.
            if details < 8 and path.count("/") <= 3:
                first = _links(page, live_server.url, "main table tbody tr a, main ul.list li a")[:1]
                for detail in first:
                    if detail not in seen and detail not in todo:
                        todo.append(detail)
                        details += 1
        context.close()
    # the home page and at least two more pages of the account's menu, at both widths
    assert visited >= 6
    assert problems == [], "\n".join(problems)
