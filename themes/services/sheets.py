"""The experience sheet of a theme and its links and files, kept by its presenters."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..enums import (
    PRESENTING_STATUSES,
)
from ..models import (
    ExperienceSheet,
    SheetAttachment,
    Theme,
)
from .lifecycle import ThemeError


def _check_presenter(theme: Theme, user) -> None:
    if not theme.presenter_roles.filter(member=user, status__in=PRESENTING_STATUSES).exists():
        raise ThemeError(_("Only the presenters of this theme can edit its experience sheet."))


@transaction.atomic
def sheet_update(
    *, theme: Theme, by, activity: str, strengths: str, weaknesses: str, transferability: str
) -> ExperienceSheet:
    """Write the experience sheet (created on first save)."""
    _check_presenter(theme, by)
    sheet, _created = ExperienceSheet.objects.select_for_update().get_or_create(theme=theme)
    sheet.activity, sheet.strengths, sheet.weaknesses = activity, strengths, weaknesses
    sheet.transferability, sheet.updated_by = transferability, by
    sheet.save()
    return sheet


@transaction.atomic
def sheet_attachment_add(*, theme: Theme, by, title: str, url: str = "", file=None) -> SheetAttachment:
    """Attach a link or a file (exactly one) to the experience sheet."""
    _check_presenter(theme, by)
    if bool(url) == bool(file):
        raise ThemeError(_("Give either a link or a file."))
    sheet, _created = ExperienceSheet.objects.get_or_create(theme=theme, defaults={"updated_by": by})
    return SheetAttachment.objects.create(sheet=sheet, title=title, url=url, file=file or "", added_by=by)


@transaction.atomic
def sheet_attachment_delete(*, attachment: SheetAttachment, by) -> None:
    """Remove a link or file. Side effects: the stored file is deleted after commit."""
    _check_presenter(attachment.sheet.theme, by)
    file = attachment.file
    attachment.delete()
    if file:
        transaction.on_commit(lambda: file.storage.delete(file.name))
