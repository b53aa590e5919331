"""The main navigation keeps to one row at 1280 px for a staff facilitator (the longest one) in every
language, and its menus open."""

import pytest

from community.tests import factories
from e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"

# The navigation's own items: where each one sits.
ITEMS = """() => Array.from(document.querySelectorAll(
  "nav.navbar .navbar-brand, nav.navbar .navbar-nav > .nav-item, nav.navbar form.nav-search"
)).map((el) => {
  const box = el.getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, text: el.innerText.trim()};
})"""


def test_a_staff_facilitators_navigation_is_one_row_at_1280_px_in_every_language(page, live_server):
    facilitator = factories.facilitator(display_name="Maria da Conceição Albuquerque-Vasconcelos", is_staff=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, facilitator.email, PASSWORD)
    for language in ("en", "fr", "pt", "es"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page.goto("/")
        assert page.locator("html").get_attribute("lang") == language
        items = page.evaluate(ITEMS)
        tallest = max(item["bottom"] - item["top"] for item in items)
        spread = max(item["bottom"] for item in items) - min(item["top"] for item in items)
        assert spread <= tallest + 1, f"{language}: the navigation wraps: {items}"
        height = page.locator("nav.navbar").evaluate("(nav) => nav.getBoundingClientRect().height")
        assert height <= tallest + 20, f"{language}: navigation {height} px high for items {tallest} px high"
        assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_manage_and_account_menus_open_with_their_links(page, live_server):
    facilitator = factories.facilitator(display_name="Fatou Diallo", is_staff=True)
    sign_in(page, facilitator.email, PASSWORD)

    page.get_by_role("button", name="Manage").click()
    page.get_by_role("link", name="Sign-ups waiting").click()
    page.get_by_role("heading", name="Sign-ups waiting").wait_for()
    page.get_by_role("button", name="Manage").click()
    assert page.get_by_role("link", name="Admin").is_visible()

    page.keyboard.press("Escape")
    page.get_by_role("button", name="My account: Fatou Diallo").click()
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign Out").click()
    page.get_by_role("navigation").get_by_role("link", name="Sign in").wait_for()
