"""The interest and presenter count columns follow every write that changes what they count."""

import pytest

from community.tests.factories import UserFactory
from community.tests.factories import facilitator as make_facilitator
from themes import services
from themes.enums import SLOT_STATUSES, ThemeReason
from themes.models import PresenterRole, Theme, ThemeInterest

pytestmark = pytest.mark.django_db


def _columns(theme) -> tuple[int, int]:
    return tuple(Theme.objects.values_list("interest_count", "presenter_count").get(pk=theme.pk))


def _recounted(theme) -> tuple[int, int]:
    return (
        ThemeInterest.objects.filter(theme=theme).count(),
        PresenterRole.objects.filter(theme=theme, status__in=SLOT_STATUSES).count(),
    )


def test_counts_follow_interest_and_every_presenter_move(django_capture_on_commit_callbacks):
    proposer, first, second, fac = UserFactory(), UserFactory(), UserFactory(), make_facilitator()
    theme = services.theme_propose(
        proposer=proposer,
        title="Our charter",
        summary="How we wrote it.",
        reason=ThemeReason.INNOVATION,
        can_present=True,
    )
    assert _columns(theme) == (0, 1)

    assert services.theme_set_interest(theme=theme, member=first, interested=True) == 1
    assert services.theme_set_interest(theme=theme, member=first, interested=True) == 1  # a double submit
    assert services.theme_set_interest(theme=theme, member=second, interested=True) == 2
    assert _columns(theme) == (2, 1)
    assert services.theme_set_interest(theme=theme, member=second, interested=False) == 1
    assert _columns(theme) == (1, 1)

    proposer_role = PresenterRole.objects.get(theme=theme, member=proposer)
    services.presenter_remove(role=proposer_role, by=fac)
    assert _columns(theme) == (1, 0)

    role = services.presenter_volunteer(theme=theme, member=first)
    assert _columns(theme) == (1, 1)
    services.presenter_confirm(role=role, by=fac)
    assert _columns(theme) == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.presenter_invite(theme=theme, by=first, member=second)
    assert _columns(theme) == (1, 2)
    services.presenter_respond(theme=theme, member=second, accept=False)
    assert _columns(theme) == (1, 1)
    assert _columns(theme) == _recounted(theme)


def test_counts_follow_a_member_erasing_their_data():
    theme = Theme.objects.create(title="Our charter", summary="How we wrote it.", reason=ThemeReason.INNOVATION)
    member, other = UserFactory(), UserFactory()
    services.theme_set_interest(theme=theme, member=member, interested=True)
    services.theme_set_interest(theme=theme, member=other, interested=True)
    services.presenter_volunteer(theme=theme, member=member)
    assert _columns(theme) == (2, 1)

    services.member_data_erase(member=member)

    assert _columns(theme) == (1, 0)
    assert _columns(theme) == _recounted(theme)
