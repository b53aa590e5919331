"""Every URL × every role, with the exact status code."""

import pytest

from community.tests.factories import UserFactory
from themes.enums import PresenterStatus
from themes.models import ExperienceSheet, SheetAttachment
from themes.tests.factories import MeetingFactory, QuestionFactory, ThemeFactory, presenter

pytestmark = pytest.mark.django_db

M, F, E = "member", "facilitator", "editor"


def everyone(code):
    return {M: code, F: code, E: code}


def facilitators_only(code):
    return {M: 404, F: code, E: 404}


# name, method, url, expected status per signed-in approved role
TABLE = [
    ("list", "get", "/themes/", everyone(200)),
    ("list filtered", "get", "/themes/?q=gdpr&reason=difficulty&status=all&topic=gdpr&sort=interest", everyone(200)),
    ("create", "get", "/themes/new/", everyone(200)),
    ("detail", "get", "/themes/{theme}/", everyone(200)),
    ("missing theme", "get", "/themes/999999/", everyone(404)),
    ("edit someone else's theme", "get", "/themes/{theme}/edit/", facilitators_only(200)),
    ("interest", "post", "/themes/{theme}/interest/", everyone(302)),
    ("interest by GET", "get", "/themes/{theme}/interest/", everyone(405)),
    ("volunteer", "get", "/themes/{theme}/volunteer/", everyone(200)),
    ("invite (not a presenter)", "get", "/themes/{theme}/invite/", everyone(404)),
    ("answer an invitation never sent", "post", "/themes/{theme}/invitation/", everyone(404)),
    ("confirm a presenter", "post", "/themes/{theme}/presenters/{role}/confirm/", facilitators_only(302)),
    ("remove a presenter", "post", "/themes/{theme}/presenters/{role}/remove/", facilitators_only(302)),
    ("withdraw someone else's theme", "get", "/themes/{theme}/state/withdrawn/", everyone(404)),
    ("decline", "get", "/themes/{theme}/state/declined/", facilitators_only(200)),
    ("mark presented while proposed", "get", "/themes/{theme}/state/presented/", everyone(404)),
    ("unknown state", "get", "/themes/{theme}/state/published/", everyone(404)),
    ("schedule", "get", "/themes/{theme}/schedule/", facilitators_only(200)),
    ("schedule (post)", "post", "/themes/{theme}/schedule/", facilitators_only(302)),
    ("edit the sheet (not a presenter)", "get", "/themes/{theme}/sheet/", everyone(404)),
    ("attach to the sheet", "post", "/themes/{theme}/sheet/attachments/", everyone(404)),
    ("remove from the sheet", "post", "/themes/{theme}/sheet/attachments/{attachment}/delete/", everyone(404)),
    ("ask", "post", "/themes/{theme}/questions/", everyone(302)),
    ("vote", "post", "/themes/{theme}/questions/{question}/vote/", everyone(302)),
    ("answer", "get", "/themes/{theme}/questions/{question}/answer/", facilitators_only(200)),
    ("hide", "post", "/themes/{theme}/questions/{question}/hide/", facilitators_only(302)),
]

POST_DATA = {
    "/themes/{theme}/interest/": {"interested": "1"},
    "/themes/{theme}/questions/": {"body": "How?"},
    "/themes/{theme}/questions/{question}/vote/": {"voted": "1"},
    "/themes/{theme}/schedule/": {"meeting": "{meeting}"},
}


@pytest.fixture
def objects():
    theme = ThemeFactory(title="Respecting GDPR")
    role = presenter(theme, status=PresenterStatus.VOLUNTEERED)
    sheet = ExperienceSheet.objects.create(theme=theme, activity="x")
    attachment = SheetAttachment.objects.create(sheet=sheet, title="a", url="https://example.org")
    question = QuestionFactory(theme=theme)
    meeting = MeetingFactory()
    return {
        "theme": theme.pk,
        "role": role.pk,
        "attachment": attachment.pk,
        "question": question.pk,
        "meeting": meeting.pk,
    }


@pytest.mark.parametrize("role", ["visitor", "pending", M, F, E])
@pytest.mark.parametrize(("name", "method", "url", "expected"), TABLE, ids=[row[0] for row in TABLE])
def test_permission_table(client_for, objects, role, name, method, url, expected):
    client = client_for(role)
    path = url.format(**objects)
    data = {key: value.format(**objects) for key, value in POST_DATA.get(url, {}).items()}

    response = getattr(client, method)(path, data)

    if role == "visitor":
        assert (response.status_code, response["Location"].split("?")[0]) == (302, "/accounts/login/")
    elif role == "pending":
        assert (response.status_code, response["Location"]) == (302, "/members/waiting/")
    else:
        assert response.status_code == expected[role]


def test_the_proposer_edits_and_withdraws_their_theme(client):
    theme = ThemeFactory()
    client.force_login(theme.proposer)
    assert client.get(f"/themes/{theme.pk}/edit/").status_code == 200
    assert client.get(f"/themes/{theme.pk}/state/withdrawn/").status_code == 200
    assert client.get(f"/themes/{theme.pk}/state/declined/").status_code == 404
    assert client.get(f"/themes/{theme.pk}/schedule/").status_code == 404


def test_another_members_theme_edit_answers_404_even_by_post(member_client):
    theme = ThemeFactory(title="Original")
    response = member_client.post(
        f"/themes/{theme.pk}/edit/", {"title": "Hijacked", "summary": "s", "reason": "question"}
    )
    assert response.status_code == 404
    theme.refresh_from_db()
    assert theme.title == "Original"


def test_only_presenters_edit_the_sheet(client):
    theme = ThemeFactory()
    volunteer = presenter(theme, status=PresenterStatus.VOLUNTEERED).member
    invited = presenter(theme, status=PresenterStatus.INVITED).member
    for person, expected in ((volunteer, 200), (invited, 404), (theme.proposer, 404)):
        client.force_login(person)
        assert client.get(f"/themes/{theme.pk}/sheet/").status_code == expected
        assert client.get(f"/themes/{theme.pk}/invite/").status_code == (200 if expected == 200 else 404)
        assert (
            client.get(f"/themes/{theme.pk}/questions/{QuestionFactory(theme=theme).pk}/answer/").status_code
            == expected
        )


def test_a_presenter_steps_down_but_cannot_remove_the_other(client):
    theme = ThemeFactory()
    mine, other = presenter(theme), presenter(theme)
    client.force_login(mine.member)
    assert client.post(f"/themes/{theme.pk}/presenters/{other.pk}/remove/").status_code == 404
    assert client.post(f"/themes/{theme.pk}/presenters/{mine.pk}/remove/").status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.slot) == (PresenterStatus.REMOVED, None)


def test_the_invited_member_answers_the_invitation(client):
    theme = ThemeFactory()
    invited = presenter(theme, status=PresenterStatus.INVITED)
    client.force_login(invited.member)
    assert client.post(f"/themes/{theme.pk}/invitation/", {"answer": "accept"}).status_code == 302
    invited.refresh_from_db()
    assert invited.status == PresenterStatus.VOLUNTEERED


def test_hidden_questions_answer_404_to_members(client):
    question = QuestionFactory()
    question.hidden_at = question.created_at
    question.save()
    client.force_login(UserFactory())
    assert client.post(f"/themes/{question.theme_id}/questions/{question.pk}/vote/", {"voted": "1"}).status_code == 404


def test_staff_facilitator_opens_the_themes_admin_list(client):
    from community.tests.factories import facilitator as make_facilitator

    client.force_login(make_facilitator(is_staff=True))

    assert client.get("/admin/themes/theme/").status_code == 200
