from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from community.admin_rules import RulesAdminMixin, RulesModelAdmin
from community.languages import LanguageKeptWhenOmitted
from community.models import User

from . import services
from .enums import MeetingState
from .models import RSVP, ActionItem, AgendaItem, Attendance, Meeting, Minutes, Resource
from .services.actions import ActionChange, action_done_set, actions_save


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


class ActionDoneFilter(admin.SimpleListFilter):
    title = _("done")
    parameter_name = "done"

    def lookups(self, request, model_admin):
        return [("no", _("Open")), ("late", _("Open and past due")), ("yes", _("Done"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "yes":
            return queryset.filter(done_at__isnull=False)
        if value == "no":
            return queryset.filter(done_at__isnull=True)
        if value == "late":
            return queryset.filter(done_at__isnull=True, due_on__lt=timezone.localdate())
        return queryset


@admin.register(ActionItem)
class ActionItemAdmin(RulesModelAdmin):
    """The actions agreed at meetings, for facilitators to follow up.

    They are written with the minutes (the meeting's minutes page); here a facilitator changes
    the wording, the owner or the due date, ticks them done or opens them again, always through
    the services (an owner must be an approved member).
    """

    view_rule = change_rule = delete_rule = "meetings.manage_meetings"
    list_display = ["text", "meeting", "owner", "due_on", "is_done"]
    list_filter = [ActionDoneFilter]
    search_fields = ["text", "owner__display_name", "meeting__title"]
    list_select_related = ["meeting", "owner"]
    autocomplete_fields = ["owner"]
    fields = ["meeting_link", "text", "owner", "due_on", "done_at", "done_by", "created_by", "updated_at"]
    readonly_fields = ["meeting_link", "done_at", "done_by", "created_by", "updated_at"]
    actions = ["tick_done", "open_again"]
    date_hierarchy = "due_on"

    def has_add_permission(self, request) -> bool:
        # An action belongs to a meeting's minutes: it is written on the minutes page.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            kwargs["queryset"] = User.objects.approved()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["owner"].required = True
        return form

    def save_model(self, request, obj, form, change):
        actions_save(
            meeting=obj.meeting,
            changes=[ActionChange(pk=obj.pk, text=obj.text, owner_id=obj.owner_id, due_on=obj.due_on)],
            by=request.user,
        )

    @admin.display(description=_("meeting"))
    def meeting_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("meetings:detail", args=[obj.meeting_id]), obj.meeting)

    @admin.display(description=_("done"), boolean=True, ordering="done_at")
    def is_done(self, obj) -> bool:
        return obj.done_at is not None

    @admin.action(description=_("Tick the selected actions done"), permissions=["change"])
    def tick_done(self, request, queryset):
        self._set_done(request, queryset, done=True)

    @admin.action(description=_("Open the selected actions again"), permissions=["change"])
    def open_again(self, request, queryset):
        self._set_done(request, queryset, done=False)

    def _set_done(self, request, queryset, *, done: bool) -> None:
        actions = list(queryset.filter(done_at__isnull=done))
        for action in actions:
            action_done_set(action=action, by=request.user, done=done)
        message = (
            ngettext("%(count)d action ticked done.", "%(count)d actions ticked done.", len(actions))
            if done
            else ngettext("%(count)d action open again.", "%(count)d actions open again.", len(actions))
        )
        self.message_user(request, message % {"count": len(actions)}, messages.SUCCESS)
