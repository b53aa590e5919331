"""The experience sheet and its links and files."""

import rules
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.access import member_required
from community.downloads import file_download

from .. import services
from ..enums import OPEN_STATES, ThemeState
from ..forms import (
    AttachmentForm,
    SheetForm,
)
from ..models import ExperienceSheet, SheetAttachment, Theme
from .common import _back


def _sheet_theme(request, pk: int) -> Theme:
    theme = get_object_or_404(
        Theme.objects.prefetch_related("presenter_roles"), pk=pk, state__in=[*OPEN_STATES, ThemeState.PRESENTED]
    )
    if not rules.has_perm("themes.edit_sheet", request.user, theme):
        raise Http404
    return theme


@member_required
def sheet_edit(request, pk: int):
    theme = _sheet_theme(request, pk)
    sheet = ExperienceSheet.objects.filter(theme=theme).first()
    form = SheetForm(request.POST or None, instance=sheet)
    if request.method == "POST" and form.is_valid():
        services.sheet_update(theme=theme, by=request.user, **form.cleaned_data)
        messages.success(request, _("Experience sheet saved."))
        return _back(theme, "#sheet")
    attachments = list(sheet.attachments.all()) if sheet else []
    return render(
        request,
        "themes/sheet.html",
        {"theme": theme, "form": form, "attachment_form": AttachmentForm(), "attachments": attachments},
    )


@member_required
def attachment_add(request, pk: int):
    theme = _sheet_theme(request, pk)
    if request.method != "POST":
        # Reached by GET after an error page (a language switch, a bookmark): back to the sheet.
        return redirect("themes:sheet", pk=theme.pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        services.sheet_attachment_add(
            theme=theme,
            by=request.user,
            title=form.cleaned_data["title"],
            url=form.cleaned_data["url"],
            file=form.cleaned_data["file"],
        )
        messages.success(request, _("Added to the experience sheet."))
        return redirect("themes:sheet", pk=theme.pk)
    sheet = ExperienceSheet.objects.filter(theme=theme).first()
    return render(
        request,
        "themes/sheet.html",
        {
            "theme": theme,
            "form": SheetForm(instance=sheet),
            "attachment_form": form,
            "attachments": list(sheet.attachments.all()) if sheet else [],
        },
        status=400,
    )


@member_required
@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    theme = _sheet_theme(request, pk)
    attachment = get_object_or_404(
        SheetAttachment.objects.select_related("sheet__theme"), pk=attachment_pk, sheet__theme=theme
    )
    services.sheet_attachment_delete(attachment=attachment, by=request.user)
    messages.success(request, _("Removed from the experience sheet."))
    return redirect("themes:sheet", pk=theme.pk)


@member_required
def attachment_file(request, pk: int):
    """An experience-sheet file, for members (themes are open to every member)."""
    attachment = get_object_or_404(SheetAttachment, pk=pk)
    return file_download(attachment.file)
