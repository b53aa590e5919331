import pytest

from .backends import FlakyBackend
from .dispatching import STARTS_AT
from .factories import AgendaItemFactory, MeetingFactory


@pytest.fixture
def flaky_mail(settings):
    """Mail goes to ``mail.outbox`` through a backend that can be told to fail."""
    settings.EMAIL_BACKEND = "meetings.reminders.tests.backends.FlakyBackend"
    FlakyBackend.configure()
    yield FlakyBackend
    FlakyBackend.configure()


@pytest.fixture
def meeting():
    """A published meeting at 09:00 in Brussels on the day clocks move forward, with its agenda
    (the dispatch tests; a module's own ``meeting`` fixture takes precedence)."""
    meeting = MeetingFactory(title="Spring meeting", starts_at=STARTS_AT)
    AgendaItemFactory(meeting=meeting, title="Hot news", duration_minutes=20, position=1)
    AgendaItemFactory(
        meeting=meeting, title="Human bookstore: valorising a partnership", duration_minutes=45, position=2
    )
    return meeting
