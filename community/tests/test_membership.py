import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from community import services
from community.enums import MemberState
from community.fragments import is_bump
from community.models import User
from community.tests import factories

pytestmark = pytest.mark.django_db

ALLOWED = [
    (MemberState.PENDING, MemberState.APPROVED),
    (MemberState.PENDING, MemberState.DECLINED),
    (MemberState.APPROVED, MemberState.SUSPENDED),
    (MemberState.SUSPENDED, MemberState.APPROVED),
    (MemberState.DECLINED, MemberState.APPROVED),
]
ALL_MOVES = [(a, b) for a in MemberState.values for b in MemberState.values if a != b]


@pytest.mark.parametrize(("from_state", "to"), ALLOWED)
def test_allowed_move_records_who_when_and_message(from_state, to, facilitator, django_capture_on_commit_callbacks):
    member = factories.UserFactory(state=from_state)

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_transition(member=member, to=to, by=facilitator, message="  Welcome aboard  ")

    member.refresh_from_db()
    assert member.state == to
    assert member.state_changed_by == facilitator
    assert member.state_changed_at is not None
    assert member.state_message == "Welcome aboard"
    assert [m.to for m in mail.outbox] == [[member.email]]


@pytest.mark.parametrize(("from_state", "to"), [move for move in ALL_MOVES if move not in ALLOWED])
def test_move_outside_the_table_is_refused_and_changes_nothing(from_state, to, facilitator):
    member = factories.UserFactory(state=from_state)

    with pytest.raises(services.MembershipError):
        services.membership_transition(member=member, to=to, by=facilitator)

    member.refresh_from_db()
    assert member.state == from_state
    assert member.state_changed_by is None
    assert mail.outbox == []


def test_approval_email_is_in_the_members_language(facilitator, django_capture_on_commit_callbacks):
    member = factories.pending_member(preferred_language="fr", display_name="Awa Ndiaye")

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_transition(member=member, to=MemberState.APPROVED, by=facilitator, message="Bienvenue !")

    [message] = mail.outbox
    assert message.to == [member.email]
    assert "Bienvenue !" in message.body
    assert "http://testserver/members/me/edit/" in message.body
    html = message.alternatives[0][0]
    assert "Awa Ndiaye" in html


def test_no_email_before_the_transaction_commits(facilitator, django_capture_on_commit_callbacks):
    member = factories.pending_member()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.membership_transition(member=member, to=MemberState.APPROVED, by=facilitator)

    assert mail.outbox == []
    # The mail waits for the commit (the cached pages' versions are bumped after it too).
    assert len([c for c in callbacks if not is_bump(c)]) == 1


def test_facilitator_approves_pending_member_who_then_reaches_the_directory(
    facilitator_client, facilitator, django_capture_on_commit_callbacks
):
    pending = factories.pending_member(display_name="Nadia Benali")
    pending_client = Client()
    pending_client.force_login(pending)
    assert pending_client.get(reverse("community:directory")).url == reverse("community:waiting")

    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator_client.post(
            reverse("community:membership", args=[pending.username]),
            {"to": "approved", "message": "Glad to have you", "next": reverse("community:pending")},
        )

    assert response.status_code == 302
    assert response.url == reverse("community:pending")
    pending.refresh_from_db()
    assert (pending.state, pending.state_changed_by, pending.state_message) == (
        MemberState.APPROVED,
        facilitator,
        "Glad to have you",
    )
    assert [m.to for m in mail.outbox] == [[pending.email]]
    assert "Glad to have you" in mail.outbox[0].body
    # The same session, at its next page view: the member is in.
    assert pending_client.get(reverse("community:directory")).status_code == 200
    assert pending_client.get(reverse("community:waiting")).url == reverse("home")


def test_declined_sign_up_is_signed_out_at_once(facilitator_client, django_capture_on_commit_callbacks):
    pending = factories.pending_member()
    client = Client()
    client.force_login(pending)

    with django_capture_on_commit_callbacks(execute=True):
        facilitator_client.post(
            reverse("community:membership", args=[pending.username]),
            {"to": "declined", "message": "Not in the network"},
        )

    pending.refresh_from_db()
    assert pending.state == MemberState.DECLINED
    response = client.get(reverse("community:directory"))
    # The session ended with the decision (as a suspension does): back to the login page.
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=" + reverse("community:directory")
    assert client.get(reverse("community:waiting")).status_code == 302
    # Signing in again, they read the decision and the facilitator's message.
    client.force_login(pending)
    waiting = client.get(reverse("community:waiting")).content.decode()
    assert "Your membership was not approved" in waiting
    assert "Not in the network" in waiting


def test_suspension_signs_the_member_out_of_every_session(
    facilitator_client, member, django_capture_on_commit_callbacks
):
    laptop, phone = Client(), Client()
    laptop.force_login(member)
    phone.force_login(member)
    assert laptop.get(reverse("community:directory")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator_client.post(reverse("community:membership", args=[member.username]), {"to": "suspended"})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.state == MemberState.SUSPENDED
    for client in (laptop, phone):
        response = client.get(reverse("community:directory"))
        assert response.status_code == 302
        assert response.url == f"{reverse('account_login')}?next={reverse('community:directory')}"
        assert SESSION_KEY not in client.session
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_approval_keeps_the_members_session(facilitator):
    pending = factories.pending_member()
    client = Client()
    client.force_login(pending)

    services.membership_transition(member=pending, to=MemberState.APPROVED, by=facilitator)

    assert client.get(reverse("home")).status_code == 200
    assert client.session[SESSION_KEY] == str(pending.pk)


def test_reinstated_member_signs_in_again(facilitator, member):
    services.membership_transition(member=member, to=MemberState.SUSPENDED, by=facilitator)
    services.membership_transition(member=member, to=MemberState.APPROVED, by=facilitator)
    client = Client()

    assert client.login(email=member.email, password="a-long-test-password")
    assert client.get(reverse("community:directory")).status_code == 200


def test_member_cannot_approve(member_client):
    pending = factories.pending_member()

    response = member_client.post(reverse("community:membership", args=[pending.username]), {"to": "approved"})

    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.state == MemberState.PENDING
    assert mail.outbox == []


def test_pending_member_cannot_approve_themself(client, pending):
    client.force_login(pending)

    response = client.post(reverse("community:membership", args=[pending.username]), {"to": "approved"})

    assert response.status_code == 302
    assert response.url == reverse("community:waiting")
    assert User.objects.get(pk=pending.pk).state == MemberState.PENDING


def test_move_not_in_the_table_from_the_page_gives_a_message(facilitator_client, member):
    response = facilitator_client.post(
        reverse("community:membership", args=[member.username]), {"to": "declined"}, follow=True
    )

    assert response.status_code == 200
    assert "cannot go from “Approved” to “Declined”" in response.content.decode()
    member.refresh_from_db()
    assert member.state == MemberState.APPROVED


def test_unknown_decision_changes_nothing(facilitator_client, pending):
    response = facilitator_client.post(reverse("community:membership", args=[pending.username]), {"to": "crowned"})

    assert response.status_code == 302
    assert User.objects.get(pk=pending.pk).state == MemberState.PENDING


def test_next_outside_the_site_is_ignored(facilitator_client, pending):
    response = facilitator_client.post(
        reverse("community:membership", args=[pending.username]), {"to": "approved", "next": "https://evil.example/"}
    )

    assert response.url == reverse("community:pending")


def test_pending_page_lists_sign_ups_with_their_profile_and_email(facilitator_client):
    centre = factories.OrganisationFactory(name="Cité des métiers de Porto")
    pending = factories.with_profile(
        factories.pending_member(display_name="Pedro Alves"),
        job_title="Partnership officer",
        organisation=centre,
        languages=["pt"],
        expertise=["GDPR"],
    )
    factories.UserFactory(display_name="Already Approved")

    response = facilitator_client.get(reverse("community:pending"))

    body = response.content.decode()
    assert response.status_code == 200
    assert [m.pk for m in response.context["page"].object_list] == [pending.pk]
    assert pending.email in body
    assert "Partnership officer" in body
    assert "Cité des métiers de Porto" in body
    assert "Already Approved" not in body


def test_pending_page_empty_state(facilitator_client):
    response = facilitator_client.get(reverse("community:pending"))

    assert "No sign-up is waiting" in response.content.decode()


def test_pending_page_query_count_does_not_grow(facilitator_client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    factories.with_profile(factories.pending_member(), languages=["fr"], expertise=["GDPR"])
    with CaptureQueriesContext(connection) as one:
        facilitator_client.get(reverse("community:pending"))
    for n in range(9):
        factories.with_profile(factories.pending_member(), languages=["fr", "en"], expertise=[f"Topic {n}"])

    with django_assert_num_queries(len(one.captured_queries)):
        response = facilitator_client.get(reverse("community:pending"))
    assert len(response.context["page"].object_list) == 10


def test_facilitator_links_an_unlisted_centre(facilitator_client):
    centre = factories.OrganisationFactory(name="Cité des métiers de Zaragoza", slug="zaragoza")
    member = factories.UserFactory(organisation_other="CdM Zaragoza")

    page = facilitator_client.get(reverse("community:pending")).content.decode()
    assert "CdM Zaragoza" in page
    response = facilitator_client.post(
        reverse("community:centre_resolve", args=[member.username]), {"organisation": centre.pk}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.organisation, member.organisation_other) == (centre, "")


def test_facilitators_hear_of_a_confirmed_sign_up(client, facilitator, django_capture_on_commit_callbacks):
    import re

    factories.UserFactory(display_name="Plain Member")
    client.post(
        reverse("account_signup"),
        {
            "display_name": "Ana Ferreira",
            "email": "ana@example.org",
            "password1": "partnerships-are-built-slowly",
            "password2": "partnerships-are-built-slowly",
        },
    )
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)

    assert [m.to for m in mail.outbox[1:]] == [[facilitator.email]]
    assert "Ana Ferreira (ana@example.org) has signed up" in mail.outbox[1].body
    assert "http://testserver/members/pending/" in mail.outbox[1].body


def test_database_refuses_an_unknown_state(member):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=member.pk).update(state="crowned")

    assert User.objects.get(pk=member.pk).state == MemberState.APPROVED


def test_handles_with_nul_characters_answer_404_not_500(facilitator_client):
    assert facilitator_client.get("/members/ab%00cd/").status_code == 404
    assert facilitator_client.post("/members/ab%00cd/membership/", {"to": "approved"}).status_code == 404
    assert facilitator_client.post("/members/ab%00cd/centre/", {"organisation": "1"}).status_code == 404


def test_suspended_member_signing_in_again_reads_the_facilitators_message(facilitator, member):
    services.membership_transition(
        member=member, to=MemberState.SUSPENDED, by=facilitator, message="Please update your centre first."
    )
    client = Client()
    client.force_login(member)

    response = client.get(reverse("community:waiting"))

    body = response.content.decode()
    assert "Your membership is suspended" in body
    assert "Please update your centre first." in body
