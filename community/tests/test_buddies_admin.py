"""Facilitators look buddy pairings up in the admin and end them; pairing itself is on the site."""

import pytest
from django.test import Client
from django.urls import reverse

from community.models import BuddyPairing
from community.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def host_client():
    client = Client()
    client.force_login(factories.facilitator(is_staff=True))
    return client


def _pairing(newcomer_name: str, buddy_name: str) -> BuddyPairing:
    return BuddyPairing.objects.create(
        newcomer=factories.UserFactory(display_name=newcomer_name),
        buddy=factories.UserFactory(display_name=buddy_name),
    )


def test_pairings_are_found_by_either_name(host_client):
    nina = _pairing("Nina Newcomer", "Beatriz Lopes")
    _pairing("Omar Other", "Paula Pereira")

    response = host_client.get(reverse("admin:community_buddypairing_changelist"), {"q": "Beatriz"})

    assert response.status_code == 200
    assert [p.pk for p in response.context["cl"].result_list] == [nina.pk]


def test_the_pairing_page_links_to_the_site_page_that_changes_the_buddy(host_client):
    pairing = _pairing("Nina Newcomer", "Beatriz Lopes")

    response = host_client.get(reverse("admin:community_buddypairing_change", args=[pairing.pk]))

    assert response.status_code == 200
    assert reverse("community:buddy", args=[pairing.newcomer.username]) in response.content.decode()


def test_ending_a_pairing_asks_first_then_removes_only_it(host_client):
    pairing = _pairing("Nina Newcomer", "Beatriz Lopes")
    url = reverse("admin:community_buddypairing_delete", args=[pairing.pk])

    confirm = host_client.get(url)
    assert confirm.status_code == 200 and BuddyPairing.objects.filter(pk=pairing.pk).exists()
    host_client.post(url, {"post": "yes"})

    assert not BuddyPairing.objects.filter(pk=pairing.pk).exists()
    assert pairing.newcomer.__class__.objects.filter(pk__in=[pairing.newcomer_id, pairing.buddy_id]).count() == 2
