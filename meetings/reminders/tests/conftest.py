import pytest

from .backends import FlakyBackend


@pytest.fixture
def flaky_mail(settings):
    """Mail goes to ``mail.outbox`` through a backend that can be told to fail."""
    settings.EMAIL_BACKEND = "meetings.reminders.tests.backends.FlakyBackend"
    FlakyBackend.configure()
    yield FlakyBackend
    FlakyBackend.configure()
