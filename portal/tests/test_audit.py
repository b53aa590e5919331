from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community import audit as services
from community import services as community_services
from community.enums import AuditKind, MemberState
from community.models import AuditEntry
from community.tests import factories
from guide import services as guide_services
from guide.enums import ContributionState
from guide.tests.factories import ContributionFactory
from meetings import services as meeting_services
from meetings.tests.factories import MeetingFactory
from themes import services as theme_services
from themes.tests.factories import QuestionFactory, ThemeFactory, presenter

pytestmark = pytest.mark.django_db


def _trail():
    return list(AuditEntry.objects.order_by("pk").values_list("kind", "actor", "actor_name", "target_label", "note"))


def test_membership_decisions_are_recorded_with_who_and_the_message(facilitator):
    approved, declined = factories.pending_member(display_name="Ana"), factories.pending_member(display_name="Bo")
    member = factories.UserFactory(display_name="Carla")

    community_services.membership_transition(member=approved, to=MemberState.APPROVED, by=facilitator)
    community_services.membership_transition(member=declined, to=MemberState.DECLINED, by=facilitator, message="No")
    community_services.membership_transition(member=member, to=MemberState.SUSPENDED, by=facilitator)

    assert _trail() == [
        (AuditKind.MEMBER_APPROVED, facilitator.pk, "Fatou Diallo", "Ana", ""),
        (AuditKind.MEMBER_DECLINED, facilitator.pk, "Fatou Diallo", "Bo", "No"),
        (AuditKind.MEMBER_SUSPENDED, facilitator.pk, "Fatou Diallo", "Carla", ""),
    ]
    entry = AuditEntry.objects.order_by("pk").first()
    assert entry.target_url == approved.get_absolute_url()
    assert timezone.now() - entry.at < timedelta(minutes=1)


def test_a_refused_move_records_nothing(facilitator, member):
    with pytest.raises(community_services.MembershipError):
        community_services.membership_transition(member=member, to=MemberState.APPROVED, by=facilitator)

    assert _trail() == []


def test_cancelling_and_rescheduling_a_meeting_are_recorded(facilitator):
    meeting = MeetingFactory(title="June meeting")
    old_start = meeting.starts_at
    new_start = old_start + timedelta(days=1)

    meeting_services.meeting_reschedule(meeting=meeting, starts_at=new_start, by=facilitator)
    meeting_services.meeting_cancel(meeting=meeting, reason="Strike", by=facilitator)

    assert _trail() == [
        (
            AuditKind.MEETING_RESCHEDULED,
            facilitator.pk,
            "Fatou Diallo",
            str(meeting),
            f"{old_start.isoformat()} → {new_start.isoformat()}",
        ),
        (AuditKind.MEETING_CANCELLED, facilitator.pk, "Fatou Diallo", str(meeting), "Strike"),
    ]


def test_removing_a_presenter_and_hiding_a_question_are_recorded(facilitator):
    theme = ThemeFactory(title="GDPR in practice")
    role = presenter(theme, factories.UserFactory(display_name="Rui"))
    question = QuestionFactory(theme=theme, body="Why?")

    theme_services.presenter_remove(role=role, by=facilitator)
    theme_services.question_set_hidden(question=question, by=facilitator, hidden=True)

    assert _trail() == [
        (AuditKind.PRESENTER_REMOVED, facilitator.pk, "Fatou Diallo", "GDPR in practice", "Rui"),
        (AuditKind.QUESTION_HIDDEN, facilitator.pk, "Fatou Diallo", "GDPR in practice", "Why?"),
    ]


def test_a_presenter_stepping_down_is_not_a_decision_on_them():
    theme = ThemeFactory()
    volunteer = factories.UserFactory()
    role = presenter(theme, volunteer)

    theme_services.presenter_remove(role=role, by=volunteer)

    assert _trail() == []


def test_publishing_and_rejecting_guide_entries_are_recorded(editor):
    published = ContributionFactory(title="Charter", state=ContributionState.ACCEPTED)
    rejected = ContributionFactory(title="Off topic", state=ContributionState.SUBMITTED)

    guide_services.contribution_transition(contribution=published, to=ContributionState.PUBLISHED, by=editor)
    guide_services.contribution_transition(
        contribution=rejected, to=ContributionState.REJECTED, by=editor, comment="Not for the guide"
    )

    assert _trail() == [
        (AuditKind.ENTRY_PUBLISHED, editor.pk, "Étienne Marchand", "Charter", ""),
        (AuditKind.ENTRY_REJECTED, editor.pk, "Étienne Marchand", "Off topic", "Not for the guide"),
    ]
    assert list(AuditEntry.objects.order_by("pk").values_list("target_url", flat=True)) == [
        published.get_absolute_url(),
        "",
    ]


def test_entries_keep_the_actors_name_after_the_account_is_gone(facilitator, member):
    services.record(kind=AuditKind.MEMBER_SUSPENDED, actor=facilitator, target=member)

    community_services.account_delete(member=facilitator)

    assert _trail() == [(AuditKind.MEMBER_SUSPENDED, None, "Fatou Diallo", "Mariana Costa", "")]


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("pending", 302), ("member", 404), ("facilitator", 200), ("editor", 404)],
)
def test_audit_page_permissions(client_for, role, status):
    assert client_for(role).get(reverse("community:audit")).status_code == status


def test_audit_page_filters_by_kind(facilitator_client, facilitator, member):
    services.record(kind=AuditKind.MEMBER_APPROVED, actor=facilitator, target=member)
    services.record(kind=AuditKind.MEETING_CANCELLED, actor=facilitator, target=MeetingFactory(title="Cancelled one"))

    response = facilitator_client.get(reverse("community:audit"), {"kind": AuditKind.MEETING_CANCELLED})
    unknown = facilitator_client.get(reverse("community:audit"), {"kind": "nonsense"})

    assert [e.kind for e in response.context["page"].object_list] == [AuditKind.MEETING_CANCELLED]
    assert list(unknown.context["page"].object_list) == []


def test_audit_page_query_count_does_not_grow(facilitator_client, facilitator, django_assert_num_queries):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert facilitator_client.get(reverse("community:audit")).status_code == 200
        return len(captured.captured_queries)

    services.record(kind=AuditKind.MEMBER_APPROVED, actor=facilitator, target=factories.UserFactory())
    one = count()
    for _ in range(9):
        services.record(kind=AuditKind.MEMBER_APPROVED, actor=factories.UserFactory(), target=factories.UserFactory())

    with django_assert_num_queries(one):
        facilitator_client.get(reverse("community:audit"))
    assert one <= 15


def test_audit_page_is_paginated(facilitator_client, facilitator, member):
    AuditEntry.objects.bulk_create(
        [AuditEntry(kind=AuditKind.MEMBER_APPROVED, actor_name="X", target_label=f"M{n}") for n in range(51)]
    )

    first = facilitator_client.get(reverse("community:audit"))
    second = facilitator_client.get(reverse("community:audit"), {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert [e.target_label for e in second.context["page"].object_list] == ["M0"]


def test_admin_shows_the_trail_read_only(facilitator, member):
    services.record(kind=AuditKind.MEMBER_APPROVED, actor=facilitator, target=member)
    staff = factories.facilitator(is_staff=True)
    client = Client()
    client.force_login(staff)
    entry = AuditEntry.objects.get()

    assert client.get("/admin/community/auditentry/").status_code == 200
    assert client.get("/admin/community/auditentry/add/").status_code == 403
    assert client.post(f"/admin/community/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.count() == 1
