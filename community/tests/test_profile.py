import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from community.enums import MemberState
from community.models import MemberLanguage, User
from community.tests import factories

pytestmark = pytest.mark.django_db

EDIT = reverse("community:profile_edit")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _photo_dir():
    return Path(settings.MEDIA_ROOT) / "members" / "photos"


def _form_data(**overrides) -> dict:
    return {
        "display_name": "Mariana Costa",
        "job_title": "Partnership manager — entrepreneurship",
        "organisation": "",
        "organisation_other": "",
        "city": "Porto",
        "country": "PT",
        "languages": ["pt", "en"],
        "expertise": "Employer engagement, GDPR",
        "bio": "I run *partnerships*.",
        "show_email": "on",
        "show_photo": "on",
        "listed_in_directory": "on",
        "preferred_language": "en",
        "time_zone": "Europe/Lisbon",
        "notify_reminders": "on",
        "notify_meeting_changes": "on",
        "theme_updates_frequency": "never",
        "guide_updates_frequency": "immediate",
        "meeting_news_frequency": "weekly",
    } | overrides


def _image_bytes(fmt="PNG", size=(400, 300), exif=False) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (31, 78, 121))
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # camera make
        image.save(buffer, format=fmt, exif=data)
    else:
        image.save(buffer, format=fmt)
    return buffer.getvalue()


def _stored_photos() -> list[str]:
    return sorted(os.listdir(_photo_dir())) if _photo_dir().exists() else []


def test_member_saves_profile_privacy_and_preferences(member_client, member):
    centre = factories.OrganisationFactory(name="Cité des métiers de Porto")

    response = member_client.post(EDIT, _form_data(organisation=centre.pk))

    assert response.status_code == 302
    assert response.url == EDIT
    member.refresh_from_db()
    assert (member.job_title, member.organisation, member.city, member.country.code) == (
        "Partnership manager — entrepreneurship",
        centre,
        "Porto",
        "PT",
    )
    assert sorted(member.languages_spoken.values_list("code", flat=True)) == ["en", "pt"]
    assert sorted(member.expertise.names()) == ["Employer engagement", "GDPR"]
    assert (member.show_email, member.show_photo, member.listed_in_directory) == (True, True, True)
    assert (member.time_zone, member.theme_updates_frequency, member.notify_reminders) == (
        "Europe/Lisbon",
        "never",
        True,
    )


def test_expertise_is_split_on_commas_only_and_deduplicated(member_client, member):
    member_client.post(EDIT, _form_data(expertise="event design,  GDPR , gdpr,, Speed   networking"))

    assert sorted(member.expertise.names(), key=str.lower) == ["event design", "GDPR", "Speed networking"]


def test_saving_again_replaces_languages_and_expertise(member_client, member):
    factories.with_profile(member, languages=["fr", "de"], expertise=["Radio"])

    member_client.post(EDIT, _form_data(languages=["fr", "pt"], expertise="GDPR"))

    assert sorted(member.languages_spoken.values_list("code", flat=True)) == ["fr", "pt"]
    assert list(member.expertise.names()) == ["GDPR"]
    assert MemberLanguage.objects.count() == 2


def test_edit_page_shows_current_values_and_notifications_section(member_client, member):
    factories.with_profile(member, languages=["pt"], expertise=["GDPR", "Radio"], job_title="Head of office")
    factories.with_profile(factories.UserFactory(), expertise=["Speed networking"])

    response = member_client.get(EDIT)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="notifications"' in body
    assert 'value="Head of office"' in body
    assert 'value="GDPR, Radio"' in body
    assert '<option value="Speed networking">' in body
    assert '<option value="Speed networking">' in body
    assert response.context["form"].initial["languages"] == ["pt"]
    assert f'href="{reverse("account_email")}"' in body
    assert f'href="{reverse("account_change_password")}"' in body


def test_centre_from_the_list_and_unlisted_name_together_is_refused(member_client, member):
    centre = factories.OrganisationFactory()

    response = member_client.post(EDIT, _form_data(organisation=centre.pk, organisation_other="My own centre"))

    assert response.status_code == 200
    assert response.context["form"].errors["organisation_other"] == [
        "Choose your centre from the list or type its name, not both."
    ]
    member.refresh_from_db()
    assert (member.organisation, member.job_title) == (None, "")


def test_unlisted_centre_is_kept_for_a_facilitator(member_client, member):
    member_client.post(EDIT, _form_data(organisation_other="Cité des métiers de Zaragoza"))

    member.refresh_from_db()
    assert (member.organisation, member.organisation_other) == (None, "Cité des métiers de Zaragoza")


def test_unknown_time_zone_is_a_field_error(member_client, member):
    response = member_client.post(EDIT, _form_data(time_zone="Mars/Olympus"))

    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert User.objects.get(pk=member.pk).time_zone == "UTC"


@pytest.mark.parametrize("alias", ["US/Eastern", "Asia/Calcutta", "Europe/Kiev", "Factory", "localtime", "Etc/GMT+3"])
def test_a_legacy_time_zone_alias_is_refused(member_client, member, alias):
    response = member_client.post(EDIT, _form_data(time_zone=alias))

    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert User.objects.get(pk=member.pk).time_zone == "UTC"


def test_time_zones_offered_are_canonical_grouped_by_region(member_client):
    choices = dict(member_client.get(EDIT).context["form"].fields["time_zone"].choices)

    assert list(choices)[:4] == ["UTC", "Africa", "America", "Antarctica"]
    assert "Europe" in choices and "US" not in choices and "Etc" not in choices
    offered = {zone for group in choices.values() if isinstance(group, list) for zone, _place in group}
    assert {"Europe/Lisbon", "America/Sao_Paulo", "Asia/Kolkata"} <= offered
    assert offered.isdisjoint({"US/Eastern", "Asia/Calcutta", "Factory", "localtime", "Etc/UTC"})


def test_a_zone_saved_under_an_older_alias_shows_as_the_zone_it_stands_for(member_client, member):
    User.objects.filter(pk=member.pk).update(time_zone="Asia/Calcutta")

    form = member_client.get(EDIT).context["form"]

    assert form["time_zone"].value() == "Asia/Kolkata"
    assert "data-browser-zone-preselect" not in str(form["time_zone"])


def test_the_browsers_zone_is_chosen_only_for_a_member_still_on_the_default_zone(member_client, member):
    assert "data-browser-zone-preselect" in str(member_client.get(EDIT).context["form"]["time_zone"])

    User.objects.filter(pk=member.pk).update(time_zone="Europe/Lisbon")

    assert "data-browser-zone-preselect" not in str(member_client.get(EDIT).context["form"]["time_zone"])


def test_photo_is_re_encoded_under_a_generated_name_without_metadata(member_client, member):
    upload = SimpleUploadedFile("me at the beach.jpg", _image_bytes("JPEG", (2000, 1000), exif=True), "image/jpeg")

    response = member_client.post(EDIT, _form_data(photo=upload))

    assert response.status_code == 302
    member.refresh_from_db()
    [stored] = _stored_photos()
    assert member.photo.name == f"members/photos/{stored}"
    assert "beach" not in stored
    assert len(stored) == len("0123456789abcdef0123456789abcdef.jpg")
    with Image.open(_photo_dir() / stored) as image:
        assert (image.format, image.size) == ("JPEG", (800, 400))
        assert dict(image.getexif()) == {}


def test_replacing_the_photo_deletes_the_old_file(member_client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(EDIT, _form_data(photo=SimpleUploadedFile("a.png", _image_bytes(), "image/png")))
    [first] = _stored_photos()
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(EDIT, _form_data(photo=SimpleUploadedFile("b.png", _image_bytes(), "image/png")))

    member.refresh_from_db()
    [second] = _stored_photos()
    assert second != first
    assert member.photo.name == f"members/photos/{second}"


def test_removing_the_photo(member_client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(EDIT, _form_data(photo=SimpleUploadedFile("a.png", _image_bytes(), "image/png")))
        member_client.post(EDIT, _form_data(remove_photo="on"))

    member.refresh_from_db()
    assert member.photo.name == ""
    assert _stored_photos() == []


def test_text_file_renamed_jpg_is_refused_and_nothing_is_stored(member_client, member):
    fake = SimpleUploadedFile("photo.jpg", b"just some text, not a picture\n" * 10, "image/jpeg")

    response = member_client.post(EDIT, _form_data(photo=fake, job_title="Head of office"))

    assert response.status_code == 200
    assert response.context["form"].errors["photo"] == ["This file is not an image we can read."]
    body = response.content.decode()
    assert "This file is not an image we can read." in body
    assert 'value="Head of office"' in body  # nothing the member typed is lost
    assert _stored_photos() == []
    member.refresh_from_db()
    assert (member.photo.name, member.job_title) == ("", "")


def test_oversized_photo_is_refused_and_nothing_is_stored(member_client, member):
    noise = Image.frombytes("RGB", (1500, 1500), os.urandom(1500 * 1500 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG", compress_level=0)
    assert buffer.tell() > 5 * 1024 * 1024
    upload = SimpleUploadedFile("huge.png", buffer.getvalue(), "image/png")

    response = member_client.post(EDIT, _form_data(photo=upload))

    assert response.status_code == 200
    [error] = response.context["form"].errors["photo"]
    assert error.startswith("This photo is too large (")
    assert error.endswith("The limit is 5 MB.")
    assert _stored_photos() == []
    assert User.objects.get(pk=member.pk).photo.name == ""


def test_image_format_outside_the_list_is_refused(member_client, member):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="BMP")

    response = member_client.post(EDIT, _form_data(photo=SimpleUploadedFile("a.jpg", buffer.getvalue(), "image/jpeg")))

    assert response.context["form"].errors["photo"] == ["Upload a JPEG, PNG, WebP or GIF image."]
    assert _stored_photos() == []


def test_bio_with_script_and_javascript_link_renders_inert(member_client, member):
    colleague = factories.UserFactory(
        bio='Hi <script>alert("x")</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>'
    )

    body = member_client.get(reverse("community:profile", args=[colleague.username])).content.decode()

    assert "<script>alert" not in body
    assert "javascript:" not in body
    assert "onerror" not in body
    assert "<p>Hi" in body


def test_profile_shows_what_the_member_chose(member_client):
    centre = factories.OrganisationFactory(name="Cité des métiers de Dakar", slug="dakar")
    colleague = factories.with_profile(
        factories.UserFactory(
            display_name="Awa Ndiaye", show_email=False, show_photo=False, photo="members/photos/x.jpg"
        ),
        job_title="Communication officer",
        organisation=centre,
        city="Dakar",
        country="SN",
        languages=["fr", "wo"],
        expertise=["Social media"],
    )

    response = member_client.get(reverse("community:profile", args=[colleague.username]))

    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Awa Ndiaye",
        "Communication officer",
        "Cité des métiers de Dakar",
        "Senegal",
        "Wolof",
        "Social media",
    ):
        assert text in body
    assert colleague.email not in body
    assert "members/photos/x.jpg" not in body
    assert "No bio yet." in body


def test_own_profile_shows_own_hidden_email_and_edit_links(member_client, member):
    body = member_client.get(reverse("community:profile", args=[member.username])).content.decode()

    assert member.email in body
    assert "only you see it" in body
    assert reverse("community:profile_edit") in body
    assert reverse("community:export") in body


def test_member_cannot_see_a_pending_profile_but_a_facilitator_can(client_for):
    pending = factories.pending_member(job_title="Partnership officer")
    url = reverse("community:profile", args=[pending.username])

    assert client_for("member").get(url).status_code == 404
    response = client_for("facilitator").get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert pending.email in body
    assert 'value="approved"' in body


def test_unknown_profile_is_404(member_client):
    assert member_client.get(reverse("community:profile", args=["nobody-here"])).status_code == 404


def test_someone_elses_edit_page_answers_404(member_client, member):
    other = factories.UserFactory()

    assert member_client.get(reverse("community:profile_edit_other", args=[other.username])).status_code == 404
    own = member_client.get(reverse("community:profile_edit_other", args=[member.username]))
    assert (own.status_code, own.url) == (302, EDIT)


def test_pending_member_completes_profile_while_waiting(client, pending):
    client.force_login(pending)

    page = client.get(EDIT)
    response = client.post(EDIT, _form_data(display_name="Pedro Pending", organisation_other="CdM Zaragoza"))

    assert page.status_code == 200
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.state, pending.organisation_other, pending.city) == (MemberState.PENDING, "CdM Zaragoza", "Porto")


def test_declined_member_cannot_edit_a_profile(client):
    declined = factories.UserFactory(state=MemberState.DECLINED)
    client.force_login(declined)

    response = client.post(EDIT, _form_data())

    assert (response.status_code, response.url) == (302, reverse("community:waiting"))
    assert User.objects.get(pk=declined.pk).job_title == ""


def test_choosing_another_language_switches_the_site_at_once_even_after_the_switcher(member_client, member):
    member_client.cookies["django_language"] = "en"  # the switcher was used once

    response = member_client.post(EDIT, _form_data(preferred_language="fr"), follow=True)

    member.refresh_from_db()
    assert member.preferred_language == "fr"
    assert member_client.cookies["django_language"].value == "fr"
    body = response.content.decode()
    assert '<html lang="fr">' in body
    assert [str(m) for m in response.context["messages"]] == ["Votre profil est enregistré."]


def test_saving_without_changing_the_language_leaves_the_switcher_choice(member_client, member):
    member_client.cookies["django_language"] = "fr"

    response = member_client.post(EDIT, _form_data(preferred_language="en"))

    assert response.status_code == 302
    assert "django_language" not in response.cookies


@pytest.mark.parametrize(
    ("state", "label"), [("pending", "Approve"), ("declined", "Approve"), ("suspended", "Reinstate")]
)
def test_facilitator_button_says_approve_unless_the_member_was_suspended(facilitator_client, state, label):
    account = factories.UserFactory(state=state)

    body = facilitator_client.get(reverse("community:profile", args=[account.username])).content.decode()

    assert f'name="to" value="approved">{label}</button>' in body
