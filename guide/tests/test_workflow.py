import threading

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection

from community.enums import GUIDE_EDITORS_GROUP
from community.tests.factories import UserFactory, guide_editor
from guide.enums import Actor, ContributionState
from guide.models import Contribution, ContributionTransition
from guide.services import TRANSITIONS, TransitionError, contribution_transition

from .factories import ContributionFactory

pytestmark = pytest.mark.django_db

S = ContributionState
ALL_STATES = list(S.values)


def _actor_for(role, contribution):
    if role == "author":
        return contribution.author
    if role == "editor":
        return guide_editor()
    return UserFactory()  # another member


@pytest.mark.parametrize(("frm", "to"), list(TRANSITIONS))
def test_every_allowed_move_by_the_right_role_works_and_is_recorded(frm, to, django_capture_on_commit_callbacks):
    contribution = ContributionFactory(state=frm)
    move = TRANSITIONS[(frm, to)]
    by = _actor_for(move.actor, contribution)

    with django_capture_on_commit_callbacks(execute=True):
        step = contribution_transition(contribution=contribution, to=to, by=by, comment="Looks good to me")

    contribution.refresh_from_db()
    assert contribution.state == to
    assert contribution.state_changed_at is not None
    assert list(contribution.transitions.values_list("from_state", "to_state", "by", "comment", "by_editor")) == [
        (frm, to, by.pk, "Looks good to me", move.actor == Actor.EDITOR)
    ]
    assert step.pk == contribution.transitions.get().pk
    # The author hears about what editors do, never about their own moves.
    assert [m.to for m in mail.outbox] == ([[contribution.author.email]] if move.actor == Actor.EDITOR else [])


@pytest.mark.parametrize(("frm", "to"), list(TRANSITIONS))
def test_every_allowed_move_by_the_wrong_role_is_refused(frm, to):
    contribution = ContributionFactory(state=frm)
    move = TRANSITIONS[(frm, to)]
    wrong = ["member", "editor" if move.actor == Actor.AUTHOR else "author"]
    for role in wrong:
        with pytest.raises(TransitionError):
            contribution_transition(contribution=contribution, to=to, by=_actor_for(role, contribution), comment="x")
    contribution.refresh_from_db()
    assert contribution.state == frm
    assert ContributionTransition.objects.count() == 0


@pytest.mark.parametrize(("frm", "to"), [(f, t) for f in ALL_STATES for t in ALL_STATES if (f, t) not in TRANSITIONS])
def test_moves_outside_the_table_are_refused_even_for_an_editor_author(frm, to):
    # An editor who is also the author holds both roles: only the table decides.
    both = guide_editor()
    contribution = ContributionFactory(state=frm, author=both)
    with pytest.raises(TransitionError):
        contribution_transition(contribution=contribution, to=to, by=both, comment="x")
    contribution.refresh_from_db()
    assert contribution.state == frm
    assert ContributionTransition.objects.count() == 0


@pytest.mark.parametrize("to", [S.CHANGES_REQUESTED, S.REJECTED])
def test_request_changes_and_reject_need_a_comment(to, editor):
    contribution = ContributionFactory(state=S.IN_REVIEW)
    with pytest.raises(TransitionError):
        contribution_transition(contribution=contribution, to=to, by=editor, comment="   ")
    assert Contribution.objects.get().state == S.IN_REVIEW


def test_pending_author_cannot_submit(pending):
    contribution = ContributionFactory(state=S.DRAFT, author=pending)
    with pytest.raises(TransitionError):
        contribution_transition(contribution=contribution, to=S.SUBMITTED, by=pending)
    assert Contribution.objects.get().state == S.DRAFT


def test_author_is_told_in_their_language_with_the_editors_comment(editor, django_capture_on_commit_callbacks):
    author = UserFactory(display_name="Amélie Dupont", preferred_language="fr")
    contribution = ContributionFactory(state=S.IN_REVIEW, author=author, title="Un petit-déjeuner entre partenaires")

    with django_capture_on_commit_callbacks(execute=True):
        contribution_transition(
            contribution=contribution, to=S.CHANGES_REQUESTED, by=editor, comment="Ajoutez un exemple chiffré."
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [author.email]
    assert "Un petit-déjeuner entre partenaires" in message.subject
    assert "Ajoutez un exemple chiffré." in message.body
    assert f"/guide/mine/{contribution.pk}/edit/" in message.body
    assert "Ajoutez un exemple chiffré." in message.alternatives[0][0]


def test_author_who_opted_out_gets_no_email(editor, django_capture_on_commit_callbacks):
    author = UserFactory(guide_updates_frequency="never")
    contribution = ContributionFactory(state=S.ACCEPTED, author=author)
    with django_capture_on_commit_callbacks(execute=True):
        contribution_transition(contribution=contribution, to=S.PUBLISHED, by=editor)
    assert mail.outbox == []
    assert Contribution.objects.get().state == S.PUBLISHED


def test_publishing_without_consent_is_refused_by_the_workflow_and_the_database(editor):
    contribution = ContributionFactory(state=S.ACCEPTED, licence_consent=False)
    with pytest.raises(TransitionError):
        contribution_transition(contribution=contribution, to=S.PUBLISHED, by=editor)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.filter(pk=contribution.pk).update(state=S.PUBLISHED)


@pytest.mark.django_db(transaction=True)
def test_two_editors_publishing_at_once_make_one_transition_and_one_email():
    # An earlier transactional test may have emptied the groups its data migration made.
    Group.objects.get_or_create(name=GUIDE_EDITORS_GROUP)
    first, second = guide_editor(), guide_editor()
    contribution = ContributionFactory(state=S.ACCEPTED)
    barrier = threading.Barrier(2)
    outcomes = []

    def publish(editor):
        try:
            barrier.wait()
            contribution_transition(
                contribution=Contribution.objects.get(pk=contribution.pk), to=S.PUBLISHED, by=editor
            )
            outcomes.append("published")
        except TransitionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(e,)) for e in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["published", "refused"]
    assert Contribution.objects.get().state == S.PUBLISHED
    assert list(ContributionTransition.objects.values_list("from_state", "to_state")) == [(S.ACCEPTED, S.PUBLISHED)]
    assert len(mail.outbox) == 1


def test_publishing_places_an_unplaced_entry_at_the_end_of_its_chapter(editor):
    placed = ContributionFactory(state=S.PUBLISHED, order=4)
    unplaced = ContributionFactory(state=S.ACCEPTED, chapter=placed.chapter, order=0)
    contribution_transition(contribution=unplaced, to=S.PUBLISHED, by=editor)
    unplaced.refresh_from_db()
    assert (unplaced.state, unplaced.order) == (S.PUBLISHED, 5)


def test_allowed_moves_depend_on_state_and_role(member, editor):
    from guide.services import allowed_moves

    submitted = ContributionFactory(state=S.SUBMITTED, author=member)

    assert [to for to, _move in allowed_moves(contribution=submitted, user=member)] == [S.DRAFT]
    assert [to for to, _move in allowed_moves(contribution=submitted, user=editor)] == [
        S.IN_REVIEW,
        S.CHANGES_REQUESTED,
        S.ACCEPTED,
        S.REJECTED,
    ]
    assert allowed_moves(contribution=submitted, user=UserFactory()) == []
