import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("community:directory")


@pytest.fixture
def colleagues(db):
    porto = factories.OrganisationFactory(name="Cité des métiers de Porto", slug="porto", country="PT", city="Porto")
    dakar = factories.OrganisationFactory(name="Cité des métiers de Dakar", slug="dakar", country="SN", city="Dakar")
    milano = factories.OrganisationFactory(name="Città dei mestieri di Milano", slug="milano", country="IT")
    return {
        "ana": factories.with_profile(
            factories.UserFactory(display_name="Ana Silva"),
            job_title="Partnership manager — entrepreneurship",
            organisation=porto,
            city="Porto",
            country="PT",
            languages=["pt", "en"],
            expertise=["Employer engagement", "GDPR"],
            bio="I organise speed networking with incubators.",
        ),
        "moussa": factories.with_profile(
            factories.UserFactory(display_name="Moussa Diop"),
            job_title="Communication officer",
            organisation=dakar,
            city="Dakar",
            country="SN",
            languages=["fr", "wo"],
            expertise=["Social media"],
            bio="Radio partnerships.",
        ),
        "giulia": factories.with_profile(
            factories.UserFactory(display_name="Giulia Rossi"),
            job_title="Head of office",
            organisation=milano,
            city="Milan",
            country="IT",
            languages=["it", "en"],
            expertise=["GDPR"],
            bio="Data protection in multi-partner projects.",
        ),
    }


def _names(response) -> list[str]:
    return [m.display_name for m in response.context["page"].object_list]


def test_directory_lists_listed_approved_members_by_name(member_client, member, colleagues):
    factories.pending_member(display_name="Pending Person")
    factories.UserFactory(display_name="Suspended Person", state="suspended")

    response = member_client.get(URL)

    assert response.status_code == 200
    assert _names(response) == ["Ana Silva", "Giulia Rossi", "Mariana Costa", "Moussa Diop"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "PT"}, ["Ana Silva"]),
        ({"country": "IT"}, ["Giulia Rossi"]),
        ({"organisation": "dakar"}, ["Moussa Diop"]),
        ({"language": "en"}, ["Ana Silva", "Giulia Rossi"]),
        ({"language": "wo"}, ["Moussa Diop"]),
        ({"expertise": "gdpr"}, ["Ana Silva", "Giulia Rossi"]),
        ({"q": "moussa"}, ["Moussa Diop"]),  # name
        ({"q": "communication"}, ["Moussa Diop"]),  # job title
        ({"q": "milano"}, ["Giulia Rossi"]),  # centre
        ({"q": "incubators"}, ["Ana Silva"]),  # bio
        ({"q": "social med"}, ["Moussa Diop"]),  # expertise, every word
        ({"q": "gdpr"}, ["Ana Silva", "Giulia Rossi"]),  # expertise of two
        ({"q": "gdpr porto"}, ["Ana Silva"]),
        ({"q": "citta"}, ["Giulia Rossi"]),  # accents ignored
        ({"q": "métiers"}, ["Ana Silva", "Moussa Diop"]),
        ({"country": "IT", "expertise": "gdpr"}, ["Giulia Rossi"]),
        ({"language": "en", "expertise": "gdpr", "q": "partnership"}, ["Ana Silva"]),
        ({"country": "SN", "expertise": "gdpr"}, []),
    ],
)
def test_each_filter_narrows_and_they_combine(member_client, colleagues, params, expected):
    response = member_client.get(URL, params)

    assert response.status_code == 200
    assert _names(response) == expected


def test_no_match_shows_empty_state_and_keeps_the_search(member_client, colleagues):
    response = member_client.get(URL, {"q": "astronaut"})

    body = response.content.decode()
    assert "No member matches these filters." in body
    assert 'value="astronaut"' in body


def test_unknown_filter_value_is_a_form_error_not_a_500(member_client, colleagues):
    response = member_client.get(URL, {"country": "ZZ", "q": "ana"})

    assert response.status_code == 200
    assert "country" in response.context["filter"].form.errors
    assert 'value="ana"' in response.content.decode()


def test_links_from_an_unlisted_profile_find_no_one_instead_of_an_error(member_client, colleagues):
    hidden = factories.with_profile(
        factories.UserFactory(display_name="Hidden Person", listed_in_directory=False),
        country="PL",
        languages=["pl"],
        expertise=["Radio drama"],
    )
    profile = member_client.get(reverse("community:profile", args=[hidden.username])).content.decode()

    for params in ({"country": "PL"}, {"language": "pl"}, {"expertise": "radio-drama"}):
        ((name, value),) = params.items()
        assert f"?{name}={value}" in profile
        response = member_client.get(URL, params)

        assert response.status_code == 200
        assert response.context["filter"].form.errors == {}
        assert _names(response) == []
        assert f'<option value="{value}" selected>' in response.content.decode()


def test_member_who_opted_out_is_not_listed_nor_found(member_client, colleagues):
    hidden = colleagues["moussa"]
    hidden.listed_in_directory = False
    hidden.save()

    assert "Moussa Diop" not in _names(member_client.get(URL))
    assert _names(member_client.get(URL, {"q": "moussa"})) == []
    assert "Moussa Diop" not in member_client.get(URL).content.decode()
    # Their profile still opens from elsewhere (a theme, a meeting).
    assert member_client.get(reverse("community:profile", args=[hidden.username])).status_code == 200


def test_hidden_emails_are_never_in_the_page(member_client, colleagues):
    shown = colleagues["ana"]
    shown.show_email = True
    shown.save()

    body = member_client.get(URL).content.decode()

    assert shown.email in body
    assert colleagues["moussa"].email not in body
    assert colleagues["giulia"].email not in body


def test_filters_stay_in_pagination_links(member_client, colleagues):
    for n in range(25):
        factories.with_profile(factories.UserFactory(display_name=f"Zed {n:02d}"), country="PT")

    response = member_client.get(URL, {"country": "PT"})

    assert response.context["page"].paginator.count == 26
    assert len(response.context["page"].object_list) == 24
    assert 'href="?country=PT&amp;page=2"' in response.content.decode()
    assert _names(member_client.get(URL, {"country": "PT", "page": 2})) == ["Zed 23", "Zed 24"]


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_directory_query_count_is_the_same_with_1_and_30_members(member_client, member):
    factories.with_profile(
        member,
        country="FR",
        languages=["fr"],
        expertise=["Topic a", "GDPR"],
        organisation=factories.OrganisationFactory(),
    )
    filtered = URL + "?q=topic&language=fr&expertise=gdpr&country=FR"
    one = _count_queries(member_client, URL)
    one_filtered = _count_queries(member_client, filtered)
    for n in range(29):
        factories.with_profile(
            factories.UserFactory(show_email=True),
            organisation=factories.OrganisationFactory(),
            country="FR",
            languages=["fr", "en"],
            expertise=[f"Topic {n}", "GDPR"],
        )

    assert _count_queries(member_client, URL) == one
    assert _count_queries(member_client, filtered) == one_filtered
    assert len(member_client.get(filtered).context["page"].object_list) == 24


def test_profile_query_count_is_the_same_with_1_and_30_members(member_client, member):
    colleague = factories.with_profile(factories.UserFactory(), languages=["fr"], expertise=["GDPR"])
    url = reverse("community:profile", args=[colleague.username])
    one = _count_queries(member_client, url)
    for n in range(29):
        factories.with_profile(factories.UserFactory(), languages=["fr"], expertise=[f"Topic {n}"])
    factories.with_profile(colleague, languages=["en", "pt"], expertise=["Events", "Radio"])

    assert _count_queries(member_client, url) == one


def test_centre_page_lists_its_listed_members(member_client, colleagues):
    factories.with_profile(
        factories.UserFactory(display_name="Unlisted Porto"),
        organisation=colleagues["ana"].organisation,
        listed_in_directory=False,
    )

    response = member_client.get(reverse("community:centre", args=["porto"]))

    assert response.status_code == 200
    assert [m.display_name for m in response.context["page"].object_list] == ["Ana Silva"]
    assert "Cité des métiers de Porto" in response.content.decode()


def test_centre_page_query_count_is_the_same_with_1_and_10_members(member_client):
    centre = factories.OrganisationFactory(slug="porto")
    factories.with_profile(factories.UserFactory(), organisation=centre, languages=["pt"])
    url = reverse("community:centre", args=["porto"])
    one = _count_queries(member_client, url)
    for _ in range(9):
        factories.with_profile(factories.UserFactory(), organisation=centre, languages=["pt", "en"])

    assert _count_queries(member_client, url) == one


def test_centre_list_counts_listed_members(member_client, colleagues):
    response = member_client.get(reverse("community:centres"))

    counts = {c.slug: c.member_count for c in response.context["centres"]}
    assert counts == {"porto": 1, "dakar": 1, "milano": 1}


def test_unknown_centre_is_404(member_client):
    assert member_client.get(reverse("community:centre", args=["nowhere"])).status_code == 404
