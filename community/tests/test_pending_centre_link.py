"""The pending page links to the admin's "add a centre" only for those the admin lets in to do it."""

import pytest
import rules

from community.tests import factories

pytestmark = pytest.mark.django_db

ADD_CENTRE = 'href="/admin/community/organisation/add/"'


@pytest.mark.parametrize(("is_staff", "shown"), [(True, True), (False, False)])
def test_add_centre_link_follows_the_rule(client, is_staff, shown):
    facilitator = factories.facilitator(is_staff=is_staff)
    client.force_login(facilitator)

    response = client.get("/members/pending/")

    assert response.status_code == 200
    assert (response.context["can_add_centre"], ADD_CENTRE in response.content.decode()) == (shown, shown)
    assert rules.has_perm("community.manage_centres_in_admin", facilitator) is shown


def test_staff_who_is_not_a_facilitator_may_not_manage_centres_in_admin():
    assert rules.has_perm("community.manage_centres_in_admin", factories.UserFactory(is_staff=True)) is False
