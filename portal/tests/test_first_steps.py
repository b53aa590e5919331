"""A newcomer's first steps: the onboarding chapter in the approval mail, and the checklist on the
dashboard that ticks itself from each app's data."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community import services as community_services
from community.enums import MemberState
from community.models import User
from community.tests import factories
from guide.tests.factories import ChapterFactory
from meetings.enums import RSVPResponse
from meetings.services.rsvp import rsvp_set
from meetings.tests.factories import MeetingFactory
from portal import composition
from themes.services.lifecycle import theme_set_interest
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

ONBOARDING = "onboarding-new-colleagues"


def _approved(facilitator, **kwargs) -> User:
    member = factories.pending_member(**kwargs)
    community_services.membership_transition(member=member, to=MemberState.APPROVED, by=facilitator)
    return User.objects.get(pk=member.pk)


def _steps(member) -> dict[str, bool]:
    return {step["key"]: step["done"] for step in composition.first_steps(User.objects.get(pk=member.pk))}


def test_approval_mail_points_to_the_onboarding_chapter(facilitator, django_capture_on_commit_callbacks):
    ChapterFactory(slug=ONBOARDING, title="Onboarding new colleagues")

    with django_capture_on_commit_callbacks(execute=True):
        _approved(facilitator, preferred_language="pt")

    [message] = mail.outbox
    link = f"http://testserver/guide/{ONBOARDING}/"
    assert link in message.body
    assert f'href="{link}"' in message.alternatives[0][0]


def test_approval_mail_says_nothing_of_a_missing_chapter(facilitator, django_capture_on_commit_callbacks):
    ChapterFactory(slug="another-chapter")

    with django_capture_on_commit_callbacks(execute=True):
        _approved(facilitator)

    [message] = mail.outbox
    assert "/guide/" not in message.body
    assert "/guide/" not in message.alternatives[0][0]


def test_decline_mail_has_no_onboarding_link(facilitator, django_capture_on_commit_callbacks):
    ChapterFactory(slug=ONBOARDING)
    member = factories.pending_member()

    with django_capture_on_commit_callbacks(execute=True):
        community_services.membership_transition(member=member, to=MemberState.DECLINED, by=facilitator)

    [message] = mail.outbox
    assert "/guide/" not in message.body


def test_checklist_ticks_itself_from_the_data(facilitator, client):
    chapter = ChapterFactory(slug=ONBOARDING)
    meeting = MeetingFactory(title="December meeting")
    theme = ThemeFactory()
    newcomer = _approved(facilitator, display_name="Nina Newcomer")
    client.force_login(newcomer)

    before = _steps(newcomer)
    community_services.profile_update(
        member=newcomer,
        values={"job_title": "Partnership officer", "city": "Porto", "country": "PT", "bio": "Hello."},
        languages=["pt"],
        expertise=["partnerships"],
    )
    newcomer.organisation_other = "Cité des métiers de Porto"
    newcomer.save(update_fields=["organisation_other"])
    after_profile = _steps(newcomer)
    rsvp_set(meeting=meeting, member=newcomer, response=RSVPResponse.GOING)
    after_meeting = _steps(newcomer)
    assert client.get(chapter.get_absolute_url()).status_code == 200
    after_reading = _steps(newcomer)
    theme_set_interest(theme=theme, member=newcomer, interested=True)
    after_theme = _steps(newcomer)

    assert before == {"profile": False, "meeting": False, "onboarding": False, "theme": False}
    assert after_profile == {"profile": True, "meeting": False, "onboarding": False, "theme": False}
    assert after_meeting == {"profile": True, "meeting": True, "onboarding": False, "theme": False}
    assert after_reading == {"profile": True, "meeting": True, "onboarding": True, "theme": False}
    assert after_theme == {"profile": True, "meeting": True, "onboarding": True, "theme": True}


def test_dashboard_shows_the_checklist_until_all_done(facilitator, client):
    ChapterFactory(slug=ONBOARDING)
    newcomer = _approved(facilitator)
    client.force_login(newcomer)

    shown = client.get("/").content.decode()
    # No meeting coming: that step is left out. Done the three others:
    User.objects.filter(pk=newcomer.pk).update(onboarding_read_at=timezone.now())
    theme_set_interest(theme=ThemeFactory(), member=newcomer, interested=True)
    partly = client.get("/").content.decode()
    community_services.profile_update(
        member=newcomer,
        values={"job_title": "Officer", "organisation_other": "A centre", "country": "FR", "bio": "Hi."},
        languages=["fr"],
        expertise=["networks"],
    )
    done = client.get("/").content.decode()

    assert 'id="first-steps-heading"' in shown
    assert 'id="first-step-meeting"' not in shown
    assert 'id="first-step-profile" data-done="false"' in shown
    assert 'id="first-step-onboarding" data-done="false"' in shown
    assert 'id="first-step-onboarding" data-done="true"' in partly
    assert 'id="first-step-theme" data-done="true"' in partly
    assert 'id="first-steps-heading"' not in done


def test_no_onboarding_step_without_the_chapter(facilitator):
    newcomer = _approved(facilitator)

    assert set(_steps(newcomer)) == {"profile", "theme"}


def test_no_checklist_after_the_first_weeks(facilitator, client):
    newcomer = _approved(facilitator)
    User.objects.filter(pk=newcomer.pk).update(state_changed_at=timezone.now() - timedelta(days=61))
    client.force_login(newcomer)

    assert 'id="first-steps-heading"' not in client.get("/").content.decode()


@pytest.mark.parametrize("slug", [ONBOARDING, "another-chapter"])
def test_reading_is_recorded_only_for_the_onboarding_chapter(slug, facilitator, client):
    ChapterFactory(slug=ONBOARDING)
    ChapterFactory(slug="another-chapter")
    newcomer = _approved(facilitator)
    client.force_login(newcomer)

    response = client.get(f"/guide/{slug}/")

    assert response.status_code == 200
    assert (User.objects.get(pk=newcomer.pk).onboarding_read_at is not None) is (slug == ONBOARDING)


def test_reading_is_recorded_once(facilitator, client):
    ChapterFactory(slug=ONBOARDING)
    newcomer = _approved(facilitator)
    client.force_login(newcomer)
    client.get(f"/guide/{ONBOARDING}/")
    first = User.objects.get(pk=newcomer.pk).onboarding_read_at

    client.get(f"/guide/{ONBOARDING}/")

    assert User.objects.get(pk=newcomer.pk).onboarding_read_at == first


def test_a_pending_member_reading_records_nothing(client, pending):
    ChapterFactory(slug=ONBOARDING)
    client.force_login(pending)

    client.get(f"/guide/{ONBOARDING}/")

    assert User.objects.get(pk=pending.pk).onboarding_read_at is None


def test_dashboard_queries_are_flat_with_the_checklist(facilitator, client, django_assert_max_num_queries):
    ChapterFactory(slug=ONBOARDING)
    newcomer = _approved(facilitator)
    meeting = MeetingFactory()
    theme = ThemeFactory()
    community_services.buddy_pair(newcomer=newcomer, buddy=facilitator, by=facilitator)
    client.force_login(newcomer)
    client.get("/")
    with django_assert_max_num_queries(15) as one:
        assert 'id="first-steps-heading"' in client.get("/").content.decode()
    for _ in range(9):
        other = factories.UserFactory()
        rsvp_set(meeting=meeting, member=other, response=RSVPResponse.GOING)
        theme_set_interest(theme=theme, member=other, interested=True)
        community_services.buddy_pair(newcomer=other, buddy=newcomer, by=facilitator)
        ThemeFactory()
    client.get("/")  # warm again: the new members changed what the directory counts

    with django_assert_max_num_queries(15) as ten:
        assert 'id="first-steps-heading"' in client.get("/").content.decode()

    assert len(ten.captured_queries) == len(one.captured_queries)
