import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("pending", 302), ("member", 200), ("facilitator", 200), ("editor", 200)],
)
def test_search_permissions(client_for, role, status):
    assert client_for(role).get(reverse("search"), {"q": "partnership"}).status_code == status


def test_search_with_one_character_asks_for_more(member_client):
    response = member_client.get(reverse("search"), {"q": "a"})

    assert response.status_code == 200
    assert response.context["count"] == 0
    assert "Type at least two characters." in response.content.decode()


def test_nul_characters_in_the_query_are_dropped_not_a_500(member_client, member):
    response = member_client.get(reverse("search"), {"q": "Mari\x00ana"})

    assert response.status_code == 200
    assert response.context["query"] == "Mariana"
    assert [item["title"] for item in response.context["groups"]["Members"]] == [member.display_name]
