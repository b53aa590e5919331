"""Every page of the URL contract, for every role, in every language, checked by axe-core
(WCAG 2.1 A and AA rules) in a real browser; and a journey made with the keyboard alone.

axe-core comes from npm (``e2e/axe/package.json``, installed by ``make test``). It is run
with ``page.evaluate``, which the site's content security policy (no inline script) does
not block, so the pages are checked exactly as they are served.
"""

import os
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from community.enums import FACILITATORS_GROUP, GUIDE_EDITORS_GROUP
from community.models import User
from community.tests import factories
from e2e.conftest import sign_in
from guide.enums import ContributionState
from guide.models import Chapter, Contribution
from guide.selectors import AWAITING_REVIEW
from meetings.enums import MeetingState
from meetings.models import Meeting
from meetings.networking import services as networking
from meetings.networking.models import NetworkingSession, SessionState
from themes.models import Theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = ["en", "fr", "pt", "es"]
DEMO_PASSWORD = "keep-in-pact-demo"
PENDING_PASSWORD = "a-long-test-password"

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} element(s), e.g. `
    + v.nodes.slice(0, 2).map((n) => `${n.target.join(" ")} — ${n.failureSummary.replace(/\\s+/g, " ")}`).join(" | "));
}"""


def _axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing: run `npm ci --prefix {AXE.parents[2]}` (make test does).")
    return AXE.read_text(encoding="utf-8")


def _urls(role: str) -> list[str]:
    """The URL contract's pages this role may open (with real objects from the demo data)."""
    chapter = Chapter.objects.filter(contributions__state=ContributionState.PUBLISHED).order_by("order").first()
    translated = Contribution.objects.filter(translation_of__isnull=False).first().chapter
    meeting = Meeting.objects.filter(state=MeetingState.PUBLISHED).order_by("-starts_at").first()
    theme = Theme.objects.order_by("pk").first()
    public = ["/guide/", f"/guide/{chapter.slug}/", f"/guide/{translated.slug}/"]
    if role == "visitor":
        return ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", *public]
    if role == "pending":
        return ["/members/waiting/", *public]
    member = User.objects.get(email="member@example.org")
    pages = [
        "/",
        "/members/",
        f"/members/{member.username}/",
        "/members/me/edit/",
        "/members/me/delete/",
        "/meetings/",
        f"/meetings/{meeting.pk}/",
        "/themes/",
        "/themes/new/",
        f"/themes/{theme.pk}/",
        *public,
        "/guide/contribute/",
        "/guide/mine/",
        "/search/?q=partner",
        "/accounts/email/",
    ]
    live = NetworkingSession.objects.get(state=SessionState.LIVE)
    if role == "member":
        pages.append(f"/meetings/{live.meeting_id}/networking/{live.pk}/me/")
    if role == "facilitator":
        session = NetworkingSession.objects.order_by("pk").first()
        pages += ["/members/pending/", "/meetings/new/", f"/meetings/{session.meeting_id}/networking/"]
        pages.append(f"/members/{member.username}/buddy/")
        # Community at a glance: since the start (every chart and table filled), and a bad range.
        pages += ["/reports/?period=all", "/reports/?period=range&from=2024-12-31&to=2024-01-01"]
        pages += [f"/meetings/{session.meeting_id}/networking/{session.pk}/", "/admin/"]
        # The live session's projected screen and presenter view.
        pages += [f"/meetings/{live.meeting_id}/networking/{live.pk}/{screen}/" for screen in ("live", "presenter")]
    if role == "editor":
        pages += ["/admin/", "/admin/guide/chapter/", "/admin/guide/contribution/"]
        # The editor's desk on an entry waiting for review.
        waiting = Contribution.objects.filter(state__in=AWAITING_REVIEW).order_by("pk").first()
        pages.append(f"/admin/guide/contribution/{waiting.pk}/change/")
    return pages


ROLES = {
    "visitor": None,
    "pending": "pending.a11y@example.org",
    "member": "member@example.org",
    "facilitator": "facilitator@example.org",
    "editor": "editor@example.org",
}


def _plan() -> list[tuple[str, str]]:
    """(role, language) pairs to check: every role in every language (292 pages, about 2½
    minutes on a quiet 2-core machine). ``A11Y_QUICK=1`` checks every role in English and one
    role per other language instead (122 pages, about 1 minute), for a quick look while working."""
    if os.environ.get("A11Y_QUICK") == "1":
        return [(role, "en") for role in ROLES] + [("member", "fr"), ("visitor", "pt"), ("facilitator", "es")]
    return [(role, language) for role in ROLES for language in LANGUAGES]


@pytest.fixture
def demo_data(transactional_db):
    # Tests with real transactions flush the database, groups from data migrations included.
    for name in (FACILITATORS_GROUP, GUIDE_EDITORS_GROUP):
        Group.objects.get_or_create(name=name)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed with the process
    factories.pending_member(email=ROLES["pending"], display_name="Pedro Pendente")
    # A speed-networking session under way at the next meeting, the demo member at a table.
    meeting = Meeting.objects.filter(state=MeetingState.PUBLISHED, starts_at__gt=_now()).order_by("starts_at").first()
    member = User.objects.get(email=ROLES["member"])
    others = list(User.objects.approved().exclude(pk=member.pk).exclude(organisation=member.organisation)[:7])
    session = networking.session_create(
        meeting=meeting,
        by=None,
        members=[member, *others],
        table_size=2,
        rounds=3,
        round_minutes=6,
        prompts=networking.default_deck("en"),
    )
    networking.session_draw(session=session, by=None, seed=7)
    networking.session_transition(session=session, to=SessionState.LIVE, by=None)


def test_no_axe_violation_on_any_page_role_or_language(browser, live_server, demo_data):
    axe = _axe_source()
    found: list[str] = []
    started = time.monotonic()
    checked = 0
    contexts = {}
    for role, language in _plan():
        context = contexts.get(role)
        if context is None:
            context = contexts[role] = browser.new_context(base_url=live_server.url, locale="en-GB")
            context.set_default_timeout(15_000)
            page = context.new_page()
            if ROLES[role]:
                password = PENDING_PASSWORD if role == "pending" else DEMO_PASSWORD
                sign_in(page, ROLES[role], password)
        page = context.pages[0]
        # The switcher's cookie wins over the member's preferred language and the browser's.
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for url in _urls(role):
            response = page.goto(url)
            assert response.status == 200, f"{role} {language} {url}: {response.status}"
            assert page.locator("html").get_attribute("lang") == language, f"{role} {language} {url}"
            page.evaluate(axe)
            for violation in page.evaluate(RUN_AXE, TAGS):
                found.append(f"[{role}/{language}] {url}: {violation}")
            checked += 1
    for context in contexts.values():
        context.close()
    print(f"\naxe-core checked {checked} pages in {time.monotonic() - started:.0f} s")
    assert found == [], "\n".join(found)


def test_a_member_signs_in_answers_a_meeting_proposes_a_theme_and_volunteers_with_the_keyboard_only(
    page, live_server, demo_data
):
    member = User.objects.get(email="member@example.org")
    meeting = Meeting.objects.filter(state=MeetingState.PUBLISHED, starts_at__gt=_now()).order_by("starts_at").first()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto("/accounts/login/")

    def tab_to(name: str, role: str = "link", limit: int = 250) -> None:
        """Press Tab until the element with this accessible name (a field: this label) has the
        focus, checking that the focus can be seen (an outline or a shadow)."""
        if role in ("textbox", "radio"):
            target = page.get_by_label(name).first
        else:
            target = page.get_by_role(role, name=name, exact=True).first
        for _ in range(limit):
            page.keyboard.press("Tab")
            if target.evaluate("(el) => el === document.activeElement"):
                style = target.evaluate(
                    "(el) => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
                )
                assert style[0] != "none" or style[2] != "none", f"focus not visible on {name}: {style}"
                return
        raise AssertionError(f"Tab never reached the {role} “{name}”")

    tab_to("Email", "textbox")
    page.keyboard.type(member.email)
    tab_to("Password", "textbox")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.goto(f"/meetings/{meeting.pk}/")
    tab_to("Going", "button")
    page.keyboard.press("Enter")
    _eventually(lambda: meeting.rsvps.filter(member=member, response="going").exists())

    page.goto("/themes/new/")
    tab_to("Title", "textbox")
    page.keyboard.type("Partnership agreements that survive a change of director")
    tab_to("Summary", "textbox")
    page.keyboard.type("How to write an agreement that outlives the people who signed it.")
    tab_to("A difficulty", "radio")
    page.keyboard.press("Space")
    tab_to("Propose the theme", "button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    theme = Theme.objects.get(title="Partnership agreements that survive a change of director")
    assert (theme.proposer, theme.language) == (member, member.preferred_language)

    other = Theme.objects.exclude(proposer=member).filter(state="proposed").order_by("pk").first()
    page.goto(f"/themes/{other.pk}/")
    tab_to("Volunteer to present", "link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to("What would you share?", "textbox")
    page.keyboard.type("We ran one with six partners and measured who was hired.")
    tab_to("I volunteer", "button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert other.presenter_roles.filter(member=member).count() == 1


def _eventually(check, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the page never recorded it"
        time.sleep(0.1)


def _now():
    from django.utils import timezone

    return timezone.now()
