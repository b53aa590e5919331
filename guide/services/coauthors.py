"""Co-authors of a contribution: named by its author, each credited only with their own consent
and in the way they choose."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.rules import is_member

from ..cache import GUIDE
from ..enums import CoAuthorCredit, ContributionState
from ..models import CoAuthor, Contribution
from ..tasks import notify_coauthor_invited
from .pdf_builds import guide_changed


class CoAuthorError(Exception):
    """A co-authorship the guide cannot take (oneself, a member who is not approved, not invited)."""


def coauthors_set(*, contribution: Contribution, members, by) -> list[CoAuthor]:
    """The author names the contribution's co-authors: those new are invited (a mail on commit,
    nothing credited before they consent), those left out are removed, the others keep their
    answer and their credit. The author is never their own co-author. Returns the new invitations."""
    wanted = {m.pk: m for m in members if m.pk != contribution.author_id and is_member(m)}
    with transaction.atomic():
        current = {row.member_id: row for row in CoAuthor.objects.select_for_update().filter(contribution=contribution)}
        gone = [row.pk for member_id, row in current.items() if member_id not in wanted]
        if gone:
            CoAuthor.objects.filter(pk__in=gone).delete()
        created = [
            CoAuthor.objects.create(contribution=contribution, member=member, invited_by=by)
            for pk, member in wanted.items()
            if pk not in current
        ]
        if any(current[pk].is_confirmed for pk in current if pk not in wanted):
            _credits_changed(contribution)
        for row in created:
            transaction.on_commit(lambda pk=row.pk: notify_coauthor_invited.delay(coauthor_id=pk))
    return created


def _credits_changed(contribution: Contribution) -> None:
    """What readers see of a published entry's credits changed: its PDF and cached pages follow."""
    if contribution.state == ContributionState.PUBLISHED:
        # updated_at is part of the PDF's fingerprint; a queryset update sends no save signal.
        Contribution.objects.filter(pk=contribution.pk).update(updated_at=timezone.now())
        GUIDE.changed()
        guide_changed()


def coauthor_answer(*, coauthor: CoAuthor, by, consent: bool, credit: str = CoAuthorCredit.NAME) -> CoAuthor:
    """The invited member consents to be credited (the way they chose in ``credit``) or declines.

    They may change their answer or their credit later; a published entry's credits follow.
    Raises ``CoAuthorError`` for anyone but the invited member or an unknown credit.
    """
    if credit not in CoAuthorCredit.values:
        raise CoAuthorError(_("Choose how you are credited."))
    with transaction.atomic():
        locked = CoAuthor.objects.select_for_update().select_related("contribution").get(pk=coauthor.pk)
        if locked.member_id != getattr(by, "pk", None) or not is_member(by):
            raise CoAuthorError(_("Only the member invited may answer."))
        now = timezone.now()
        locked.credit = credit
        locked.consented_at = now if consent else None
        locked.declined_at = None if consent else now
        locked.save(update_fields=["credit", "consented_at", "declined_at"])
        _credits_changed(locked.contribution)
    coauthor.credit, coauthor.consented_at, coauthor.declined_at = (
        locked.credit,
        locked.consented_at,
        locked.declined_at,
    )
    return locked


def is_confirmed_coauthor(*, contribution: Contribution, member) -> bool:
    return bool(
        member
        and member.is_authenticated
        and CoAuthor.objects.filter(contribution=contribution, member=member, consented_at__isnull=False).exists()
    )
