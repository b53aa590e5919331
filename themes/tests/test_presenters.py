import threading

import pytest
from django.core import mail
from django.db import IntegrityError, close_old_connections, connection, transaction

from community.tests.factories import UserFactory
from community.tests.factories import facilitator as make_facilitator
from meetings.models import AgendaItem
from themes import services
from themes.enums import PresenterStatus, ThemeState
from themes.models import PresenterRole
from themes.services import ThemeError, presenters
from themes.tests.factories import MeetingFactory, ThemeFactory, presenter

pytestmark = pytest.mark.django_db


def _statuses(theme):
    return sorted(
        (role.member.email, role.status, role.slot)
        for role in PresenterRole.objects.filter(theme=theme).select_related("member")
    )


def test_volunteer_takes_a_free_slot():
    theme, member = ThemeFactory(), UserFactory()

    role = services.presenter_volunteer(theme=theme, member=member, pitch="We ran it for two years.")

    assert (role.status, role.slot, role.pitch) == (PresenterStatus.VOLUNTEERED, 1, "We ran it for two years.")
    assert _statuses(theme) == [(member.email, "volunteered", 1)]


def test_volunteer_refused_when_two_presenters_confirmed():
    theme = ThemeFactory()
    presenter(theme), presenter(theme)
    third = UserFactory()

    with pytest.raises(ThemeError, match="already has two presenters"):
        services.presenter_volunteer(theme=theme, member=third, pitch="Me too")

    assert PresenterRole.objects.filter(theme=theme).count() == 2
    assert not PresenterRole.objects.filter(member=third).exists()


def test_the_database_refuses_a_third_presenter_slot():
    theme = ThemeFactory()
    presenter(theme, slot=1), presenter(theme, slot=2)

    with pytest.raises(IntegrityError), transaction.atomic():
        PresenterRole.objects.create(theme=theme, member=UserFactory(), status=PresenterStatus.CONFIRMED, slot=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        PresenterRole.objects.create(theme=theme, member=UserFactory(), status=PresenterStatus.CONFIRMED, slot=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        PresenterRole.objects.create(theme=theme, member=UserFactory(), status=PresenterStatus.CONFIRMED, slot=None)
    assert PresenterRole.objects.filter(theme=theme).count() == 2


def test_volunteering_twice_is_refused():
    theme, member = ThemeFactory(), UserFactory()
    services.presenter_volunteer(theme=theme, member=member, pitch="x")

    with pytest.raises(ThemeError, match="already volunteered"):
        services.presenter_volunteer(theme=theme, member=member, pitch="y")
    assert _statuses(theme) == [(member.email, "volunteered", 1)]


@pytest.mark.parametrize(
    "state", [ThemeState.PRESENTED, ThemeState.ARCHIVED, ThemeState.WITHDRAWN, ThemeState.DECLINED]
)
def test_closed_themes_take_no_volunteer(state):
    theme = ThemeFactory(state=state)
    with pytest.raises(ThemeError, match="no longer looks for presenters"):
        services.presenter_volunteer(theme=theme, member=UserFactory(), pitch="x")
    assert PresenterRole.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_volunteers_for_the_last_slot_only_one_wins():
    theme = ThemeFactory()
    presenter(theme, slot=1)
    candidates = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def volunteer(member):
        try:
            barrier.wait(timeout=10)
            services.presenter_volunteer(theme=theme, member=member, pitch="I can")
            outcomes.append("ok")
        except ThemeError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=volunteer, args=(member,)) for member in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    close_old_connections()

    assert sorted(outcomes) == ["This theme already has two presenters.", "ok"]
    assert PresenterRole.objects.filter(theme=theme, slot__isnull=False).count() == 2
    assert sorted(PresenterRole.objects.filter(theme=theme).values_list("slot", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_volunteers_on_an_empty_theme_both_get_a_slot():
    theme = ThemeFactory()
    candidates = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def volunteer(member):
        try:
            barrier.wait(timeout=10)
            services.presenter_volunteer(theme=theme, member=member, pitch="I can")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=volunteer, args=(member,)) for member in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(PresenterRole.objects.filter(theme=theme).values_list("slot", flat=True)) == [1, 2]


def test_third_volunteer_sees_a_clear_message_and_keeps_their_text(client):
    theme = ThemeFactory()
    presenter(theme), presenter(theme)
    client.force_login(UserFactory())

    response = client.post(f"/themes/{theme.pk}/volunteer/", {"pitch": "My own story with partners"})

    assert response.status_code == 200
    assert "This theme already has two presenters." in response.content.decode()
    assert "My own story with partners" in response.content.decode()
    assert PresenterRole.objects.filter(theme=theme).count() == 2


def test_volunteer_page_records_the_offer(member_client, member):
    theme = ThemeFactory()

    response = member_client.post(f"/themes/{theme.pk}/volunteer/", {"pitch": "We did this in Porto."})

    assert response.status_code == 302
    assert response["Location"] == f"/themes/{theme.pk}/#presenters"
    assert _statuses(theme) == [(member.email, "volunteered", 1)]


def test_volunteer_without_a_pitch_gets_a_form_error(member_client):
    theme = ThemeFactory()
    response = member_client.post(f"/themes/{theme.pk}/volunteer/", {"pitch": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"pitch": ["This field is required."]}
    assert PresenterRole.objects.count() == 0


def test_presenter_invites_a_co_presenter_who_accepts(django_capture_on_commit_callbacks):
    theme = ThemeFactory()
    lead = presenter(theme, status=PresenterStatus.VOLUNTEERED).member
    guest = UserFactory(display_name="Kofi Mensah")

    with django_capture_on_commit_callbacks(execute=True):
        services.presenter_invite(theme=theme, by=lead, member=guest)

    assert _statuses(theme) == sorted([(lead.email, "volunteered", 1), (guest.email, "invited", 2)])
    assert [m.to for m in mail.outbox] == [[guest.email]]
    assert mail.outbox[0].subject == f"Invitation to co-present “{theme.title}”"

    services.presenter_respond(theme=theme, member=guest, accept=True)
    assert _statuses(theme) == sorted([(lead.email, "volunteered", 1), (guest.email, "volunteered", 2)])


def test_an_invitation_declined_frees_the_slot():
    theme = ThemeFactory()
    lead = presenter(theme).member
    guest = UserFactory()
    services.presenter_invite(theme=theme, by=lead, member=guest)

    services.presenter_respond(theme=theme, member=guest, accept=False)

    assert _statuses(theme) == sorted([(lead.email, "confirmed", 1), (guest.email, "declined", None)])
    services.presenter_volunteer(theme=theme, member=UserFactory(), pitch="x")  # the slot is free again
    assert PresenterRole.objects.filter(theme=theme, slot=2).count() == 1


def test_a_pending_invitation_holds_the_second_slot():
    theme = ThemeFactory()
    lead = presenter(theme).member
    services.presenter_invite(theme=theme, by=lead, member=UserFactory())

    with pytest.raises(ThemeError, match="already has two presenters"):
        services.presenter_volunteer(theme=theme, member=UserFactory(), pitch="x")


def test_only_a_presenter_invites():
    theme = ThemeFactory()
    with pytest.raises(ThemeError, match="Only a presenter"):
        services.presenter_invite(theme=theme, by=theme.proposer, member=UserFactory())
    assert PresenterRole.objects.count() == 0


def test_facilitator_confirms_and_removes_presenters_and_the_agenda_item_follows():
    fac = make_facilitator()
    theme = ThemeFactory()
    one = presenter(theme, status=PresenterStatus.VOLUNTEERED)
    services.theme_transition(theme=theme, to=ThemeState.SCHEDULED, by=fac, meeting=MeetingFactory())
    two = services.presenter_volunteer(theme=theme, member=UserFactory(), pitch="x")
    item = AgendaItem.objects.get(theme=theme)
    assert set(item.leads.all()) == {one.member, two.member}

    services.presenter_confirm(role=one, by=fac)
    services.presenter_remove(role=two, by=fac)

    assert _statuses(theme) == sorted([(one.member.email, "confirmed", 1), (two.member.email, "removed", None)])
    assert list(item.leads.all()) == [one.member]


def test_a_member_cannot_confirm_presenters():
    theme = ThemeFactory()
    role = presenter(theme, status=PresenterStatus.VOLUNTEERED)
    with pytest.raises(ThemeError, match="Only a facilitator"):
        services.presenter_confirm(role=role, by=theme.proposer)
    assert PresenterRole.objects.get(pk=role.pk).status == PresenterStatus.VOLUNTEERED


def test_proposer_who_can_present_takes_the_first_slot(member):
    theme = services.theme_propose(
        proposer=member, title="Our job fair", summary="s", reason="innovation", can_present=True, pitch="We ran it"
    )
    assert _statuses(theme) == [(member.email, "volunteered", 1)]


def test_a_stale_view_of_the_slots_still_cannot_add_a_third_presenter():
    """Even if a concurrent transaction's roles were not seen, the constraint refuses the slot."""
    theme = ThemeFactory()
    presenter(theme, slot=1), presenter(theme, slot=2)

    with pytest.raises(ThemeError, match="already has two presenters"):
        presenters._take_slot(theme=theme, member=UserFactory(), roles=[], status=PresenterStatus.VOLUNTEERED)

    assert PresenterRole.objects.filter(theme=theme).count() == 2
