from datetime import timedelta
from itertools import product

import pytest
from django.utils import timezone

from community.tests.factories import UserFactory
from community.tests.factories import facilitator as make_facilitator
from meetings.enums import AgendaKind, MeetingState
from meetings.models import AgendaItem
from themes import services
from themes.enums import ThemeState
from themes.models import Theme, ThemeTransition
from themes.services import TRANSITIONS, ThemeError, theme_transition
from themes.tests.factories import MeetingFactory, ThemeFactory, presenter

pytestmark = pytest.mark.django_db

EXPECTED_MOVES = {
    ("proposed", "scheduled"): "facilitator",
    ("proposed", "withdrawn"): "proposer",
    ("proposed", "declined"): "facilitator",
    ("scheduled", "scheduled"): "facilitator",
    ("scheduled", "proposed"): "facilitator",
    ("scheduled", "presented"): "facilitator",
    ("presented", "archived"): "facilitator",
}
ALL_MOVES = list(product(ThemeState.values, ThemeState.values))


def _theme_in(state: str, *, meeting=None) -> Theme:
    theme = ThemeFactory(state=state, meeting=meeting)
    if state == ThemeState.SCHEDULED:
        # A meeting under way: the theme may be moved, taken off or marked as presented.
        meeting = meeting or MeetingFactory(starts_at=timezone.now() - timedelta(minutes=30))
        item = AgendaItem.objects.create(meeting=meeting, kind=AgendaKind.HUMAN_BOOKSTORE, title=theme.title)
        Theme.objects.filter(pk=theme.pk).update(meeting=meeting, agenda_item=item)
        theme.refresh_from_db()
    return theme


def test_the_table_is_exactly_the_documented_moves():
    assert {(str(a), str(b)): actor for (a, b), actor in TRANSITIONS.items()} == EXPECTED_MOVES


@pytest.mark.parametrize(("source", "to"), list(EXPECTED_MOVES))
def test_every_allowed_move_works_and_is_recorded(source, to, django_capture_on_commit_callbacks):
    theme = _theme_in(source)
    actor = make_facilitator() if EXPECTED_MOVES[(source, to)] == "facilitator" else theme.proposer
    meeting = MeetingFactory() if to == ThemeState.SCHEDULED else None

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        theme_transition(theme=theme, to=to, by=actor, meeting=meeting, note="Because.")

    theme.refresh_from_db()
    assert theme.state == to
    assert theme.state_changed_by == actor
    assert theme.state_note == "Because."
    assert timezone.now() - theme.state_changed_at < timedelta(seconds=5)
    change = ThemeTransition.objects.get(theme=theme)
    assert (change.from_state, change.to_state, change.by, change.note) == (source, to, actor, "Because.")
    assert len(callbacks) == 1  # the notification, queued after commit


@pytest.mark.parametrize(("source", "to"), [move for move in ALL_MOVES if move not in EXPECTED_MOVES])
def test_every_other_move_is_refused_and_changes_nothing(source, to):
    theme = _theme_in(source)
    before = Theme.objects.values().get(pk=theme.pk)

    with pytest.raises(ThemeError, match="cannot become"):
        theme_transition(theme=theme, to=to, by=make_facilitator(), meeting=MeetingFactory(), note="x")

    assert Theme.objects.values().get(pk=theme.pk) == before
    assert ThemeTransition.objects.filter(theme=theme).count() == 0


def test_unknown_target_state_is_refused():
    theme = _theme_in(ThemeState.PROPOSED)
    with pytest.raises(ThemeError):
        theme_transition(theme=theme, to="published", by=make_facilitator())
    assert Theme.objects.get(pk=theme.pk).state == ThemeState.PROPOSED


def test_a_member_cannot_make_a_facilitator_move():
    theme = _theme_in(ThemeState.PROPOSED)
    with pytest.raises(ThemeError, match="Only a facilitator"):
        theme_transition(theme=theme, to=ThemeState.DECLINED, by=theme.proposer, note="no")
    assert Theme.objects.get(pk=theme.pk).state == ThemeState.PROPOSED


def test_only_the_proposer_withdraws():
    theme = _theme_in(ThemeState.PROPOSED)
    with pytest.raises(ThemeError, match="Only the proposer"):
        theme_transition(theme=theme, to=ThemeState.WITHDRAWN, by=make_facilitator())
    with pytest.raises(ThemeError, match="Only the proposer"):
        theme_transition(theme=theme, to=ThemeState.WITHDRAWN, by=UserFactory())
    assert Theme.objects.get(pk=theme.pk).state == ThemeState.PROPOSED


def test_declining_needs_a_reason():
    theme = _theme_in(ThemeState.PROPOSED)
    with pytest.raises(ThemeError, match="reason"):
        theme_transition(theme=theme, to=ThemeState.DECLINED, by=make_facilitator(), note="  ")
    assert Theme.objects.get(pk=theme.pk).state == ThemeState.PROPOSED


@pytest.mark.parametrize(
    ("state", "days"),
    [(MeetingState.DRAFT, 10), (MeetingState.CANCELLED, 10), (MeetingState.PUBLISHED, -1)],
)
def test_only_published_upcoming_meetings_can_be_chosen(state, days):
    theme = _theme_in(ThemeState.PROPOSED)
    meeting = MeetingFactory(state=state, starts_at=timezone.now() + timedelta(days=days))

    with pytest.raises(ThemeError, match="published meeting"):
        theme_transition(theme=theme, to=ThemeState.SCHEDULED, by=make_facilitator(), meeting=meeting)

    theme.refresh_from_db()
    assert (theme.state, theme.meeting, theme.agenda_item) == (ThemeState.PROPOSED, None, None)
    assert AgendaItem.objects.count() == 0


def test_scheduling_fills_the_meetings_human_bookstore_item():
    theme = _theme_in(ThemeState.PROPOSED)
    first, second = presenter(theme), presenter(theme)
    meeting = MeetingFactory()
    AgendaItem.objects.create(meeting=meeting, kind=AgendaKind.HOT_NEWS, title="Hot news", position=1)
    bookstore = AgendaItem.objects.create(
        meeting=meeting, kind=AgendaKind.HUMAN_BOOKSTORE, title="Human bookstore", position=2
    )

    theme_transition(theme=theme, to=ThemeState.SCHEDULED, by=make_facilitator(), meeting=meeting)

    theme.refresh_from_db()
    bookstore.refresh_from_db()
    assert (theme.state, theme.meeting, theme.agenda_item) == (ThemeState.SCHEDULED, meeting, bookstore)
    assert bookstore.title == theme.title
    assert set(bookstore.leads.all()) == {first.member, second.member}
    assert AgendaItem.objects.filter(meeting=meeting).count() == 2


def test_scheduling_creates_the_item_when_the_meeting_has_none():
    theme = _theme_in(ThemeState.PROPOSED)
    role = presenter(theme)
    meeting = MeetingFactory()
    AgendaItem.objects.create(meeting=meeting, kind=AgendaKind.HOT_NEWS, title="Hot news", position=4)

    theme_transition(theme=theme, to=ThemeState.SCHEDULED, by=make_facilitator(), meeting=meeting)

    item = AgendaItem.objects.get(meeting=meeting, kind=AgendaKind.HUMAN_BOOKSTORE)
    assert (item.title, item.position, list(item.leads.all())) == (theme.title, 5, [role.member])
    assert Theme.objects.get(pk=theme.pk).agenda_item == item


def test_a_second_theme_on_the_same_meeting_gets_its_own_item():
    meeting = MeetingFactory()
    fac = make_facilitator()
    one, two = _theme_in(ThemeState.PROPOSED), _theme_in(ThemeState.PROPOSED)

    theme_transition(theme=one, to=ThemeState.SCHEDULED, by=fac, meeting=meeting)
    theme_transition(theme=two, to=ThemeState.SCHEDULED, by=fac, meeting=meeting)

    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))
    assert [(i.kind, i.title) for i in items] == [
        (AgendaKind.HUMAN_BOOKSTORE, one.title),
        (AgendaKind.HUMAN_BOOKSTORE, two.title),
    ]


def test_unscheduling_empties_the_agenda_item():
    theme = _theme_in(ThemeState.PROPOSED)
    presenter(theme)
    meeting = MeetingFactory()
    fac = make_facilitator()
    theme_transition(theme=theme, to=ThemeState.SCHEDULED, by=fac, meeting=meeting)
    item = Theme.objects.get(pk=theme.pk).agenda_item

    theme_transition(theme=theme, to=ThemeState.PROPOSED, by=fac)

    theme.refresh_from_db()
    item.refresh_from_db()
    assert (theme.state, theme.meeting, theme.agenda_item) == (ThemeState.PROPOSED, None, None)
    assert item.title == "Human bookstore"
    assert list(item.leads.all()) == []
    assert not hasattr(item, "theme") or item.theme is None
    assert ThemeTransition.objects.filter(theme=theme).last().meeting == meeting


def test_moving_to_another_meeting_empties_the_first_item_and_fills_the_second():
    theme = _theme_in(ThemeState.PROPOSED)
    role = presenter(theme)
    fac = make_facilitator()
    march, may = MeetingFactory(), MeetingFactory(starts_at=timezone.now() + timedelta(days=60))
    theme_transition(theme=theme, to=ThemeState.SCHEDULED, by=fac, meeting=march)
    first_item = Theme.objects.get(pk=theme.pk).agenda_item

    theme_transition(theme=theme, to=ThemeState.SCHEDULED, by=fac, meeting=may)

    theme.refresh_from_db()
    first_item.refresh_from_db()
    assert theme.meeting == may
    assert theme.agenda_item.meeting == may
    assert list(theme.agenda_item.leads.all()) == [role.member]
    assert (first_item.title, list(first_item.leads.all())) == ("Human bookstore", [])


def test_presenting_keeps_the_theme_on_its_meeting():
    theme = _theme_in(ThemeState.SCHEDULED)
    meeting, item = theme.meeting, theme.agenda_item

    theme_transition(theme=theme, to=ThemeState.PRESENTED, by=make_facilitator())

    theme.refresh_from_db()
    assert (theme.state, theme.meeting, theme.agenda_item) == (ThemeState.PRESENTED, meeting, item)


def test_a_theme_is_not_presented_before_its_meeting_begins(django_capture_on_commit_callbacks):
    theme = _theme_in(ThemeState.SCHEDULED, meeting=MeetingFactory())
    fac = make_facilitator()
    assert ThemeState.PRESENTED not in services.allowed_moves(theme=theme, user=fac)

    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(ThemeError, match="once its meeting has begun"),
    ):
        theme_transition(theme=theme, to=ThemeState.PRESENTED, by=fac)

    assert Theme.objects.get(pk=theme.pk).state == ThemeState.SCHEDULED
    assert ThemeTransition.objects.filter(theme=theme).count() == 0
    assert callbacks == []


def test_the_presented_page_answers_404_before_the_meeting_begins(client):
    theme = _theme_in(ThemeState.SCHEDULED, meeting=MeetingFactory())
    client.force_login(make_facilitator())

    assert client.get(f"/themes/{theme.pk}/state/presented/").status_code == 404
    assert client.post(f"/themes/{theme.pk}/state/presented/", {"note": ""}).status_code == 404
    assert "Mark as presented" not in client.get(f"/themes/{theme.pk}/").content.decode()
    assert Theme.objects.get(pk=theme.pk).state == ThemeState.SCHEDULED


def test_allowed_moves_depend_on_the_user():
    theme = _theme_in(ThemeState.PROPOSED)
    assert services.allowed_moves(theme=theme, user=theme.proposer) == [ThemeState.WITHDRAWN]
    assert services.allowed_moves(theme=theme, user=make_facilitator()) == [ThemeState.SCHEDULED, ThemeState.DECLINED]
    assert services.allowed_moves(theme=theme, user=UserFactory()) == []


@pytest.mark.django_db(transaction=True)
def test_two_themes_scheduled_at_once_on_one_meeting_get_their_own_items():
    import threading

    from django.db import connection

    meeting = MeetingFactory()
    AgendaItem.objects.create(meeting=meeting, kind=AgendaKind.HUMAN_BOOKSTORE, title="Human bookstore")
    themes = [_theme_in(ThemeState.PROPOSED), _theme_in(ThemeState.PROPOSED)]
    fac = UserFactory(is_superuser=True)  # a flush removed the Facilitators group: superusers facilitate
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def schedule(theme):
        try:
            barrier.wait(timeout=10)
            theme_transition(theme=theme, to=ThemeState.SCHEDULED, by=fac, meeting=meeting)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=schedule, args=(theme,)) for theme in themes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    items = AgendaItem.objects.filter(meeting=meeting, kind=AgendaKind.HUMAN_BOOKSTORE)
    assert items.count() == 2
    assert sorted(Theme.objects.values_list("agenda_item", flat=True)) == sorted(items.values_list("pk", flat=True))


def test_cancelling_the_meeting_sends_its_themes_back_to_the_backlog():
    from meetings import services as meeting_services
    from meetings.enums import MeetingState

    theme = _theme_in(ThemeState.PROPOSED)
    presenter(theme)
    meeting = MeetingFactory()
    facilitator = make_facilitator()
    theme_transition(theme=theme, to=ThemeState.SCHEDULED, by=facilitator, meeting=meeting)

    meeting_services.meeting_cancel(meeting=meeting, reason="The venue closed", by=facilitator)

    theme.refresh_from_db()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
    assert (theme.state, theme.meeting, theme.agenda_item) == (ThemeState.PROPOSED, None, None)
    assert list(theme.transitions.order_by("pk").values_list("from_state", "to_state", "note"))[-1] == (
        ThemeState.SCHEDULED,
        ThemeState.PROPOSED,
        "The meeting was cancelled.",
    )
