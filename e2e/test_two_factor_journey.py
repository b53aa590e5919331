import pytest
from allauth.mfa.models import Authenticator

from community import twofactor
from community.tests import factories
from e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def test_new_facilitator_sets_up_an_authenticator_app_before_reaching_the_sign_ups(page):
    facilitator = factories.facilitator(display_name="Fatou Diallo", email="fatou@example.org", two_factors=False)

    sign_in(page, facilitator.email, PASSWORD)
    page.goto("/members/pending/")

    # Sent to set up two factors, with the reason; allauth asks for the password once more.
    page.get_by_text("Your role gives you access to members' data").wait_for()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Activate Authenticator App").wait_for()
    assert page.get_by_role("img").first.is_visible()
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(twofactor.totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.get_by_role("heading", name="Recovery Codes").wait_for()

    page.goto("/members/pending/")
    page.get_by_role("heading", name="Sign-ups waiting for approval").wait_for()
    assert Authenticator.objects.filter(user=facilitator, type=Authenticator.Type.TOTP).count() == 1


def test_the_journeys_see_what_the_content_security_policy_blocks(page, csp_violations):
    page.goto("/")
    # What an injected payload would try: an inline script and an inline style.
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.ran = true";
        document.body.appendChild(script);
        document.body.insertAdjacentHTML("beforeend", '<div style="color: red">x</div>');
    }"""
    )
    page.wait_for_timeout(300)

    assert page.evaluate("() => window.ran === true") is False
    # The browser's own console messages and the securitypolicyviolation events, two of each.
    ours = sorted(v.split(": ", 1)[1].split(" blocked")[0] for v in csp_violations if "CSP violation: " in v)
    assert ours == ["CSP violation: script-src-elem", "CSP violation: style-src-attr"]
    assert len(csp_violations) == 4
    csp_violations.clear()  # seen on purpose: the journey itself must not fail on them


def test_staff_facilitator_signs_in_with_a_code_and_uses_the_admin(page):
    facilitator = factories.facilitator(display_name="Fatou Diallo", email="fatou@example.org", is_staff=True)

    sign_in(page, facilitator.email, PASSWORD)
    page.goto("/admin/")
    page.get_by_role("heading", name="Site administration").wait_for()
    page.goto("/admin/community/organisation/add/")
    page.get_by_label("Name").first.fill("Cité des métiers de Porto")
    page.get_by_label("Slug").fill("porto")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("was added successfully").wait_for()
