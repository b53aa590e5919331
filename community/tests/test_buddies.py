"""A newcomer's buddy: suggestions, pairing, introduction mails, who may pair and who sees it."""

import pytest
from django.core import mail
from django.urls import reverse

from community import selectors, services
from community.enums import AuditKind, MemberState
from community.models import AuditEntry, BuddyPairing, MemberLanguage
from community.tasks import send_buddy_introductions
from community.tests import factories

pytestmark = pytest.mark.django_db


def _speaking(*codes, **kwargs):
    member = factories.UserFactory(**kwargs)
    MemberLanguage.objects.bulk_create([MemberLanguage(member=member, code=code) for code in codes])
    return member


def test_suggestions_rank_both_then_language_then_country():
    newcomer = _speaking("pt", "en", country="PT", display_name="Nina Newcomer")
    country_only = _speaking("de", country="PT", display_name="Aurelio Country")
    language_only = _speaking("pt", country="BR", display_name="Bruna Language")
    both_b = _speaking("en", country="PT", display_name="Carla Both")
    both_a = _speaking("pt", country="PT", display_name="Bernardo Both")
    _speaking("de", country="DE", display_name="Dieter Nothing")
    _speaking("pt", country="PT", display_name="Paula Pending", state=MemberState.PENDING)

    suggestions = selectors.buddy_suggestions(newcomer)

    assert [m.pk for m in suggestions] == [both_a.pk, both_b.pk, language_only.pk, country_only.pk]
    assert [(m.shares_language, m.shares_country) for m in suggestions] == [
        (True, True),
        (True, True),
        (True, False),
        (False, True),
    ]


def test_suggestions_without_languages_or_country_are_empty():
    newcomer = factories.UserFactory(country="")
    _speaking("pt", country="PT")

    assert selectors.buddy_suggestions(newcomer) == []


def test_pairing_records_by_audit_and_introduces_both_in_their_language(
    facilitator, django_capture_on_commit_callbacks
):
    newcomer = factories.UserFactory(display_name="Nina Newcomer", preferred_language="fr")
    buddy = factories.UserFactory(display_name="Bruno Buddy", preferred_language="pt")

    with django_capture_on_commit_callbacks(execute=True):
        pairing = services.buddy_pair(newcomer=newcomer, buddy=buddy, by=facilitator)

    pairing.refresh_from_db()
    assert (pairing.newcomer_id, pairing.buddy_id, pairing.paired_by_id) == (newcomer.pk, buddy.pk, facilitator.pk)
    assert pairing.introduced_at is not None
    entry = AuditEntry.objects.get()
    assert (entry.kind, entry.actor_id, entry.target_label) == (AuditKind.BUDDY_PAIRED, facilitator.pk, "Nina Newcomer")
    assert entry.note == "Buddy: Bruno Buddy"
    to_newcomer, to_buddy = mail.outbox
    assert to_newcomer.to == [newcomer.email]
    assert to_newcomer.body.startswith("Bonjour Nina Newcomer,")
    assert f"http://testserver{buddy.get_absolute_url()}" in to_newcomer.body
    assert '<html lang="fr">' in to_newcomer.alternatives[0][0]
    assert to_buddy.to == [buddy.email]
    assert to_buddy.body.startswith("Olá Bruno Buddy,")
    assert f"http://testserver{newcomer.get_absolute_url()}" in to_buddy.body
    assert '<html lang="pt">' in to_buddy.alternatives[0][0]


def test_introductions_go_out_once_per_pairing(facilitator, django_capture_on_commit_callbacks):
    newcomer, buddy = factories.UserFactory(), factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        pairing = services.buddy_pair(newcomer=newcomer, buddy=buddy, by=facilitator)

    # The task delivered twice (a retry), and the same pairing asked again.
    assert send_buddy_introductions(pairing_id=pairing.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        again = services.buddy_pair(newcomer=newcomer, buddy=buddy, by=facilitator)

    assert again.pk == pairing.pk
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(kind=AuditKind.BUDDY_PAIRED).count() == 1


def test_another_buddy_replaces_the_pairing_and_introduces_the_new_one(facilitator, django_capture_on_commit_callbacks):
    newcomer, first, second = factories.UserFactory(), factories.UserFactory(), factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.buddy_pair(newcomer=newcomer, buddy=first, by=facilitator)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.buddy_pair(newcomer=newcomer, buddy=second, by=facilitator)

    assert list(BuddyPairing.objects.values_list("newcomer_id", "buddy_id")) == [(newcomer.pk, second.pk)]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([newcomer.email, second.email])


@pytest.mark.parametrize("state", [MemberState.PENDING, MemberState.SUSPENDED])
def test_only_approved_members_are_paired(state, facilitator):
    newcomer, other = factories.UserFactory(), factories.UserFactory(state=state)

    with pytest.raises(services.PairingError):
        services.buddy_pair(newcomer=newcomer, buddy=other, by=facilitator)
    with pytest.raises(services.PairingError):
        services.buddy_pair(newcomer=other, buddy=newcomer, by=facilitator)
    with pytest.raises(services.PairingError):
        services.buddy_pair(newcomer=newcomer, buddy=newcomer, by=facilitator)

    assert BuddyPairing.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "status"), [("visitor", 302), ("pending", 302), ("member", 404), ("editor", 404), ("facilitator", 200)]
)
def test_pairing_page_by_role(role, status, client_for):
    newcomer = factories.UserFactory()
    client = client_for(role)

    response = client.get(reverse("community:buddy", args=[newcomer.username]))

    assert response.status_code == status


def test_a_member_cannot_pair(member_client):
    newcomer, buddy = factories.UserFactory(), factories.UserFactory()

    response = member_client.post(reverse("community:buddy", args=[newcomer.username]), {"buddy": buddy.pk})

    assert response.status_code == 404
    assert BuddyPairing.objects.count() == 0


@pytest.mark.parametrize("username", ["nobody", "bad\x00name"])
def test_pairing_page_of_no_such_member_is_404(username, facilitator_client):
    response = facilitator_client.get(f"/members/{username}/buddy/")

    assert response.status_code == 404


def test_pairing_page_of_a_pending_member_is_404(facilitator_client, pending):
    response = facilitator_client.get(reverse("community:buddy", args=[pending.username]))

    assert response.status_code == 404


def test_facilitator_pairs_through_the_page(facilitator_client, facilitator, django_capture_on_commit_callbacks):
    newcomer = _speaking("es", country="ES", display_name="Nina Newcomer")
    buddy = _speaking("es", country="ES", display_name="Sara Suggested")
    url = reverse("community:buddy", args=[newcomer.username])

    page = facilitator_client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator_client.post(url, {"buddy": buddy.pk})

    assert f'value="{buddy.pk}"' in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == newcomer.get_absolute_url()
    assert list(BuddyPairing.objects.values_list("buddy_id", "paired_by_id")) == [(buddy.pk, facilitator.pk)]
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("value", ["", "abc", "999999", "1\x00"])
def test_bad_buddy_choice_is_a_form_error(value, facilitator_client):
    newcomer = factories.UserFactory()

    response = facilitator_client.post(reverse("community:buddy", args=[newcomer.username]), {"buddy": value})

    assert response.status_code == 200
    assert BuddyPairing.objects.count() == 0


def test_newcomer_cannot_be_chosen_as_own_buddy(facilitator_client):
    newcomer = factories.UserFactory()

    response = facilitator_client.post(reverse("community:buddy", args=[newcomer.username]), {"buddy": newcomer.pk})

    assert response.status_code == 200
    assert BuddyPairing.objects.count() == 0


def test_find_lists_members_by_name_and_saves_nothing(facilitator_client):
    newcomer = factories.UserFactory()
    far = factories.UserFactory(display_name="Zeno Faraway", country="JP")

    response = facilitator_client.post(
        reverse("community:buddy", args=[newcomer.username]), {"find": "Zeno", "find_members": "1"}
    )

    assert response.status_code == 200
    assert f'value="{far.pk}"' in response.content.decode()
    assert BuddyPairing.objects.count() == 0


def test_pairing_page_queries_do_not_grow_with_members(facilitator_client, django_assert_max_num_queries):
    newcomer = _speaking("pt", country="PT")
    url = reverse("community:buddy", args=[newcomer.username])
    _speaking("pt", country="PT")
    facilitator_client.get(url)
    with django_assert_max_num_queries(15) as one:
        facilitator_client.get(url)
    for _ in range(9):
        _speaking("pt", country="PT")

    with django_assert_max_num_queries(15) as ten:
        facilitator_client.get(url)

    assert len(ten.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize(("who", "shown"), [("newcomer", True), ("buddy", True), ("other", False)])
def test_pairing_shown_on_the_profile_to_both(who, shown, client, facilitator):
    newcomer = factories.UserFactory(display_name="Nina Newcomer")
    buddy = factories.UserFactory(display_name="Bruno Buddy")
    services.buddy_pair(newcomer=newcomer, buddy=buddy, by=facilitator)
    client.force_login({"newcomer": newcomer, "buddy": buddy, "other": factories.UserFactory()}[who])

    page = client.get(newcomer.get_absolute_url()).content.decode()

    assert ('id="profile-buddy"' in page) is shown


def test_pairing_shown_on_both_dashboards(client, facilitator):
    newcomer = factories.UserFactory(display_name="Nina Newcomer")
    buddy = factories.UserFactory(display_name="Bruno Buddy")
    services.buddy_pair(newcomer=newcomer, buddy=buddy, by=facilitator)

    client.force_login(newcomer)
    to_newcomer = client.get("/").content.decode()
    client.force_login(buddy)
    to_buddy = client.get("/").content.decode()

    assert f'Your buddy: <a href="{buddy.get_absolute_url()}">Bruno Buddy</a>' in to_newcomer
    assert f'You are the buddy of <a href="{newcomer.get_absolute_url()}">Nina Newcomer</a>' in to_buddy


def test_pending_page_lists_newcomers_without_buddy(facilitator_client, facilitator):
    waiting = factories.pending_member()
    services.membership_transition(member=waiting, to=MemberState.APPROVED, by=facilitator)
    paired = factories.pending_member()
    services.membership_transition(member=paired, to=MemberState.APPROVED, by=facilitator)
    services.buddy_pair(newcomer=paired, buddy=facilitator, by=facilitator)

    page = facilitator_client.get(reverse("community:pending")).content.decode()

    assert f'id="newcomer-{waiting.username}"' in page
    assert f'id="newcomer-{paired.username}"' not in page


def test_export_holds_the_pairing_and_the_reading(client, facilitator):
    newcomer = factories.UserFactory(display_name="Nina Newcomer")
    buddy = factories.UserFactory(display_name="Bruno Buddy")
    services.buddy_pair(newcomer=newcomer, buddy=buddy, by=facilitator)
    client.force_login(buddy)

    data = client.get(reverse("community:export")).json()

    assert data["first_steps"] == {"onboarding_chapter_read_at": None, "buddy": None, "buddy_of": ["Nina Newcomer"]}
