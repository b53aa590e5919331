from datetime import UTC, datetime

import pytest
from django.core import mail

from community.enums import MemberState
from community.fragments import is_bump
from community.tests.factories import UserFactory
from community.tests.factories import facilitator as make_facilitator
from themes import services
from themes.enums import PresenterStatus, ThemeState
from themes.tests.factories import MeetingFactory, ThemeFactory, presenter

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    """A theme with a proposer, two presenters, interested members and bystanders."""
    proposer = UserFactory(email="proposer@example.org", display_name="Paula")
    theme = ThemeFactory(proposer=proposer, title="Respecting GDPR")
    presenter(theme, UserFactory(email="presenter@example.org"))
    presenter(theme, UserFactory(email="invited@example.org"), status=PresenterStatus.INVITED)
    for email in ("fan@example.org", "fan2@example.org"):
        services.theme_set_interest(theme=theme, member=UserFactory(email=email), interested=True)
    UserFactory(email="bystander@example.org")
    return theme


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_state_change_notifies_proposer_presenters_and_interested_not_the_actor(
    cast, django_capture_on_commit_callbacks
):
    fac = make_facilitator(email="fac@example.org")
    services.theme_set_interest(theme=cast, member=fac, interested=True)
    meeting = MeetingFactory(title="May meeting")

    with django_capture_on_commit_callbacks(execute=True):
        services.theme_transition(theme=cast, to=ThemeState.SCHEDULED, by=fac, meeting=meeting)

    assert _recipients() == ["fan2@example.org", "fan@example.org", "presenter@example.org", "proposer@example.org"]
    message = next(m for m in mail.outbox if m.to == ["proposer@example.org"])
    assert message.subject == "Scheduled: “Respecting GDPR”"
    assert "is scheduled on the meeting “May meeting”" in message.body
    assert f"http://testserver/themes/{cast.pk}/" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert "May meeting" in message.alternatives[0][0]


def test_no_email_before_the_transaction_commits(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.theme_transition(theme=cast, to=ThemeState.DECLINED, by=make_facilitator(), note="Covered already.")
    assert mail.outbox == []
    # The mail waits for the commit (the cached pages' versions are bumped after it too).
    assert len([c for c in callbacks if not is_bump(c)]) == 1


def test_a_french_speaking_member_reads_it_in_french_in_their_zone(cast, django_capture_on_commit_callbacks):
    amelie = UserFactory(email="amelie@example.org", preferred_language="fr", time_zone="Europe/Paris")
    services.theme_set_interest(theme=cast, member=amelie, interested=True)
    meeting = MeetingFactory(title="Rencontre", starts_at=datetime(2030, 5, 14, 12, 0, tzinfo=UTC))

    with django_capture_on_commit_callbacks(execute=True):
        services.theme_transition(theme=cast, to=ThemeState.SCHEDULED, by=make_facilitator(), meeting=meeting)

    french = next(m for m in mail.outbox if m.to == ["amelie@example.org"])
    english = next(m for m in mail.outbox if m.to == ["proposer@example.org"])
    # Dates come out in the member's language and zone (12:00 UTC is 14:00 in Paris in May).
    assert "14 mai 2030, 14:00 (Europe/Paris)" in french.body
    assert "14 May 2030, 12:00 (UTC)" in english.body
    assert '<html lang="fr">' in french.alternatives[0][0]


def test_opted_out_and_unapproved_members_get_nothing(cast, django_capture_on_commit_callbacks):
    quiet = UserFactory(email="quiet@example.org", theme_updates_frequency="never")
    gone = UserFactory(email="gone@example.org")
    for person in (quiet, gone):
        services.theme_set_interest(theme=cast, member=person, interested=True)
    gone.state = MemberState.SUSPENDED
    gone.save(update_fields=["state"])

    with django_capture_on_commit_callbacks(execute=True):
        services.theme_transition(theme=cast, to=ThemeState.WITHDRAWN, by=cast.proposer)

    assert _recipients() == ["fan2@example.org", "fan@example.org", "presenter@example.org"]
