"""Fixtures for the themes tests."""

import pytest

from community.tests.factories import UserFactory
from themes.tests.factories import MeetingFactory, ThemeFactory


@pytest.fixture
def theme(member):
    return ThemeFactory(proposer=member, title="Gamified speed networking between partners")


@pytest.fixture
def meeting(db):
    return MeetingFactory(title="Meeting of March")


@pytest.fixture
def viewer(client):
    """A signed-in member's client (``viewer.member``)."""
    member = UserFactory(display_name="Viewer Member")
    client.force_login(member)
    client.member = member
    return client
