"""Volunteering, invitations and their answers, confirming and removing presenters."""

import rules
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.access import facilitator_required, member_required

from .. import services
from ..enums import PresenterStatus
from ..forms import (
    InviteForm,
    VolunteerForm,
)
from ..models import PresenterRole, Theme
from .common import _back, _theme


@member_required
def theme_volunteer(request, pk: int):
    theme = _theme(pk)
    if not rules.has_perm("themes.volunteer", request.user, theme):
        raise Http404
    form = VolunteerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.presenter_volunteer(theme=theme, member=request.user, pitch=form.cleaned_data["pitch"])
        except services.ThemeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you! A facilitator will confirm you as presenter."))
            return _back(theme, "#presenters")
    return render(request, "themes/volunteer.html", {"theme": theme, "form": form})


@member_required
def presenter_invite(request, pk: int):
    theme = get_object_or_404(Theme.objects.prefetch_related("presenter_roles"), pk=pk)
    if not rules.has_perm("themes.invite_presenter", request.user, theme):
        raise Http404
    form = InviteForm(request.POST or None, theme=theme, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.presenter_invite(theme=theme, by=request.user, member=form.cleaned_data["member"])
        except services.ThemeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s is invited to co-present.") % {"name": role.member})
            return _back(theme, "#presenters")
    return render(request, "themes/invite.html", {"theme": theme, "form": form})


@member_required
@require_POST
def invitation_respond(request, pk: int):
    theme = _theme(pk)
    if not theme.presenter_roles.filter(member=request.user, status=PresenterStatus.INVITED).exists():
        raise Http404
    accept = request.POST.get("answer") == "accept"
    try:
        services.presenter_respond(theme=theme, member=request.user, accept=accept)
    except services.ThemeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You are now a presenter of this theme.") if accept else _("Invitation declined."))
    return _back(theme, "#presenters")


@facilitator_required
@require_POST
def presenter_confirm(request, pk: int, role_pk: int):
    role = get_object_or_404(PresenterRole.objects.select_related("theme", "member"), pk=role_pk, theme_id=pk)
    try:
        services.presenter_confirm(role=role, by=request.user)
    except services.ThemeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is confirmed as presenter.") % {"name": role.member})
    return _back(role.theme, "#presenters")


@member_required
@require_POST
def presenter_remove(request, pk: int, role_pk: int):
    """A facilitator removes a presenter; a presenter steps down."""
    role = get_object_or_404(PresenterRole.objects.select_related("theme", "member"), pk=role_pk, theme_id=pk)
    if not rules.has_perm("themes.remove_presenter", request.user, role):
        raise Http404
    services.presenter_remove(role=role, by=request.user)
    messages.success(request, _("Presenter removed."))
    return _back(role.theme, "#presenters")
