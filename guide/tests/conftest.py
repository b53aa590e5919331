import pytest
from django.test import Client

from community.tests import factories as community_factories


@pytest.fixture
def staff_editor(db):
    """A guide editor with admin access, as editors are."""
    return community_factories.guide_editor(display_name="Élise Éditrice", is_staff=True)


@pytest.fixture
def editor_admin(staff_editor) -> Client:
    client = Client()
    client.force_login(staff_editor)
    return client
