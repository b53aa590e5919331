"""Sheet attachments go through a permission check, never straight to /media/."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from themes.models import ExperienceSheet, SheetAttachment
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(("role", "status"), [("visitor", 302), ("pending", 302), ("member", 200)])
def test_sheet_file_is_for_members(client_for, role, status):
    sheet = ExperienceSheet.objects.create(theme=ThemeFactory())
    attachment = SheetAttachment(sheet=sheet, title="Consent form")
    attachment.file.save("consent.pdf", ContentFile(PDF), save=True)

    response = client_for(role).get(attachment.href)

    assert attachment.href == reverse("themes:attachment_file", args=[attachment.pk])
    assert response.status_code == status
