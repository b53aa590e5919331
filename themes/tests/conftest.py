import pytest

from community.tests.factories import UserFactory


@pytest.fixture
def viewer(client):
    """A signed-in member's client (``viewer.member``)."""
    member = UserFactory(display_name="Viewer Member")
    client.force_login(member)
    client.member = member
    return client
