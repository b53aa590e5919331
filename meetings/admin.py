from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RSVP, AgendaItem, Attendance, Meeting, Minutes, Resource


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["leads"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "time_zone", "state", "capacity", "sequence"]
    list_filter = ["state"]
    search_fields = ["title", "description"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]
    # State, sequence and publication go through the services (pages), not free edits here.
    readonly_fields = [
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


@admin.register(RSVP)
class RSVPAdmin(admin.ModelAdmin):
    list_display = ["meeting", "member", "response", "responded_at", "waitlisted_at"]
    list_filter = ["response"]
    search_fields = ["member__display_name", "member__email", "meeting__title"]
    list_select_related = ["meeting", "member"]
    raw_id_fields = ["meeting", "member"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "member", "recorded_at"]
    list_select_related = ["meeting", "member"]
    raw_id_fields = ["meeting", "member", "recorded_by"]


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):
    list_display = ["agenda_item", "updated_by", "updated_at"]
    list_select_related = ["agenda_item", "agenda_item__meeting", "updated_by"]
    raw_id_fields = ["agenda_item", "updated_by"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "added_by", "created_at"]
    search_fields = ["title", "description"]
    list_select_related = ["meeting", "added_by"]
    raw_id_fields = ["meeting", "added_by"]
