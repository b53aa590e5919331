"""Uploads in an S3-compatible bucket (moto's server, a separate process on 127.0.0.1).

Files go in through the pages, land in the private bucket, and come back out only through the
members-only views: no page links to the bucket.
"""

import io

import pytest
import requests
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from meetings.models import Resource
from meetings.tests.factories import MeetingFactory, ResourceFactory
from themes.models import ExperienceSheet, SheetAttachment
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LOGIN = reverse("account_login")
WAITING = reverse("community:waiting")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (31, 78, 121)).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(client, meeting, name="charter.pdf", content=PDF):
    return client.post(
        reverse("meetings:resource_add", args=[meeting.pk]),
        {"title": "Partnership charter", "description": "", "url": "", "file": ContentFile(content, name=name)},
    )


def test_resource_uploaded_through_the_page_is_stored_in_the_bucket_and_downloads_for_members(
    s3_bucket, facilitator_client, client_for
):
    meeting = MeetingFactory()

    response = _upload(facilitator_client, meeting)

    assert response.status_code == 302
    resource = Resource.objects.get(meeting=meeting)
    assert resource.file.name.startswith("resources/") and resource.file.name.endswith(".pdf")
    assert s3_bucket.keys() == [resource.file.name]
    assert s3_bucket.read(resource.file.name) == PDF
    download = client_for("member").get(resource.href)
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="charter.pdf"'
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(("role", "target"), [("visitor", LOGIN), ("pending", WAITING)])
def test_resource_in_the_bucket_is_refused_to_visitors_and_pending_members(s3_bucket, client_for, role, target):
    resource = ResourceFactory(url="")
    resource.file.save("charter.pdf", ContentFile(PDF), save=True)

    response = client_for(role).get(resource.href)

    assert response.status_code == 302
    assert response.url.split("?")[0] == target


def test_two_uploads_of_the_same_name_keep_both_files(s3_bucket, facilitator_client):
    meeting = MeetingFactory()

    _upload(facilitator_client, meeting, content=PDF)
    _upload(facilitator_client, meeting, content=PDF + b"% second\n")

    first, second = Resource.objects.filter(meeting=meeting).order_by("pk")
    assert first.file.name != second.file.name
    assert s3_bucket.keys() == sorted([first.file.name, second.file.name])
    assert s3_bucket.read(second.file.name) == PDF + b"% second\n"


def test_meeting_page_links_to_the_view_never_to_the_bucket(s3_bucket, s3_server, client_for):
    meeting = MeetingFactory()
    _upload(client_for("facilitator"), meeting)
    resource = Resource.objects.get(meeting=meeting)

    html = client_for("member").get(meeting.get_absolute_url()).content.decode()

    assert f'href="{resource.href}"' in html
    assert s3_server.endpoint_url not in html
    assert s3_bucket.name not in html
    assert resource.file.name not in html


def test_bucket_objects_are_private(s3_bucket, s3_server, facilitator_client):
    _upload(facilitator_client, MeetingFactory())
    [key] = s3_bucket.keys()

    grants = s3_server.client().get_object_acl(Bucket=s3_bucket.name, Key=key)["Grants"]

    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert [grant["Grantee"]["Type"] for grant in grants] == ["CanonicalUser"]


def test_resource_whose_object_vanished_from_the_bucket_answers_404(s3_bucket, s3_server, member_client):
    resource = ResourceFactory(url="")
    resource.file.save("charter.pdf", ContentFile(PDF), save=True)
    s3_server.client().delete_object(Bucket=s3_bucket.name, Key=resource.file.name)

    assert member_client.get(resource.href).status_code == 404


def test_experience_sheet_file_in_the_bucket_downloads_through_the_members_view(s3_bucket, client_for):
    attachment = SheetAttachment(sheet=ExperienceSheet.objects.create(theme=ThemeFactory()), title="Consent form")
    attachment.file.save("consent.pdf", ContentFile(PDF), save=True)

    member = client_for("member").get(attachment.href)
    visitor = client_for("visitor").get(attachment.href)

    assert s3_bucket.keys() == [attachment.file.name]
    assert (member.status_code, b"".join(member.streaming_content)) == (200, PDF)
    assert (visitor.status_code, visitor.url.split("?")[0]) == (302, LOGIN)


def _profile_form(**overrides) -> dict:
    return {
        "display_name": "Mariana Costa",
        "job_title": "",
        "organisation": "",
        "organisation_other": "",
        "city": "Porto",
        "country": "PT",
        "languages": ["pt"],
        "expertise": "",
        "bio": "",
        "show_email": "",
        "show_photo": "on",
        "listed_in_directory": "on",
        "preferred_language": "en",
        "time_zone": "Europe/Lisbon",
        "notify_reminders": "on",
        "notify_meeting_changes": "on",
        "theme_updates_frequency": "immediate",
        "guide_updates_frequency": "immediate",
        "meeting_news_frequency": "never",
    } | overrides


def test_photo_in_the_bucket_follows_the_privacy_choice(
    s3_bucket, s3_server, member, member_client, client_for, django_capture_on_commit_callbacks
):
    response = member_client.post(
        reverse("community:profile_edit"), _profile_form(photo=ContentFile(_png(), name="me.png"))
    )
    assert response.status_code == 302
    member.refresh_from_db()
    stored = s3_bucket.read(member.photo.name)
    other = client_for("member")

    shown = other.get(member.photo_url)
    profile_html = other.get(member.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(reverse("community:profile_edit"), _profile_form(show_photo=""))
    hidden = other.get(member.photo_url)
    own = member_client.get(member.photo_url)

    assert s3_bucket.keys() == [member.photo.name]
    assert (shown.status_code, shown["Content-Type"]) == (200, "image/jpeg")
    assert b"".join(shown.streaming_content) == stored
    assert f'src="{member.photo_url}"' in profile_html
    assert s3_server.endpoint_url not in profile_html
    assert hidden.status_code == 404
    assert (own.status_code, b"".join(own.streaming_content)) == (200, stored)
    assert client_for("visitor").get(member.photo_url).status_code == 302


def test_replaced_photo_is_deleted_from_the_bucket(
    s3_bucket, member, member_client, django_capture_on_commit_callbacks
):
    edit = reverse("community:profile_edit")
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(edit, _profile_form(photo=ContentFile(_png(), name="a.png")))
    first = type(member).objects.get(pk=member.pk).photo.name
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(edit, _profile_form(photo=ContentFile(_png(), name="b.png")))
    second = type(member).objects.get(pk=member.pk).photo.name

    assert first != second
    assert s3_bucket.keys() == [second]


def test_anonymous_request_to_the_bucket_gets_no_file(s3_bucket, s3_server, facilitator_client):
    _upload(facilitator_client, MeetingFactory())
    [key] = s3_bucket.keys()

    response = requests.get(f"{s3_server.endpoint_url}/{s3_bucket.name}/{key}", timeout=5)

    assert response.status_code == 403
