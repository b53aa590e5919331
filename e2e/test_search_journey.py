import pytest

from community.tests import factories
from e2e.conftest import sign_in
from guide.enums import ContributionState
from guide.tests.factories import ChapterFactory, ContributionFactory
from themes.tests.factories import ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_searches_from_the_navigation_bar_and_narrows_to_one_kind(page, live_server):
    factories.UserFactory(email="ana@example.org", display_name="Ana Lima")
    author = factories.UserFactory(preferred_language="fr")
    chapter = ChapterFactory(title="Construire un partenariat")
    ContributionFactory(
        chapter=chapter,
        author=author,
        state=ContributionState.PUBLISHED,
        title="Un partenariat durable avec les entreprises",
        body="Le réseau des entreprises se réunit chaque mois.",
    )
    ThemeFactory(title="Partenariat avec les collectivités", proposer=author)
    sign_in(page, "ana@example.org", "a-long-test-password")

    search = page.locator("#nav-search-q")
    search.fill("partenariats")
    search.press("Enter")

    assert page.locator("#search-q").input_value() == "partenariats"
    assert page.locator(".search-results a.fw-semibold").all_inner_texts() == [
        "Un partenariat durable avec les entreprises",
        "Partenariat avec les collectivités",
    ]
    page.locator(".search-kinds a", has_text="Guide entries").click()
    assert page.locator(".search-results a.fw-semibold").all_inner_texts() == [
        "Un partenariat durable avec les entreprises"
    ]
    assert page.locator(".search-results .link-secondary").all_inner_texts() == ["Construire un partenariat"]
