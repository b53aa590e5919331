"""Fixtures for the themes tests."""

import pytest

from themes.tests.factories import MeetingFactory, ThemeFactory


@pytest.fixture
def theme(member):
    return ThemeFactory(proposer=member, title="Gamified speed networking between partners")


@pytest.fixture
def meeting(db):
    return MeetingFactory(title="Meeting of March")
