"""Fixtures for the themes tests."""

import pytest
from django.urls import NoReverseMatch, reverse

from themes.tests.factories import MeetingFactory, ThemeFactory


@pytest.fixture
def notification_urls(settings):
    """Notification emails link to the member's preferences page.

    Until the members' profile pages exist in this code base, a stand-in route answers
    for ``community:profile_edit`` so the emails can be rendered.
    """
    _stand_ins_if_missing(settings, "community:profile_edit")
    yield


@pytest.fixture
def guide_urls(settings):
    """The theme page links to ``guide:contribute``; a stand-in answers while the guide is missing."""
    _stand_ins_if_missing(settings, "guide:contribute")
    yield


def _stand_ins_if_missing(settings, name: str) -> None:
    try:
        reverse(name)
    except NoReverseMatch:
        settings.ROOT_URLCONF = "themes.tests.urls_with_preferences"


@pytest.fixture
def theme(member):
    return ThemeFactory(proposer=member, title="Gamified speed networking between partners")


@pytest.fixture
def meeting(db):
    return MeetingFactory(title="Meeting of March")
