"""Every admin URL × every role, with the exact expected status code.

The table says, for each registered model, what each staff role may do there: v(iew), a(dd),
c(hange), d(elete). The status each page must answer follows from it (200 when allowed, 403
when not); a member who is not staff is sent to the login page (302) everywhere. A model
registered without a row here fails the test, so a new admin class must say who may use it.
"""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from taggit.models import Tag

from community.enums import FACILITATORS_GROUP, AuditKind
from community.models import AuditEntry, BuddyPairing
from community.tests import factories
from guide.tests.factories import ChapterFactory, ContributionFactory
from meetings.models import ActionItem, Attendance, Minutes
from meetings.networking.models import NetworkingSession
from meetings.reminders.models import Delivery
from meetings.tests.factories import AgendaItemFactory, MeetingFactory, ResourceFactory, RSVPFactory, draft_meeting
from themes.models import ExperienceSheet, ThemeTopic
from themes.tests.factories import QuestionFactory, ThemeFactory

pytestmark = pytest.mark.django_db

ROLES = ("member", "facilitator", "editor", "staff", "superuser")
NONE, ALL = "", "vacd"

# label: (facilitator, editor, staff without a group, superuser)
MATRIX = {
    "auth.group": (NONE, NONE, NONE, ALL),
    "account.emailaddress": (NONE, NONE, NONE, ALL),
    "django_celery_beat.periodictask": (NONE, NONE, NONE, ALL),
    "django_celery_beat.clockedschedule": (NONE, NONE, NONE, ALL),
    "django_celery_beat.crontabschedule": (NONE, NONE, NONE, ALL),
    "django_celery_beat.solarschedule": (NONE, NONE, NONE, ALL),
    "django_celery_beat.intervalschedule": (NONE, NONE, NONE, ALL),
    "taggit.tag": (NONE, NONE, NONE, ALL),
    "mfa.authenticator": (NONE, NONE, NONE, ALL),
    "usersessions.usersession": (NONE, NONE, NONE, ALL),
    # The audit trail is read-only for everyone: only the services write it.
    "community.auditentry": ("v", NONE, NONE, "v"),
    "community.user": ("v", NONE, NONE, ALL),
    "community.organisation": (ALL, NONE, NONE, ALL),
    # Pairings and actions start on the site's pages (buddy page, minutes), which mail people.
    "community.buddypairing": ("vd", NONE, NONE, "vd"),
    "meetings.actionitem": ("vcd", NONE, NONE, "vcd"),
    # Meetings are scheduled on the site (standard agenda): nobody adds one in the admin.
    "meetings.meeting": ("v", "v", "v", "vcd"),
    "meetings.rsvp": (NONE, NONE, NONE, ALL),
    "meetings.attendance": (NONE, NONE, NONE, ALL),
    "meetings.minutes": (NONE, NONE, NONE, ALL),
    "meetings.resource": (NONE, NONE, NONE, ALL),
    "networking.networkingsession": (NONE, NONE, NONE, ALL),
    "reminders.delivery": (NONE, NONE, NONE, "vd"),
    "themes.theme": ("vac", "v", "v", ALL),
    "themes.experiencesheet": (NONE, NONE, NONE, ALL),
    "themes.question": (NONE, NONE, NONE, ALL),
    "themes.themetopic": (NONE, NONE, NONE, ALL),
    "guide.contribution": (NONE, "vcd", NONE, "vcd"),
    "guide.chapter": (NONE, ALL, NONE, ALL),
}


def _objects() -> dict:
    """One object of each registered model."""
    meeting = MeetingFactory(title="Spring meeting")
    theme = ThemeFactory()
    past = MeetingFactory(starts_at=timezone.now() - timedelta(days=3))
    every_hour = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    return {
        "auth.group": Group.objects.get_or_create(name=FACILITATORS_GROUP)[0],
        "account.emailaddress": EmailAddress.objects.first(),
        "django_celery_beat.periodictask": PeriodicTask.objects.create(
            name="demo", task="meetings.tasks.dispatch", interval=every_hour
        ),
        "django_celery_beat.clockedschedule": ClockedSchedule.objects.create(clocked_time=timezone.now()),
        "django_celery_beat.crontabschedule": CrontabSchedule.objects.create(minute="5"),
        "django_celery_beat.solarschedule": SolarSchedule.objects.create(
            event="sunrise", latitude=41.15, longitude=-8.61
        ),
        "django_celery_beat.intervalschedule": every_hour,
        "taggit.tag": Tag.objects.create(name="gdpr", slug="gdpr"),
        "mfa.authenticator": Authenticator.objects.create(
            user=factories.UserFactory(), type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00", "used_mask": 0}
        ),
        "usersessions.usersession": UserSession.objects.create(
            user=factories.UserFactory(), ip="127.0.0.1", session_key="k" * 32, user_agent="Test browser"
        ),
        "community.auditentry": AuditEntry.objects.create(
            kind=AuditKind.MEMBER_APPROVED, actor_name="Fatou Diallo", target_label="Mariana Costa"
        ),
        "community.user": factories.UserFactory(),
        "community.organisation": factories.OrganisationFactory(name="Cité des métiers de Lyon", slug="lyon"),
        "meetings.meeting": meeting,
        "meetings.actionitem": ActionItem.objects.create(
            meeting=past, text="Send the survey", owner=factories.UserFactory(), due_on=timezone.localdate()
        ),
        "community.buddypairing": BuddyPairing.objects.create(
            newcomer=factories.UserFactory(), buddy=factories.UserFactory()
        ),
        "meetings.rsvp": RSVPFactory(meeting=meeting),
        "meetings.attendance": Attendance.objects.create(meeting=past, member=factories.UserFactory()),
        "meetings.minutes": Minutes.objects.create(agenda_item=AgendaItemFactory(meeting=past), text="Notes."),
        "meetings.resource": ResourceFactory(meeting=past, title="Partner map", url="https://example.org/map"),
        "networking.networkingsession": NetworkingSession.objects.create(meeting=meeting),
        "reminders.delivery": Delivery.objects.create(
            meeting=meeting, member=factories.UserFactory(), starts_at=meeting.starts_at
        ),
        "themes.theme": theme,
        "themes.experiencesheet": ExperienceSheet.objects.create(theme=theme, activity="A game."),
        "themes.question": QuestionFactory(theme=theme),
        "themes.themetopic": ThemeTopic.objects.create(name="Partnerships", slug="partnerships"),
        "guide.contribution": ContributionFactory(),
        "guide.chapter": ChapterFactory(),
    }


def _user(role: str):
    return {
        "member": lambda: factories.UserFactory(),
        "facilitator": lambda: factories.facilitator(is_staff=True),
        "editor": lambda: factories.guide_editor(is_staff=True),
        "staff": lambda: factories.UserFactory(is_staff=True),
        "superuser": lambda: factories.UserFactory(is_staff=True, is_superuser=True),
    }[role]()


def _expected(role: str, label: str, page: str) -> int:
    if role == "member":
        return 302
    rights = MATRIX[label][ROLES.index(role) - 1]
    needed = {"changelist": "v", "add": "a", "change": "v", "history": "v", "delete": "d"}[page]
    return 200 if needed in rights else 403


def _app_expected(role: str, app_label: str) -> int:
    if role == "member":
        return 302
    column = ROLES.index(role) - 1
    seen = any(rights[column] for label, rights in MATRIX.items() if label.startswith(f"{app_label}."))
    return 200 if seen else 404


def test_the_table_covers_every_registered_model():
    assert sorted(model._meta.label_lower for model in admin.site._registry) == sorted(MATRIX)


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_url_answers_each_role_as_the_table_says(role):
    objects = _objects()
    client = Client()
    client.force_login(_user(role))
    expected, got = {}, {}

    expected["index"] = 302 if role == "member" else 200
    got["index"] = client.get(reverse("admin:index")).status_code
    for app_label in sorted({label.split(".")[0] for label in MATRIX}):
        expected[app_label] = _app_expected(role, app_label)
        got[app_label] = client.get(reverse("admin:app_list", args=[app_label])).status_code
    for label, obj in objects.items():
        app_label, model_name = label.split(".")
        for page in ("changelist", "add", "change", "history", "delete"):
            args = [] if page in ("changelist", "add") else [obj.pk]
            url = reverse(f"admin:{app_label}_{model_name}_{page}", args=args)
            expected[f"{label} {page}"] = _expected(role, label, page)
            got[f"{label} {page}"] = client.get(url).status_code

    assert got == expected


@pytest.fixture
def editor_client():
    client = Client()
    client.force_login(factories.guide_editor(is_staff=True))
    return client


def test_guide_editor_sees_no_draft_meeting_in_the_admin(editor_client):
    published = MeetingFactory(title="Published meeting")
    draft = draft_meeting(title="Secret draft meeting")

    changelist = editor_client.get(reverse("admin:meetings_meeting_changelist"))
    popup = editor_client.get(reverse("admin:meetings_meeting_changelist"), {"_to_field": "id", "_popup": "1"})
    found = editor_client.get(reverse("admin:meetings_meeting_changelist"), {"q": "Secret"})
    pages = {
        page: editor_client.get(reverse(f"admin:meetings_meeting_{page}", args=[draft.pk]))
        for page in ("change", "history", "delete")
    }

    assert [m.pk for m in changelist.context["cl"].result_list] == [published.pk]
    assert [m.pk for m in popup.context["cl"].result_list] == [published.pk]
    assert list(found.context["cl"].result_list) == []
    assert "Secret draft meeting" not in changelist.content.decode()
    # The editor may delete no meeting at all: refused before the meeting is looked for.
    assert {page: response.status_code for page, response in pages.items()} == {
        "change": 302,
        "history": 302,
        "delete": 403,
    }
    assert (pages["change"].url, pages["history"].url) == (reverse("admin:index"), reverse("admin:index"))


def test_facilitator_sees_draft_meetings_in_the_admin():
    client = Client()
    client.force_login(factories.facilitator(is_staff=True))
    draft = draft_meeting(title="Draft meeting")

    changelist = client.get(reverse("admin:meetings_meeting_changelist"))
    change = client.get(reverse("admin:meetings_meeting_change", args=[draft.pk]))

    assert [m.pk for m in changelist.context["cl"].result_list] == [draft.pk]
    assert change.status_code == 200


def test_guide_editor_sees_no_draft_meeting_on_the_site(editor_client):
    published = MeetingFactory(title="Partnership meeting")
    draft = draft_meeting(title="Partnership draft")

    listing = editor_client.get(reverse("meetings:list"))
    search = editor_client.get(reverse("search"), {"q": "Partnership", "kind": "meetings"})
    detail = editor_client.get(reverse("meetings:detail", args=[draft.pk]))
    ical = editor_client.get(reverse("meetings:ical", args=[draft.pk]))

    assert [m.pk for m in listing.context["upcoming"]] == [published.pk]
    assert "Partnership draft" not in listing.content.decode()
    meetings_found = [result.title for result in search.context["page"].object_list]
    assert meetings_found == ["Partnership meeting"]
    assert "Partnership draft" not in search.content.decode()
    assert (detail.status_code, ical.status_code) == (404, 404)
