"""Fixtures shared by every app's tests: one user per role and a client signed in as it."""

import pytest
from django.core.cache import cache
from django.test import Client

from community.tests import factories

# A real SMTP server and worker process for the tests that send through Celery (any app's).
pytest_plugins = ("meetings.reminders.tests.worker_fixtures",)

ROLES = ("visitor", "pending", "member", "facilitator", "editor")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached fragments must not leak from one test to the next."""
    cache.clear()
    yield


@pytest.fixture
def admin_user(db, django_user_model):
    """pytest-django's superuser, with the second factor every staff account must have."""
    from community import twofactor

    user = django_user_model.objects.create_superuser(
        username="admin", email="admin@example.org", password="password", display_name="Admin"
    )
    twofactor.totp_enable(user=user, secret=factories.TEST_TOTP_SECRET)
    return user


@pytest.fixture
def member(db):
    return factories.UserFactory(display_name="Mariana Costa")


@pytest.fixture
def pending(db):
    return factories.pending_member(display_name="Pedro Pending")


@pytest.fixture
def facilitator(db):
    return factories.facilitator(display_name="Fatou Diallo")


@pytest.fixture
def editor(db):
    return factories.guide_editor(display_name="Étienne Marchand")


@pytest.fixture
def user_for_role(db):
    """Make a fresh user for a role name from ROLES (None for a visitor)."""

    def make(role: str):
        return {
            "visitor": lambda: None,
            "pending": factories.pending_member,
            "member": factories.UserFactory,
            "facilitator": factories.facilitator,
            "editor": factories.guide_editor,
        }[role]()

    return make


@pytest.fixture
def client_for(user_for_role):
    """A test client signed in as a fresh user of the given role (anonymous for a visitor)."""

    def make(role: str) -> Client:
        client = Client()
        user = user_for_role(role)
        if user is not None:
            client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client
