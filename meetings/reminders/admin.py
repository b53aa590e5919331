from django.contrib import admin

from community.admin_rules import RulesModelAdmin

from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(RulesModelAdmin):
    """What was sent to whom, for support questions; deliveries are written by the workers only."""

    list_display = [
        "meeting",
        "member",
        "kind",
        "offset_minutes",
        "version",
        "starts_at",
        "period_start",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["meeting", "member"]
    search_fields = ["meeting__title", "member__email", "member__display_name", "message_id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
