import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import uploads
from meetings.models import Attendance, Resource
from meetings.tests.factories import MeetingFactory, ResourceFactory, draft_meeting, past_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def attendee_client(member_client, member):
    meeting = past_meeting()
    Attendance.objects.create(meeting=meeting, member=member)
    member_client.meeting = meeting
    return member_client


def post(client, **data):
    return client.post(reverse("meetings:resource_add", args=[client.meeting.pk]), data)


def test_attendee_attaches_a_link(attendee_client, member):
    response = post(attendee_client, title="Partner map", description="One-page canvas.", url="https://example.org/map")
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert (resource.title, resource.url, resource.added_by, resource.meeting) == (
        "Partner map",
        "https://example.org/map",
        member,
        attendee_client.meeting,
    )


def test_attendee_uploads_a_pdf(attendee_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("charter.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    response = post(attendee_client, title="Charter", file=upload)
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.file.name.startswith("resources/")
    assert resource.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "Files of this type are not accepted."),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "The content of this file does not match its “.pdf” name."),
        ("notes.txt", b"\x00\x01\x02binary", "The content of this file does not match its “.txt” name."),
    ],
)
def test_disallowed_upload_refused_with_message_and_text_kept(attendee_client, name, content, message):
    response = post(
        attendee_client,
        title="My tool",
        description="Kept description",
        file=SimpleUploadedFile(name, content),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    assert errors[0].startswith(message)
    html = response.content.decode()
    assert 'value="My tool"' in html
    assert "Kept description" in html
    assert Resource.objects.count() == 0


def test_oversized_upload_refused(attendee_client, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1024)
    response = post(attendee_client, title="Big", file=SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 2000))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file is too big (2.0\xa0KB); the limit is 1.0\xa0KB."]
    assert Resource.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"url": "javascript:alert(1)"}, "url", None),
        ({"url": "ftp://example.org/x"}, "url", "The online link must start with http:// or https://."),
        ({}, "__all__", "Give a link or choose a file."),
    ],
)
def test_bad_link_refused(attendee_client, data, field, message):
    response = post(attendee_client, title="Tool", **data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert Resource.objects.count() == 0


def test_library_searches_and_hides_drafts(member_client):
    ResourceFactory(title="GDPR checklist", description="Ten questions.")
    ResourceFactory(title="Speed networking cards", description="Prompts.")
    ResourceFactory(title="GDPR secret draft", meeting=draft_meeting())
    response = member_client.get(reverse("meetings:resources"), {"q": "gdpr"})
    assert [r.title for r in response.context["page"].object_list] == ["GDPR checklist"]
    response = member_client.get(reverse("meetings:resources"))
    assert sorted(r.title for r in response.context["page"].object_list) == [
        "GDPR checklist",
        "Speed networking cards",
    ]


def test_meeting_page_lists_resources(member_client):
    meeting = MeetingFactory()
    ResourceFactory(meeting=meeting, title="Partnership charter", added_by=None)
    html = member_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Partnership charter" in html
    assert "a former member" in html
