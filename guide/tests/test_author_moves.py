"""The author's moves (submit, withdraw, delete a draft) are offered and accepted by the rules only."""

import pytest
from django.urls import reverse

from guide.enums import ContributionState
from guide.models import Contribution

from .factories import ContributionFactory

pytestmark = pytest.mark.django_db

S = ContributionState

# The actions the "my contributions" page offers for each state, as the URLs of their buttons.
OFFERED = {
    S.DRAFT: ["edit", "submit", "delete"],
    S.SUBMITTED: ["withdraw"],
    S.IN_REVIEW: [],
    S.CHANGES_REQUESTED: ["edit", "submit"],
    S.ACCEPTED: [],
    S.PUBLISHED: [],
    S.REJECTED: [],
}


def _action_urls(pk):
    return {
        "edit": reverse("guide:edit", kwargs={"pk": pk}),
        "submit": reverse("guide:transition", kwargs={"pk": pk, "action": "submit"}),
        "withdraw": reverse("guide:transition", kwargs={"pk": pk, "action": "withdraw"}),
        "delete": reverse("guide:delete", kwargs={"pk": pk}),
    }


@pytest.mark.parametrize("state", list(OFFERED))
def test_mine_offers_exactly_the_moves_the_rules_allow(member_client, member, state):
    contribution = ContributionFactory(author=member, state=state)

    html = member_client.get("/guide/mine/").content.decode()

    offered = [name for name, url in _action_urls(contribution.pk).items() if f'"{url}"' in html]
    assert offered == OFFERED[state]


# (action, state): the move the author may not make from that state.
REFUSED_MOVES = [
    ("submit", S.SUBMITTED),
    ("submit", S.IN_REVIEW),
    ("submit", S.ACCEPTED),
    ("submit", S.PUBLISHED),
    ("submit", S.REJECTED),
    ("withdraw", S.DRAFT),
    ("withdraw", S.IN_REVIEW),
    ("withdraw", S.CHANGES_REQUESTED),
    ("withdraw", S.PUBLISHED),
]


@pytest.mark.parametrize(("action", "state"), REFUSED_MOVES)
def test_a_refused_move_redirects_to_mine_with_the_reason_and_changes_nothing(member_client, member, action, state):
    contribution = ContributionFactory(author=member, state=state, title="Cross-visits")
    to = S.SUBMITTED if action == "submit" else S.DRAFT

    response = member_client.post(f"/guide/mine/{contribution.pk}/{action}/")

    assert (response.status_code, response.url) == (302, "/guide/mine/")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"“Cross-visits” cannot go from “{S(state).label}” to “{S(to).label}”."]
    contribution.refresh_from_db()
    assert (contribution.state, contribution.transitions.count()) == (state, 0)


@pytest.mark.parametrize("state", [s for s in S if s != S.DRAFT])
def test_deleting_anything_but_a_draft_redirects_with_the_reason(member_client, member, state):
    contribution = ContributionFactory(author=member, state=state)

    response = member_client.post(f"/guide/mine/{contribution.pk}/delete/")

    assert (response.status_code, response.url) == (302, "/guide/mine/")
    assert [str(m) for m in response.wsgi_request._messages] == ["Only a draft can be deleted."]
    assert list(Contribution.objects.values_list("pk", "state")) == [(contribution.pk, state)]


@pytest.mark.parametrize("action", ["submit", "withdraw", "delete", "edit"])
def test_another_members_contribution_answers_404_for_every_move(member_client, action):
    contribution = ContributionFactory(state=S.SUBMITTED if action == "withdraw" else S.DRAFT)
    state = contribution.state
    url = _action_urls(contribution.pk)[action]

    response = member_client.get(url) if action == "edit" else member_client.post(url)

    assert response.status_code == 404
    assert Contribution.objects.get().state == state


def test_an_unknown_move_answers_404(member_client, member):
    contribution = ContributionFactory(author=member)

    response = member_client.post(f"/guide/mine/{contribution.pk}/publish/")

    assert response.status_code == 404
    assert Contribution.objects.get().state == S.DRAFT


@pytest.mark.parametrize(
    ("state", "buttons"),
    [(S.DRAFT, ["Submit for review", "Save as draft"]), (S.CHANGES_REQUESTED, ["Resubmit", "Save my changes"])],
)
def test_edit_page_offers_submit_by_the_rule(member_client, member, state, buttons):
    contribution = ContributionFactory(author=member, state=state)

    response = member_client.get(f"/guide/mine/{contribution.pk}/edit/")

    html = response.content.decode()
    assert (response.status_code, response.context["can_submit"]) == (200, True)
    assert [
        label for label in ["Submit for review", "Save as draft", "Resubmit", "Save my changes"] if label in html
    ] == (buttons)
