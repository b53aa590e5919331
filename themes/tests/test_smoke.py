import pytest

from themes.tests.factories import QuestionFactory, presenter

pytestmark = pytest.mark.django_db


def test_pages_render(member_client, theme, member):
    presenter(theme, member)
    QuestionFactory(theme=theme)
    for url in ["/themes/", "/themes/new/", f"/themes/{theme.pk}/", f"/themes/{theme.pk}/edit/", f"/themes/{theme.pk}/sheet/", f"/themes/{theme.pk}/invite/", f"/themes/{theme.pk}/state/withdrawn/"]:
        r = member_client.get(url)
        assert r.status_code == 200, url
