"""The profile's time-zone choices start with the browser's own zone, chosen for a member who has
not chosen one yet."""

import pytest

from community.models import User
from community.tests import factories
from e2e.conftest import new_context, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def page_in_zone(browser, live_server, csp_violations):
    """A page whose browser lives in a given time zone."""
    contexts = []

    def make(zone: str):
        context = new_context(browser, live_server.url, csp_violations, timezone_id=zone)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# Asia/Kolkata: Chromium calls it Asia/Calcutta, an alias the list does not offer.
@pytest.mark.parametrize("zone", ["America/Sao_Paulo", "Asia/Kolkata"])
def test_a_member_without_a_zone_finds_the_browsers_zone_chosen_and_saves_it(page_in_zone, zone):
    member = factories.UserFactory(display_name="Ana Souza")
    assert member.time_zone == "UTC"
    page = page_in_zone(zone)
    sign_in(page, member.email, PASSWORD)
    page.goto("/members/me/edit/")

    select = page.get_by_label("My time zone")
    assert select.input_value() == zone
    assert select.evaluate("(s) => s.firstElementChild.label") == "This browser's time zone"
    page.get_by_text("We chose the time zone of this browser: save your profile to keep it.").wait_for()
    page.get_by_role("button", name="Save my profile").click()
    page.get_by_text("Your profile is saved.").wait_for()
    assert User.objects.get(pk=member.pk).time_zone == zone


def test_a_member_who_chose_a_zone_keeps_it_with_the_browsers_offered_first(page_in_zone):
    member = factories.UserFactory(display_name="Ana Souza", time_zone="Europe/Lisbon")
    page = page_in_zone("America/Sao_Paulo")
    sign_in(page, member.email, PASSWORD)
    page.goto("/members/me/edit/")

    select = page.get_by_label("My time zone")
    assert select.input_value() == "Europe/Lisbon"
    assert select.evaluate("(s) => [s.firstElementChild.label, s.firstElementChild.firstElementChild.value]") == [
        "This browser's time zone",
        "America/Sao_Paulo",
    ]
    assert not page.get_by_text("We chose the time zone of this browser").is_visible()
