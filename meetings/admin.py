from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from community.admin_rules import RulesAdminMixin, RulesModelAdmin
from community.languages import LanguageKeptWhenOmitted

from . import services
from .enums import MeetingState
from .models import RSVP, AgendaItem, Attendance, Meeting, Minutes, Resource


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["leads"]


class MeetingAdminForm(LanguageKeptWhenOmitted, forms.ModelForm):
    def clean_online_url(self):
        url = self.cleaned_data.get("online_url", "")
        services.validate_online_url(url)
        return url


@admin.register(Meeting)
class MeetingAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    """Staff members look meetings up; superusers correct the wording.

    The schedule and the state are read-only here: moving or cancelling a meeting bumps its
    calendar SEQUENCE and tells the members, which the meeting's own pages do through the
    services. Other edits are saved through ``meeting_update`` for the same reason.
    """

    form = MeetingAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Asked with the meeting: a draft is for facilitators only, even on its history page.
    view_rule = "meetings.see_meeting"
    list_display = ["title", "starts_at", "time_zone", "state", "capacity", "sequence"]
    list_filter = ["state"]
    search_fields = ["title", "description"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]
    # State, schedule, sequence and publication go through the services (pages), not free edits here.
    readonly_fields = [
        "starts_at",
        "duration_minutes",
        "time_zone",
        "schedule_link",
        "state",
        "sequence",
        "published_at",
        "cancelled_at",
        "cancelled_by",
        "cancel_reason",
        "minutes_published_at",
        "minutes_published_by",
        "created_by",
    ]

    def get_queryset(self, request):
        meetings = super().get_queryset(request)
        if not request.user.has_perm("meetings.see_drafts"):
            meetings = meetings.exclude(state=MeetingState.DRAFT)
        return meetings

    def history_view(self, request, object_id, extra_context=None):
        # The history page falls back on the stored revisions of a meeting the queryset hides:
        # answer as the change page does for a meeting it cannot find.
        if not request.user.has_perm("meetings.see_drafts"):
            try:
                hidden = not self.get_queryset(request).filter(pk=unquote(object_id)).exists()
            except (ValueError, ValidationError):
                hidden = True
            if hidden:
                return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def has_add_permission(self, request) -> bool:
        # A meeting starts on the site's schedule page, which gives it the standard agenda.
        return False

    @admin.display(description=_("schedule and state"))
    def schedule_link(self, obj):
        if obj is None or not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("meetings:edit", args=[obj.pk]),
            _("Reschedule on the meeting page"),
            reverse("meetings:cancel", args=[obj.pk]),
            _("Cancel on the meeting page"),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        changes = {field: form.cleaned_data[field] for field in services.EDITABLE_FIELDS if field in form.cleaned_data}
        services.meeting_update(meeting=obj, by=request.user, **changes)


@admin.register(RSVP)
class RSVPAdmin(RulesModelAdmin):
    list_display = ["meeting", "member", "response", "responded_at", "waitlisted_at"]
    list_filter = ["response"]
    search_fields = ["member__display_name", "member__email", "meeting__title"]
    list_select_related = ["meeting", "member"]
    raw_id_fields = ["meeting", "member"]


@admin.register(Attendance)
class AttendanceAdmin(RulesModelAdmin):
    list_display = ["meeting", "member", "recorded_at"]
    list_select_related = ["meeting", "member"]
    raw_id_fields = ["meeting", "member", "recorded_by"]


@admin.register(Minutes)
class MinutesAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    list_display = ["agenda_item", "updated_by", "updated_at"]
    list_select_related = ["agenda_item", "agenda_item__meeting", "updated_by"]
    raw_id_fields = ["agenda_item", "updated_by"]


@admin.register(Resource)
class ResourceAdmin(RulesModelAdmin):
    list_display = ["title", "meeting", "added_by", "created_at"]
    search_fields = ["title", "description"]
    list_select_related = ["meeting", "added_by"]
    raw_id_fields = ["meeting", "added_by"]
