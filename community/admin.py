from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter
from taggit import admin as taggit_admin
from taggit.models import Tag

from . import services
from .admin_rules import RulesAdminMixin, RulesModelAdmin
from .enums import MemberState
from .models import AuditEntry, BuddyPairing, MemberLanguage, Organisation, User


class MemberLanguageInline(admin.TabularInline):
    model = MemberLanguage
    extra = 0


def _membership_action(to: str, description):
    def action(modeladmin, request, queryset):
        moved, refused = 0, []
        for member in queryset:
            try:
                services.membership_transition(member=member, to=to, by=request.user)
                moved += 1
            except services.MembershipError:
                refused.append(str(member))
        if moved:
            modeladmin.message_user(
                request,
                ngettext("%(count)d account moved to “%(state)s”.", "%(count)d accounts moved to “%(state)s”.", moved)
                % {"count": moved, "state": MemberState(to).label},
            )
        if refused:
            modeladmin.message_user(
                request,
                _("Not allowed from their current state: %(names)s.") % {"names": ", ".join(refused)},
                messages.WARNING,
            )

    action.__name__ = f"membership_{to}"
    action.short_description = description
    action.allowed_permissions = ("membership",)
    return action


@admin.register(User)
class UserAdmin(RulesAdminMixin, BaseUserAdmin):
    """Accounts. Facilitators look and move memberships (through the service); superusers edit."""

    view_rule = "community.see_accounts"

    list_display = ("display_name", "email", "state", "organisation", "country", "date_joined", "is_staff")
    list_filter = ("state", "is_staff", "groups", "organisation", ("country", CountryFilter))
    list_select_related = ("organisation",)
    search_fields = ("display_name", "email", "username", "job_title", "organisation__name", "organisation_other")
    ordering = ("display_name",)
    readonly_fields = ("state", "state_changed_at", "state_changed_by", "state_message", "last_login", "date_joined")
    inlines = [MemberLanguageInline]
    actions = [
        _membership_action(MemberState.APPROVED, _("Approve (or reinstate) the selected accounts")),
        _membership_action(MemberState.DECLINED, _("Decline the selected sign-ups")),
        _membership_action(MemberState.SUSPENDED, _("Suspend the selected members (signs them out)")),
    ]
    fieldsets = (
        (None, {"fields": ("email", "username", "password")}),
        (
            _("Profile"),
            {
                "fields": (
                    "display_name",
                    "job_title",
                    "organisation",
                    "organisation_other",
                    "city",
                    "country",
                    "expertise",
                    "bio",
                    "photo",
                )
            },
        ),
        (_("Privacy"), {"fields": ("show_email", "show_photo", "listed_in_directory")}),
        (
            _("Membership"),
            {"fields": ("state", "state_changed_at", "state_changed_by", "state_message")},
        ),
        (
            _("Preferences"),
            {
                "fields": (
                    "preferred_language",
                    "time_zone",
                    "notify_reminders",
                    "notify_meeting_changes",
                    "notify_guide_review",
                    "theme_updates_frequency",
                    "guide_updates_frequency",
                    "meeting_news_frequency",
                )
            },
        ),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "username", "display_name", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_membership_permission(self, request) -> bool:
        return self._allowed(request, "community.move_memberships")


@admin.register(Organisation)
class OrganisationAdmin(RulesModelAdmin):
    """Centres, managed by facilitators."""

    view_rule = add_rule = change_rule = delete_rule = "community.manage_centres"

    list_display = ("name", "short_name", "city", "country", "is_network_team", "member_count")
    list_filter = (("country", CountryFilter), "is_network_team")
    search_fields = ("name", "short_name", "city")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "short_name", "slug", "city", "country", "website", "is_network_team")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj) -> int:
        return obj.member_count


class TagAdmin(taggit_admin.TagAdmin):
    """Expertise tags, without taggit's "merge tags" action and page.

    That page checks only that the user is staff (any facilitator or guide editor could
    rewrite every member's tags) and fails half-way; merging is not a task of ours.
    """

    actions = []

    def get_urls(self):
        return admin.ModelAdmin.get_urls(self)


admin.site.unregister(Tag)
admin.site.register(Tag, TagAdmin)


@admin.register(AuditEntry)
class AuditEntryAdmin(RulesAdminMixin, admin.ModelAdmin):
    """Read-only: the trail is written by the services, never by hand, and never deleted here."""

    view_rule = "community.read_audit_trail"
    list_display = ["at", "kind", "actor_name", "target_label"]
    list_filter = ["kind"]
    search_fields = ["actor_name", "target_label", "note"]
    list_select_related = ["actor"]
    readonly_fields = ["kind", "actor", "actor_name", "target_label", "target_url", "note", "at"]
    date_hierarchy = "at"

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BuddyPairing)
class BuddyPairingAdmin(RulesModelAdmin):
    """Who welcomes whom. Facilitators pair a newcomer on the site (the newcomer's buddy page, which
    suggests buddies and sends the introductions); here they look pairings up and end them."""

    view_rule = delete_rule = "community.pair_buddies"
    list_display = ["newcomer", "buddy", "paired_by", "paired_at", "introduced_at"]
    search_fields = ["newcomer__display_name", "newcomer__email", "buddy__display_name", "buddy__email"]
    list_select_related = ["newcomer", "buddy", "paired_by"]
    fields = ["newcomer", "buddy", "pair_again", "paired_by", "paired_at", "introduced_at"]
    readonly_fields = fields
    date_hierarchy = "paired_at"

    def has_add_permission(self, request) -> bool:
        # A pairing starts on the newcomer's buddy page: it suggests buddies and introduces them.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("on the site"))
    def pair_again(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("community:buddy", args=[obj.newcomer.username]),
            _("Change the buddy"),
        )
