"""The directory's filters and cards are kept rendered, and every change they show is seen at once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community import services
from community.receivers import DIRECTORY
from community.tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("community:directory")


@pytest.fixture
def viewer_client(client):
    client.force_login(factories.UserFactory(display_name="Viewer Member"))
    return client


@pytest.fixture
def ana():
    porto = factories.OrganisationFactory(name="Cité des métiers de Porto", slug="porto", country="PT")
    return factories.with_profile(
        factories.UserFactory(display_name="Ana Silva", organisation=porto),
        job_title="Partnership manager",
        country="PT",
        languages=["pt"],
        expertise=["GDPR"],
    )


def _page(client, **query) -> str:
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def _profile_values(member, **changes) -> dict:
    return {"display_name": member.display_name, "job_title": member.job_title, **changes}


def test_a_second_view_reads_the_kept_rendering_without_the_member_queries(viewer_client, ana):
    _page(viewer_client)
    with CaptureQueriesContext(connection) as kept:
        assert "Ana Silva" in _page(viewer_client)
    cache.clear()
    with CaptureQueriesContext(connection) as rendered:
        assert "Ana Silva" in _page(viewer_client)

    assert len(kept.captured_queries) < len(rendered.captured_queries) <= 15
    assert not any("community_memberlanguage" in q["sql"] for q in kept.captured_queries)


def test_the_rendering_keeps_its_queries_as_members_grow(viewer_client, ana):
    def rendered_queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            _page(viewer_client)
        return len(context.captured_queries)

    one = rendered_queries()
    for n in range(9):
        factories.with_profile(
            factories.UserFactory(display_name=f"Colleague {n}"), languages=["fr"], expertise=["Events"]
        )
    assert rendered_queries() == one <= 15


def test_a_profile_change_shows_at_once(viewer_client, ana):
    _page(viewer_client)

    services.profile_update(
        member=ana,
        values=_profile_values(ana, display_name="Ana Sofia Silva", job_title="Head of partnerships"),
        languages=["pt", "es"],
        expertise=["GDPR", "Employer engagement"],
    )

    page = _page(viewer_client)
    assert "Ana Sofia Silva" in page and "Head of partnerships" in page
    assert "Spanish" in page and "Employer engagement" in page


def test_leaving_the_directory_removes_the_card_at_once(viewer_client, ana):
    assert "Ana Silva" in _page(viewer_client)

    services.profile_update(
        member=ana, values=_profile_values(ana, listed_in_directory=False), languages=["pt"], expertise=["GDPR"]
    )

    assert "Ana Silva" not in _page(viewer_client)


def test_a_centre_renamed_and_a_filter_chosen_show_the_new_name(viewer_client, ana):
    assert "Cité des métiers de Porto" in _page(viewer_client, country="PT")
    centre = ana.organisation
    centre.name = "Cité des métiers do Porto"
    centre.save()

    assert "Cité des métiers do Porto" in _page(viewer_client, country="PT")


def test_a_sign_in_keeps_the_rendering(ana, client):
    before = DIRECTORY.version()
    client.force_login(ana)
    ana.set_password("another-long-password")
    ana.save(update_fields=["password"])
    assert DIRECTORY.version() == before

    ana.job_title = "Director"
    ana.save()
    assert DIRECTORY.version() > before


def test_free_text_searches_are_answered_fresh(viewer_client, ana):
    assert "Ana Silva" in _page(viewer_client, q="Ana")
    # A write that tells no one (a bulk update): only a search that is not kept can see it.
    type(ana).objects.filter(pk=ana.pk).update(display_name="Ana Bulk")

    assert "Ana Bulk" in _page(viewer_client, q="Ana")


def test_only_well_formed_filters_and_near_pages_are_kept(viewer_client, ana):
    from django.http import QueryDict

    from community.fragments import kept_view
    from community.views import KEPT_FILTERS

    assert kept_view(QueryDict(""), KEPT_FILTERS) == ("", "", "", "", 1)
    assert kept_view(QueryDict("q=&country=PT&page=2"), KEPT_FILTERS) == ("PT", "", "", "", 2)
    for unkept in ("q=Ana", "utm=x", "country=PT&country=FR", "page=101", "page=x", "expertise=%3Cscript%3E"):
        assert kept_view(QueryDict(unkept), KEPT_FILTERS) is None, unkept
    assert kept_view(QueryDict("sort=interest"), (), fixed={"sort": ("", "newest")}) is None
    assert kept_view(QueryDict("sort=newest"), (), fixed={"sort": ("", "newest")}) == ("newest", 1)
    # Each is still answered, fresh.
    assert "Ana Silva" in _page(viewer_client, utm="x")
    assert _page(viewer_client, page="x")
