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
    try:
        reverse("community:profile_edit")
    except NoReverseMatch:
        settings.ROOT_URLCONF = "themes.tests.urls_with_preferences"
    yield


@pytest.fixture
def theme(member):
    return ThemeFactory(proposer=member, title="Gamified speed networking between partners")


@pytest.fixture
def meeting(db):
    return MeetingFactory(title="Meeting of March")
