import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from themes.models import ExperienceSheet, SheetAttachment
from themes.tests.factories import presenter

pytestmark = pytest.mark.django_db


@pytest.fixture
def presenter_client(client, theme):
    client.force_login(presenter(theme).member)
    return client


def test_presenter_writes_the_experience_sheet(presenter_client, theme):
    response = presenter_client.post(
        f"/themes/{theme.pk}/sheet/",
        {"activity": "Rounds of seven minutes", "strengths": "Fast", "weaknesses": "Noisy", "transferability": "Easy"},
    )

    assert response.status_code == 302
    sheet = ExperienceSheet.objects.get(theme=theme)
    assert (sheet.activity, sheet.strengths, sheet.weaknesses, sheet.transferability) == (
        "Rounds of seven minutes",
        "Fast",
        "Noisy",
        "Easy",
    )
    page = presenter_client.get(f"/themes/{theme.pk}/").content.decode()
    assert "Rounds of seven minutes" in page


def test_presenter_attaches_a_link_and_a_file_then_removes_one(presenter_client, theme):
    presenter_client.post(
        f"/themes/{theme.pk}/sheet/attachments/", {"title": "Cards", "url": "https://example.org/cards.pdf"}
    )
    presenter_client.post(
        f"/themes/{theme.pk}/sheet/attachments/",
        {"title": "Timer", "file": SimpleUploadedFile("timer.txt", b"7 minutes", content_type="text/plain")},
    )

    rows = list(SheetAttachment.objects.order_by("pk"))
    assert [(a.title, a.url, bool(a.file)) for a in rows] == [
        ("Cards", "https://example.org/cards.pdf", False),
        ("Timer", "", True),
    ]
    presenter_client.post(f"/themes/{theme.pk}/sheet/attachments/{rows[0].pk}/delete/")
    assert list(SheetAttachment.objects.values_list("title", flat=True)) == ["Timer"]


def test_an_attachment_needs_a_link_or_a_file(presenter_client, theme):
    response = presenter_client.post(f"/themes/{theme.pk}/sheet/attachments/", {"title": "Nothing"})
    assert response.status_code == 400
    assert response.context["attachment_form"].non_field_errors() == ["Give either a link or a file."]
    assert 'value="Nothing"' in response.content.decode()
    assert SheetAttachment.objects.count() == 0


def test_a_too_large_file_is_refused_with_a_clear_error(presenter_client, theme):
    from themes import forms

    big = SimpleUploadedFile("big.pdf", b"x" * (forms.MAX_ATTACHMENT_BYTES + 1), content_type="application/pdf")
    response = presenter_client.post(f"/themes/{theme.pk}/sheet/attachments/", {"title": "Slides", "file": big})

    assert response.status_code == 400
    assert response.context["attachment_form"].errors == {
        "file": ["This file is too large (at most 10 MB): share a link to it instead."]
    }
    assert SheetAttachment.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("page.html", b"<script>alert(1)</script>", "Files of this type are not accepted."),
        ("drawing.svg", b"<svg onload='alert(1)'/>", "Files of this type are not accepted."),
        ("tool.exe", b"MZ\x90\x00", "Files of this type are not accepted."),
        ("slides.pdf", b"MZ\x90\x00 a program renamed", "The content of this file does not match its “.pdf” name."),
    ],
)
def test_a_file_of_a_type_the_site_should_not_serve_is_refused(presenter_client, theme, name, content, error):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = presenter_client.post(f"/themes/{theme.pk}/sheet/attachments/", {"title": "Mine", "file": upload})

    assert response.status_code == 400
    assert response.context["attachment_form"].errors["file"][0].startswith(error)
    assert 'value="Mine"' in response.content.decode()
    assert SheetAttachment.objects.count() == 0


def test_a_pdf_is_accepted_on_the_sheet(presenter_client, theme):
    upload = SimpleUploadedFile("cards.pdf", b"%PDF-1.4 cards", content_type="application/pdf")
    response = presenter_client.post(f"/themes/{theme.pk}/sheet/attachments/", {"title": "Cards", "file": upload})

    assert response.status_code == 302
    assert list(SheetAttachment.objects.values_list("title", flat=True)) == ["Cards"]


def test_only_presenters_may_see_the_sheet_form_even_when_the_theme_is_closed(client):
    from themes.enums import ThemeState
    from themes.tests.factories import ThemeFactory

    theme = ThemeFactory(state=ThemeState.ARCHIVED)
    client.force_login(presenter(theme).member)
    assert client.get(f"/themes/{theme.pk}/sheet/").status_code == 404


def test_the_attachment_address_by_get_leads_back_to_the_sheet(presenter_client, theme, client):
    response = presenter_client.get(f"/themes/{theme.pk}/sheet/attachments/")

    assert response.status_code == 302
    assert response["Location"] == f"/themes/{theme.pk}/sheet/"
    assert SheetAttachment.objects.count() == 0
