"""``theme_update`` records who reworded the theme."""

import pytest

from themes import services
from themes.models import Theme

pytestmark = pytest.mark.django_db


def test_rewording_records_who(theme, facilitator):
    services.theme_update(
        theme=theme, by=facilitator, title="Speed networking, gamified", summary="How.", reason=theme.reason, topics=[]
    )

    stored = Theme.objects.get(pk=theme.pk)
    assert (stored.title, stored.updated_by) == ("Speed networking, gamified", facilitator)
