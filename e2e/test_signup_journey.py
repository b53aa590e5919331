import re

import pytest
from django.core import mail

from community.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_in_tokyo(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Asia/Tokyo")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_visitor_signs_up_confirms_email_waits_for_approval_and_signs_out(page_in_tokyo, live_server):
    page = page_in_tokyo
    page.goto("/")
    page.get_by_role("link", name="Join the community").first.click()

    page.get_by_label("Your name").fill("Nadia Benali")
    page.get_by_label("Email").fill("nadia@example.org")
    page.get_by_placeholder("Password", exact=True).fill("partnerships-are-built-slowly")
    page.get_by_placeholder("Password (again)").fill("partnerships-are-built-slowly")
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()

    assert [m.to for m in mail.outbox] == [["nadia@example.org"]]
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body).group(1)
    page.goto(path)
    page.get_by_role("button", name="Confirm").click()

    page.get_by_role("heading", name=re.compile("a facilitator will approve you soon")).wait_for()
    assert page.url == f"{live_server.url}/members/waiting/"
    # The browser's zone came along with the sign-up, so times show in it.
    assert User.objects.get(email="nadia@example.org").time_zone == "Asia/Tokyo"

    page.get_by_role("button", name=re.compile("^My account")).click()
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign Out").click()
    page.get_by_role("navigation").get_by_role("link", name="Sign in").wait_for()
    assert page.url == f"{live_server.url}/"
