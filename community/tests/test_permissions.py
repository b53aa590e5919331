"""Every page of the community app × every role → the exact status code."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from community.tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "login"
WAITING = "waiting"
HOME = "home"

ROLES = ("visitor", "pending", "member", "facilitator", "editor")

MEMBERS_ONLY = {"visitor": LOGIN, "pending": WAITING, "member": 200, "facilitator": 200, "editor": 200}
FACILITATORS_ONLY = {"visitor": LOGIN, "pending": WAITING, "member": 404, "facilitator": 200, "editor": 404}

# name, url builder (from the colleague and centre fixtures), method, expectations per role
PAGES = [
    ("directory", lambda c, o: reverse("community:directory"), "get", MEMBERS_ONLY),
    ("directory filtered", lambda c, o: reverse("community:directory") + "?country=PT&q=x", "get", MEMBERS_ONLY),
    ("profile", lambda c, o: reverse("community:profile", args=[c.username]), "get", MEMBERS_ONLY),
    ("centres", lambda c, o: reverse("community:centres"), "get", MEMBERS_ONLY),
    ("centre", lambda c, o: reverse("community:centre", args=[o.slug]), "get", MEMBERS_ONLY),
    ("export", lambda c, o: reverse("community:export"), "get", MEMBERS_ONLY),
    ("delete", lambda c, o: reverse("community:account_delete"), "get", MEMBERS_ONLY),
    (
        "edit",
        lambda c, o: reverse("community:profile_edit"),
        "get",
        {"visitor": LOGIN, "pending": 200, "member": 200, "facilitator": 200, "editor": 200},
    ),
    (
        "someone else's edit",
        lambda c, o: reverse("community:profile_edit_other", args=[c.username]),
        "get",
        {"visitor": LOGIN, "pending": 404, "member": 404, "facilitator": 404, "editor": 404},
    ),
    ("pending", lambda c, o: reverse("community:pending"), "get", FACILITATORS_ONLY),
    (
        "membership",
        lambda c, o: reverse("community:membership", args=[c.username]),
        "post",
        FACILITATORS_ONLY | {"facilitator": 302},
    ),
    (
        "centre resolve",
        lambda c, o: reverse("community:centre_resolve", args=[c.username]),
        "post",
        FACILITATORS_ONLY | {"facilitator": 302},
    ),
    (
        "waiting",
        lambda c, o: reverse("community:waiting"),
        "get",
        {"visitor": LOGIN, "pending": 200, "member": HOME, "facilitator": HOME, "editor": HOME},
    ),
    ("dashboard", lambda c, o: reverse("home"), "get", {"visitor": 200} | {r: MEMBERS_ONLY[r] for r in ROLES[1:]}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "method", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_permission_table(client_for, role, name, url, method, expected):
    centre = factories.OrganisationFactory(slug="porto")
    colleague = factories.UserFactory(organisation=centre, organisation_other="")
    client = client_for(role)
    target = url(colleague, centre)

    response = client.post(target, {"to": "suspended"}) if method == "post" else client.get(target)

    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert response.url == f"{reverse('account_login')}?{urlencode({'next': target}, safe='/')}"
    elif want == WAITING:
        assert (response.status_code, response.url) == (302, reverse("community:waiting"))
    elif want == HOME:
        assert (response.status_code, response.url) == (302, reverse("home"))
    else:
        assert response.status_code == want


def test_get_on_a_decision_url_is_not_allowed(facilitator_client, pending):
    assert facilitator_client.get(reverse("community:membership", args=[pending.username])).status_code == 405


def test_a_rule_that_says_no_costs_no_permission_query_and_model_permissions_still_count():
    from django.contrib.auth.models import Permission
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from community.tests.factories import UserFactory, guide_editor

    member = UserFactory()
    with CaptureQueriesContext(connection) as context:
        assert not member.has_perm("community.approve_members")
    assert not any("auth_permission" in q["sql"] for q in context.captured_queries)

    editor = guide_editor()
    editor.groups.first().permissions.add(Permission.objects.get(codename="view_chapter"))
    assert editor.has_perm("guide.view_chapter")
    assert not UserFactory().has_perm("guide.view_chapter")
