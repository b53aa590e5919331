"""The editor's desk: a contribution's admin page with its preview, its changes since the last
review and the review moves; the editors' mail on a submission; the queue on their dashboard."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.tests.factories import UserFactory, guide_editor
from guide.enums import ContributionState
from guide.models import Contribution
from guide.services import contribution_transition, contribution_update

from .factories import ContributionFactory

pytestmark = pytest.mark.django_db

S = ContributionState


def _change_url(contribution):
    return reverse("admin:guide_contribution_change", args=[contribution.pk])


def _review_url(contribution):
    return reverse("admin:guide_contribution_review", args=[contribution.pk])


def test_change_page_shows_the_preview_the_changes_and_the_moves_of_its_state(editor_admin, staff_editor):
    contribution = ContributionFactory(state=S.IN_REVIEW, body="line one\nline two")
    contribution_transition(contribution=contribution, to=S.CHANGES_REQUESTED, by=staff_editor, comment="Two?")
    contribution_update(contribution=contribution, by=contribution.author, version=1, body="line one\n**line 2**")
    contribution_transition(contribution=contribution, to=S.SUBMITTED, by=contribution.author)

    response = editor_admin.get(_change_url(contribution))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>line 2</strong>" in html
    assert [(r.tag, r.left, r.right) for r in response.context["diff_rows"]] == [("replace", "line two", "**line 2**")]
    moves = [a.name for a in response.context["review_actions"]]
    assert moves == ["start_review", "request_changes", "accept", "reject"]
    assert f'action="{_review_url(contribution)}"' in html
    assert "<script" not in html.split('id="editor-desk"')[1].split("</form>")[0]


def test_request_changes_from_the_change_page_records_the_comment_and_mails_the_author(
    editor_admin, staff_editor, django_capture_on_commit_callbacks
):
    contribution = ContributionFactory(state=S.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_admin.post(
            _review_url(contribution), {"action": "request_changes", "comment": "Add a figure, please."}
        )

    assert response.status_code == 302
    assert response.url == _change_url(contribution)
    contribution.refresh_from_db()
    assert contribution.state == S.CHANGES_REQUESTED
    assert list(contribution.transitions.values_list("to_state", "comment", "by")) == [
        (S.CHANGES_REQUESTED, "Add a figure, please.", staff_editor.pk)
    ]
    assert [m.to for m in mail.outbox] == [[contribution.author.email]]
    assert "Add a figure, please." in mail.outbox[0].body


def test_request_changes_without_a_comment_is_refused_on_the_change_page(editor_admin):
    contribution = ContributionFactory(state=S.SUBMITTED)

    response = editor_admin.post(_review_url(contribution), {"action": "request_changes", "comment": " "}, follow=True)

    assert response.status_code == 200
    assert Contribution.objects.get().state == S.SUBMITTED
    assert "Please explain why, in a comment for the author." in response.content.decode()


def test_accept_from_the_change_page_only_from_a_state_that_allows_it(editor_admin):
    published = ContributionFactory(state=S.PUBLISHED)
    waiting = ContributionFactory(state=S.IN_REVIEW)

    editor_admin.post(_review_url(published), {"action": "accept"})
    editor_admin.post(_review_url(waiting), {"action": "accept", "comment": "Thank you"})

    assert Contribution.objects.get(pk=published.pk).state == S.PUBLISHED
    assert Contribution.objects.get(pk=waiting.pk).state == S.ACCEPTED


def test_review_answers_404_to_an_unknown_action_a_get_and_a_staff_non_editor(editor_admin, client):
    contribution = ContributionFactory(state=S.SUBMITTED)
    client.force_login(UserFactory(is_staff=True))

    assert editor_admin.post(_review_url(contribution), {"action": "delete"}).status_code == 404
    assert editor_admin.get(_review_url(contribution)).status_code == 404
    assert client.post(_review_url(contribution), {"action": "accept"}).status_code == 404
    assert Contribution.objects.get().state == S.SUBMITTED


@pytest.mark.parametrize("role", ["visitor", "pending", "member", "facilitator", "editor"])
def test_the_desk_needs_staff_access_for_every_role(client_for, role):
    # Editors work in the admin once given staff access; without it they are sent to sign in.
    contribution = ContributionFactory(state=S.SUBMITTED)
    for response in (
        client_for(role).get(_change_url(contribution)),
        client_for(role).post(_review_url(contribution), {"action": "accept"}),
    ):
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")
    assert Contribution.objects.get().state == S.SUBMITTED


def _change_page_queries(client, contribution) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_change_url(contribution)).status_code == 200
    return len(queries)


def test_change_page_queries_do_not_grow_with_the_review_history(editor_admin, staff_editor):
    short = ContributionFactory(state=S.SUBMITTED)
    long = ContributionFactory(state=S.IN_REVIEW)
    for n in range(5):
        long.refresh_from_db()
        contribution_transition(contribution=long, to=S.CHANGES_REQUESTED, by=staff_editor, comment=f"Round {n}")
        contribution_update(contribution=long, by=long.author, version=long.version, body=f"Text {n}")
        contribution_transition(contribution=long, to=S.SUBMITTED, by=long.author)
        contribution_transition(contribution=long, to=S.IN_REVIEW, by=staff_editor)

    assert _change_page_queries(editor_admin, short) == _change_page_queries(editor_admin, long)


# --- The editors' mail ---------------------------------------------------------------------------


def test_editors_get_one_mail_on_submit_and_on_resubmit_if_they_want_it(django_capture_on_commit_callbacks):
    wanting = guide_editor(email="wants@example.org", preferred_language="fr")
    guide_editor(email="not-me@example.org", notify_guide_review=False)
    contribution = ContributionFactory(state=S.DRAFT, title="Speed networking")

    with django_capture_on_commit_callbacks(execute=True):
        contribution_transition(contribution=contribution, to=S.SUBMITTED, by=contribution.author)
    first = list(mail.outbox)
    contribution_transition(contribution=contribution, to=S.CHANGES_REQUESTED, by=wanting, comment="More, please")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        contribution_transition(contribution=contribution, to=S.SUBMITTED, by=contribution.author)

    assert [m.to for m in first] == [[wanting.email]]
    assert "Speed networking" in first[0].subject
    assert reverse("admin:guide_contribution_change", args=[contribution.pk]) in first[0].body
    assert [m.to for m in mail.outbox] == [[wanting.email]]
    assert "Speed networking" in mail.outbox[0].subject
    assert mail.outbox[0].subject != first[0].subject  # "resubmitted", not "submitted"


def test_an_editor_who_submits_their_own_contribution_is_not_mailed(django_capture_on_commit_callbacks):
    author = guide_editor(email="author-editor@example.org")
    other = guide_editor(email="other@example.org")
    contribution = ContributionFactory(state=S.DRAFT, author=author)

    with django_capture_on_commit_callbacks(execute=True):
        contribution_transition(contribution=contribution, to=S.SUBMITTED, by=author)

    assert [m.to for m in mail.outbox] == [[other.email]]


def test_only_editors_see_the_review_notification_choice(client):
    editor = guide_editor()
    member = UserFactory()
    client.force_login(editor)
    assert 'name="notify_guide_review"' in client.get(reverse("community:profile_edit")).content.decode()
    client.force_login(member)
    assert 'name="notify_guide_review"' not in client.get(reverse("community:profile_edit")).content.decode()


# --- The queue on the dashboard ------------------------------------------------------------------


def _dashboard_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_dashboard_lists_the_first_waiting_entries_with_links_to_their_admin_page(client):
    editor = guide_editor()
    client.force_login(editor)
    first = ContributionFactory(state=S.SUBMITTED, title="Waiting entry one")
    one_count, _html = _dashboard_queries(client)
    for n in range(9):
        ContributionFactory(state=S.IN_REVIEW, title=f"Waiting entry {n + 2}")
    ContributionFactory(state=S.DRAFT, title="Not sent yet")

    count, html = _dashboard_queries(client)

    assert count == one_count
    assert count <= 15
    assert f'href="{_change_url(first)}"' in html
    assert html.count("Waiting entry") == 5
    assert "Not sent yet" not in html
