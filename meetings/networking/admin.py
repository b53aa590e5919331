from django.contrib import admin

from community.admin_rules import RulesModelAdmin

from .models import NetworkingSession


@admin.register(NetworkingSession)
class NetworkingSessionAdmin(RulesModelAdmin):
    """Read-mostly: sessions are set up and driven from the meeting's networking pages."""

    list_display = ["meeting", "state", "table_size", "rounds", "drawn_at"]
    list_filter = ["state", "table_size"]
    list_select_related = ["meeting"]
    search_fields = ["meeting__title"]
    readonly_fields = ["state", "state_changed_at", "state_changed_by", "seed", "drawn_at", "drawn_by"]
    raw_id_fields = ["meeting"]
