"""Small things that read wrong in other languages: time zones, excerpts, the 403 page, dates."""

import pytest
from django.utils import translation

from community.markdown import markdown_to_text
from community.models import canonical_time_zones, time_zone_choices

pytestmark = pytest.mark.django_db


def test_time_zone_choices_are_canonical_zones_grouped_by_region():
    zones = canonical_time_zones()
    choices = dict(time_zone_choices())

    assert ("Factory" in zones, "localtime" in zones, "US/Eastern" in zones, "Europe/Kiev" in zones) == (
        False,
        False,
        False,
        False,
    )
    assert choices["UTC"] == "UTC"
    assert ("Europe/Paris", "Paris") in choices["Europe"]
    assert ("America/Argentina/Buenos_Aires", "Argentina – Buenos Aires") in choices["America"]


def test_markdown_becomes_plain_words_for_excerpts():
    text = "**gras** et *italique*\n\n- un\n- deux &amp; <b>x</b><script>alert(1)</script>\n\n[lien](https://a.example)"

    assert markdown_to_text(text) == "gras et italique un deux & x lien"


def test_a_member_at_the_admin_reads_a_translated_403_page_in_the_site_layout(member_client):
    member_client.cookies["django_language"] = "fr"

    response = member_client.get("/admin/", follow=True)

    html = response.content.decode()
    assert response.status_code == 403
    assert ('<html lang="fr">' in html, "Accès refusé" in html or "Access denied" in html) == (True, True)


def test_dates_follow_one_style_per_language():
    from datetime import datetime

    from django.utils.formats import date_format

    day = datetime(2026, 12, 15, 14, 0)
    formatted = {}
    for language in ("en", "fr", "pt", "es"):
        with translation.override(language):
            formatted[language] = date_format(day, "DATE_FORMAT")

    assert formatted == {
        "en": "15 December 2026",
        "fr": "15 décembre 2026",
        "pt": "15 de Dezembro de 2026",
        "es": "15 de diciembre de 2026",
    }


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Europe/Lisbon", "Europe/Lisbon"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("US/Eastern", "America/New_York"),
        ("Etc/UTC", "UTC"),
        ("UTC", "UTC"),
        ("Factory", None),
        ("localtime", None),
        ("Mars/Olympus", None),
    ],
)
def test_a_zones_older_alias_stands_for_its_canonical_zone(name, canonical):
    from community.models import canonical_time_zone

    assert canonical_time_zone(name) == canonical
