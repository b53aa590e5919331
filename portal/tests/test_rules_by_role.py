"""Each permission rule × each role, with the exact answer (asked as the pages ask them)."""

from datetime import timedelta

import pytest
import rules
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from community.tests import factories
from guide.enums import ContributionState
from guide.tests.factories import ContributionFactory
from meetings.enums import MeetingState
from meetings.tests.factories import MeetingFactory, ResourceFactory, draft_meeting
from themes.enums import PresenterStatus, ThemeState
from themes.tests.factories import ThemeFactory, presenter

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "pending", "member", "facilitator", "editor", "owner")


@pytest.fixture
def world():
    owner = factories.UserFactory(display_name="Owner")
    theme = ThemeFactory(proposer=owner)
    volunteered = presenter(theme, owner, status=PresenterStatus.VOLUNTEERED)
    past = MeetingFactory(starts_at=timezone.now() - timedelta(days=2))
    return {
        "owner": owner,
        "published": MeetingFactory(),
        "draft": draft_meeting(),
        "cancelled": MeetingFactory(state=MeetingState.CANCELLED),
        "past": past,
        "resource": ResourceFactory(meeting=past, added_by=owner, url="https://example.org/x"),
        "theme": theme,
        "presented": ThemeFactory(proposer=owner, state=ThemeState.PRESENTED),
        "role": volunteered,
        "contribution": ContributionFactory(author=owner),
        "submitted": ContributionFactory(author=owner, state=ContributionState.SUBMITTED),
        "changes_requested": ContributionFactory(author=owner, state=ContributionState.CHANGES_REQUESTED),
        "published_entry": ContributionFactory(author=owner, state=ContributionState.PUBLISHED),
    }


def _user(role, world):
    return {
        "visitor": AnonymousUser,
        "pending": factories.pending_member,
        "member": factories.UserFactory,
        "facilitator": factories.facilitator,
        "editor": factories.guide_editor,
        "owner": lambda: world["owner"],
    }[role]()


# rule, object name, answers for (visitor, pending, member, facilitator, editor, owner)
CASES = [
    ("community.view_members", None, (False, False, True, True, True, True)),
    ("community.approve_members", None, (False, False, False, True, False, False)),
    ("community.manage_centres", None, (False, False, False, True, False, False)),
    ("community.manage_centres_in_admin", None, (False, False, False, False, False, False)),
    ("community.see_accounts", None, (False, False, False, True, False, False)),
    ("meetings.see_meeting", "published", (False, False, True, True, True, True)),
    ("meetings.see_meeting", "draft", (False, False, False, True, False, False)),
    ("meetings.see_drafts", None, (False, False, False, True, False, False)),
    ("meetings.manage_meetings", None, (False, False, False, True, False, False)),
    ("meetings.edit_meeting", "published", (False, False, False, True, False, False)),
    ("meetings.edit_meeting", "cancelled", (False, False, False, False, False, False)),
    ("meetings.publish_meeting", "draft", (False, False, False, True, False, False)),
    ("meetings.publish_meeting", "published", (False, False, False, False, False, False)),
    ("meetings.cancel_meeting", "published", (False, False, False, True, False, False)),
    ("meetings.cancel_meeting", "past", (False, False, False, False, False, False)),
    ("meetings.record_attendance", "past", (False, False, False, True, False, False)),
    ("meetings.record_attendance", "draft", (False, False, False, False, False, False)),
    ("meetings.write_minutes", "past", (False, False, False, True, False, False)),
    ("meetings.write_minutes", "draft", (False, False, False, False, False, False)),
    ("meetings.rsvp", "published", (False, False, True, True, True, True)),
    ("meetings.rsvp", "past", (False, False, False, False, False, False)),
    ("meetings.attach_resource", "past", (False, False, False, True, False, False)),
    ("meetings.remove_resource", "resource", (False, False, False, True, False, True)),
    ("networking.run_session", None, (False, False, False, True, False, False)),
    ("themes.see_theme", None, (False, False, True, True, True, True)),
    ("themes.propose_theme", None, (False, False, True, True, True, True)),
    ("themes.edit_theme", "theme", (False, False, False, True, False, True)),
    ("themes.edit_theme", "presented", (False, False, False, True, False, False)),
    ("themes.volunteer", "theme", (False, False, True, True, True, True)),
    ("themes.volunteer", "presented", (False, False, False, False, False, False)),
    ("themes.invite_presenter", "theme", (False, False, False, False, False, True)),
    ("themes.edit_sheet", "theme", (False, False, False, False, False, True)),
    ("themes.answer_question", "theme", (False, False, False, True, False, True)),
    ("themes.hide_question", "theme", (False, False, False, True, False, False)),
    ("themes.schedule_theme", "theme", (False, False, False, True, False, False)),
    ("themes.confirm_presenter", "role", (False, False, False, True, False, False)),
    ("themes.remove_presenter", "role", (False, False, False, True, False, True)),
    ("themes.curate_themes", None, (False, False, False, True, False, False)),
    ("themes.show_interest", "theme", (False, False, True, True, True, True)),
    ("themes.show_interest", "presented", (False, False, False, False, False, False)),
    ("themes.ask_question", "theme", (False, False, True, True, True, True)),
    ("themes.ask_question", "presented", (False, False, False, False, False, False)),
    ("themes.vote_question", "theme", (False, False, True, True, True, True)),
    ("themes.vote_question", "presented", (False, False, False, False, False, False)),
    ("themes.see_hidden_questions", "theme", (False, False, False, True, False, False)),
    ("guide.contribute", None, (False, False, True, True, True, True)),
    ("guide.edit_contribution", "contribution", (False, False, False, False, False, True)),
    ("guide.edit_contribution", "submitted", (False, False, False, False, False, False)),
    ("guide.edit_contribution", "changes_requested", (False, False, False, False, False, True)),
    ("guide.submit_contribution", "contribution", (False, False, False, False, False, True)),
    ("guide.submit_contribution", "changes_requested", (False, False, False, False, False, True)),
    ("guide.submit_contribution", "submitted", (False, False, False, False, False, False)),
    ("guide.submit_contribution", "published_entry", (False, False, False, False, False, False)),
    ("guide.withdraw_contribution", "submitted", (False, False, False, False, False, True)),
    ("guide.withdraw_contribution", "contribution", (False, False, False, False, False, False)),
    ("guide.withdraw_contribution", "changes_requested", (False, False, False, False, False, False)),
    ("guide.delete_draft", "contribution", (False, False, False, False, False, True)),
    ("guide.delete_draft", "submitted", (False, False, False, False, False, False)),
    ("guide.delete_draft", "changes_requested", (False, False, False, False, False, False)),
    ("guide.review", None, (False, False, False, False, True, False)),
]


@pytest.mark.parametrize(("rule", "target", "answers"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_rule_answers_each_role(world, rule, target, answers):
    obj = world[target] if target else None

    got = tuple(rules.has_perm(rule, _user(role, world), obj) for role in ROLES)

    assert got == answers


def test_no_rule_reuses_a_django_model_permission_name():
    model_codenames = {
        f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        for model in apps.get_models()
        for action in ("add", "change", "delete", "view")
    }

    assert sorted(set(rules.permissions.permissions) & model_codenames) == []
