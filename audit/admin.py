from django.contrib import admin

from community.rules import is_facilitator

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is written by the services, never by hand."""

    list_display = ["at", "kind", "actor_name", "target_label"]
    list_filter = ["kind"]
    search_fields = ["actor_name", "target_label", "note"]
    list_select_related = ["actor"]
    readonly_fields = ["kind", "actor", "actor_name", "target_label", "target_url", "note", "at"]
    date_hierarchy = "at"

    def has_module_permission(self, request):
        return is_facilitator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_facilitator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
