"""Security fixes that cross apps: member deletion, the guide form, email subjects."""

import pytest
from django.core import mail
from django.urls import reverse

from community.tests import factories

pytestmark = pytest.mark.django_db


def test_deleting_a_member_keeps_other_members_follow_up_notes_about_them(member):
    from community.services import account_delete
    from meetings.networking.models import FollowUp, FollowUpReason, NetworkingSession, Participant
    from meetings.tests.factories import past_meeting

    author = factories.UserFactory(display_name="Rui Author")
    session = NetworkingSession.objects.create(meeting=past_meeting())
    Participant.objects.create(session=session, member=author)
    about = Participant.objects.create(session=session, member=member, organisation_name="CdM Porto")
    FollowUp.objects.create(
        session=session, author=author, about=about, reason=FollowUpReason.PRACTICE, note="Swap kits"
    )

    account_delete(member=member)

    assert list(FollowUp.objects.values_list("author", "note", "about__member", "about__guest_name")) == [
        (author.pk, "Swap kits", None, "Former member")
    ]
    assert Participant.objects.get(pk=about.pk).organisation_name == ""


def test_guide_form_lists_only_resources_of_published_meetings(member_client):
    from meetings.tests.factories import MeetingFactory, ResourceFactory, draft_meeting

    shown = ResourceFactory(meeting=MeetingFactory(), title="Partnership charter")
    ResourceFactory(meeting=draft_meeting(), title="Secret draft agenda")

    response = member_client.get(reverse("guide:contribute"))

    assert response.status_code == 200
    assert list(response.context["form"].fields["source_resource"].queryset) == [shown]
    assert "Secret draft agenda" not in response.content.decode()


def test_email_subjects_show_titles_as_typed(django_capture_on_commit_callbacks):
    from guide import services as guide_services
    from guide.enums import ContributionState
    from guide.tests.factories import ContributionFactory

    editor = factories.guide_editor()
    contribution = ContributionFactory(title="Partners' day & more", state=ContributionState.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        guide_services.contribution_transition(
            contribution=contribution, to=ContributionState.REJECTED, by=editor, comment="Out of scope"
        )

    assert [m.subject for m in mail.outbox] == ["Your guide contribution “Partners' day & more”: Rejected"]
    assert "Partners' day & more" in mail.outbox[0].body
