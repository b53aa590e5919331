from django import forms
from django.contrib import admin

from community.admin_rules import RulesModelAdmin
from community.languages import LanguageKeptWhenOmitted

from .models import ExperienceSheet, PresenterRole, Question, SheetAttachment, Theme, ThemeTopic, ThemeTransition
from .services.lifecycle import theme_counts_refresh


class PresenterRoleInline(admin.TabularInline):
    model = PresenterRole
    fk_name = "theme"
    extra = 0
    fields = ["member", "status", "slot", "pitch"]
    raw_id_fields = ["member"]


class TransitionInline(admin.TabularInline):
    model = ThemeTransition
    extra = 0
    can_delete = False
    fields = ["at", "from_state", "to_state", "by", "meeting", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ThemeAdminForm(LanguageKeptWhenOmitted, forms.ModelForm):
    """The admin builds the fields; a post without the language keeps the theme's."""


@admin.register(Theme)
class ThemeAdmin(RulesModelAdmin):
    """Staff members look themes up (a guide entry's source); facilitators correct them."""

    form = ThemeAdminForm
    view_rule = "themes.see_theme"
    add_rule = change_rule = "themes.curate_themes"
    list_display = [
        "title",
        "state",
        "reason",
        "proposer",
        "meeting",
        "interest_count",
        "presenter_count",
        "created_at",
    ]
    list_select_related = ["proposer", "meeting"]
    list_filter = ["state", "reason", "language"]
    search_fields = ["title", "summary"]
    raw_id_fields = ["proposer", "meeting", "agenda_item", "state_changed_by"]
    # State changes go through the theme page, which records them and notifies people.
    readonly_fields = ["state", "meeting", "agenda_item", "state_changed_at", "state_changed_by", "state_note"]
    inlines = [PresenterRoleInline, TransitionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Presenters edited in the inline: keep the theme's count column exact.
        theme_counts_refresh(theme_ids=[form.instance.pk])


class AttachmentInline(admin.TabularInline):
    model = SheetAttachment
    extra = 0
    raw_id_fields = ["added_by"]


@admin.register(ExperienceSheet)
class ExperienceSheetAdmin(RulesModelAdmin):
    list_display = ["theme", "updated_at", "updated_by"]
    list_select_related = ["theme", "updated_by"]
    raw_id_fields = ["theme", "updated_by"]
    inlines = [AttachmentInline]


@admin.register(Question)
class QuestionAdmin(RulesModelAdmin):
    list_display = ["__str__", "theme", "author", "created_at", "answered_at", "hidden_at"]
    list_select_related = ["theme", "author"]
    list_filter = ["answered_at", "hidden_at"]
    search_fields = ["body", "theme__title"]
    raw_id_fields = ["theme", "author", "answered_by", "hidden_by"]


@admin.register(ThemeTopic)
class ThemeTopicAdmin(RulesModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
