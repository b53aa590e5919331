"""Browser journeys: Playwright driving Debian's Chromium against the live test server."""

import os

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package.")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests
    # make between browser steps (and the test database set-up) are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Every page reports what the content security policy blocked, so a journey fails on it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


def _is_csp_violation(text: str) -> bool:
    return text.startswith("CSP violation") or "Content Security Policy" in text


def new_context(browser, base_url: str, violations: list, **options):
    """A browser context that records what the content security policy blocked (``options``:
    Playwright's, e.g. ``timezone_id``)."""
    context = browser.new_context(base_url=base_url, accept_downloads=True, **{"locale": "en-GB", **options})
    context.set_default_timeout(15_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    context.on(
        "console",
        lambda message: (
            violations.append(f"{message.page.url if message.page else ''}: {message.text}")
            if _is_csp_violation(message.text)
            else None
        ),
    )
    return context


@pytest.fixture
def csp_violations():
    """What the content security policy blocked during the journey: it must stay empty."""
    violations: list[str] = []
    yield violations
    assert violations == [], "\n".join(violations)


@pytest.fixture
def page(browser, live_server, csp_violations):
    context = new_context(browser, live_server.url, csp_violations)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_page(browser, live_server, csp_violations):
    """Open more pages, each in its own browser context (another person at another desk), whose
    browser asks for ``locale``'s language."""
    contexts = []

    def make(locale: str = "en-GB"):
        context = new_context(browser, live_server.url, csp_violations, locale=locale)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# Each authenticator code is accepted once per person (allauth keeps the used ones for the whole
# tolerance window): a second sign-in in the same 30 s uses the next step's, a third waits for a new one.
_used_codes: set[tuple[int, str]] = set()


def authenticator_code(email: str) -> str:
    """The code the person's authenticator app would show now (RFC 6238, from their stored secret)."""
    import time

    from community import twofactor
    from community.models import User

    user = User.objects.get(email=email)
    secret = twofactor.totp_secret_of(user)
    for _ in range(3):
        for step in (0, 1):
            code = twofactor.totp_code(secret, step_offset=step)
            if (user.pk, code) not in _used_codes:
                _used_codes.add((user.pk, code))
                return code
        time.sleep(30 - time.time() % 30 + 0.5)
    raise AssertionError(f"no unused authenticator code left for {email}")


def sign_in(page, email: str, password: str) -> None:
    """Sign in as a person does; a facilitator or editor then types their authenticator code."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()
    if "/accounts/2fa/authenticate/" in page.url:
        page.get_by_placeholder("Code").fill(authenticator_code(email))
        with page.expect_navigation():
            page.get_by_role("button", name="Sign In").click()


@pytest.fixture
def role_groups(transactional_db):
    """Journeys with real transactions empty the tables, the groups and grants of the data
    migrations included: restore the facilitators' group and what the guide editors are granted."""
    from importlib import import_module

    from django.contrib.auth.models import Group, Permission

    from community.enums import FACILITATORS_GROUP

    Group.objects.get_or_create(name=FACILITATORS_GROUP)
    grants = import_module("guide.migrations.0002_guide_editors_permissions")
    editors, _ = Group.objects.get_or_create(name=grants.GROUP)
    editors.permissions.set(Permission.objects.filter(content_type__app_label="guide", codename__in=grants.CODENAMES))
