"""Curation of the guide in the Django admin, for guide editors."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from community.admin_rules import RulesAdminMixin, RulesModelAdmin
from community.languages import LanguageKeptWhenOmitted
from community.markdown import render_markdown

from . import services
from .diff import side_by_side
from .enums import ContributionState
from .forms import TransitionCommentForm
from .models import Chapter, ChapterTranslation, CoAuthor, Contribution, ContributionTransition

STALE_MESSAGE = _(
    "Another editor changed this entry while you were editing it. Your changes were not saved: "
    "reload the page to see the current version, then apply them again."
)


class ContributionAdminForm(LanguageKeptWhenOmitted, forms.ModelForm):
    class Meta:
        model = Contribution
        fields = [
            "title",
            "kind",
            "chapter",
            "order",
            "body",
            "version",
            "centre",
            "credit",
            "source_theme",
            "source_meeting",
            "source_resource",
            "language",
        ]
        widgets = {"version": forms.HiddenInput}

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            # The admin saves inside a transaction: the lock holds until the save, so two
            # editors cannot both pass this check with the same version.
            current = (
                Contribution.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if data.get("version") != current:
                raise forms.ValidationError(STALE_MESSAGE, code="stale")
        return data


class TransitionInline(admin.TabularInline):
    model = ContributionTransition
    extra = 0
    can_delete = False
    fields = ("at", "from_state", "to_state", "by", "comment")
    readonly_fields = fields
    verbose_name_plural = _("review history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class CoAuthorInline(RulesAdminMixin, admin.TabularInline):
    """Who the author named as co-authors, and their own answer: editors read it, members give it."""

    view_rule = "guide.review"
    model = CoAuthor
    extra = 0
    can_delete = False
    fields = ("member", "credit", "consented_at", "declined_at", "created_at")
    readonly_fields = fields
    verbose_name_plural = _("co-authors (credited once they consent)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")


def _make_action(action: services.EditorAction):
    def run(modeladmin, request, queryset):
        return modeladmin.run_editor_action(request, queryset, action)

    run.__name__ = action.name
    return admin.action(description=action.label, permissions=["review"])(run)


@admin.register(Contribution)
class ContributionAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    # Editors review and curate; entries are written by members on the site, never added here.
    view_rule = change_rule = delete_rule = "guide.review"
    form = ContributionAdminForm
    list_display = (
        "title",
        "kind",
        "language",
        "state",
        "chapter",
        "order",
        "credited",
        "centre",
        "state_changed_at",
    )
    list_display_links = ("title",)
    list_filter = ("state", "kind", "language", "chapter", "centre")
    list_select_related = ("chapter", "centre", "author")
    search_fields = ("title", "body", "author__display_name", "author__email", "centre__name")
    ordering = (F("state_changed_at").desc(nulls_last=True), "-pk")
    date_hierarchy = None
    list_per_page = 50
    actions = [_make_action(a) for a in services.EDITOR_ACTIONS]
    inlines = [CoAuthorInline, TransitionInline]
    raw_id_fields = ("source_theme", "source_meeting", "source_resource")
    readonly_fields = (
        "state",
        "author",
        "licence_consent",
        "state_changed_at",
        "published_at",
        "created_at",
        "changes_link",
        "translation_of_link",
        "original_version",
        "translations_links",
    )
    fieldsets = (
        (None, {"fields": ("title", "kind", "chapter", "order", "language", "body", "version")}),
        (_("Translation"), {"fields": ("translation_of_link", "original_version", "translations_links")}),
        (_("Credit"), {"fields": ("author", "centre", "credit", "licence_consent")}),
        (_("Sources"), {"fields": ("source_theme", "source_meeting", "source_resource")}),
        (
            _("Review"),
            {"fields": ("state", "state_changed_at", "published_at", "created_at", "changes_link")},
        ),
    )

    class Media:
        css = {"all": ["css/guide.css"]}

    @admin.display(description=_("credited"))
    def credited(self, obj):
        if obj.is_anonymous:
            return _("a member of the network")
        return obj.author.display_name

    @admin.display(description=_("changes since the last review"))
    def changes_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:guide_contribution_changes", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Compare the text side by side"))

    @admin.display(description=_("translation of"))
    def translation_of_link(self, obj):
        original = obj.translation_of
        if original is None:
            return "—"
        url = reverse("admin:guide_contribution_change", args=[original.pk])
        return format_html(
            '<a href="{}">{}</a> ({}, {})',
            url,
            original.title,
            original.get_language_display(),
            _("version %(number)s") % {"number": original.version},
        )

    @admin.display(description=_("translations"))
    def translations_links(self, obj):
        if not obj.pk:
            return "—"
        links = [
            format_html(
                '<a href="{}">{}</a> ({}, {})',
                reverse("admin:guide_contribution_change", args=[t.pk]),
                t.title,
                t.get_language_display(),
                t.get_state_display(),
            )
            for t in obj.translations.order_by("language", "pk")
        ]
        return format_html_join(mark_safe("<br>"), "{}", ((link,) for link in links)) if links else "—"

    def has_add_permission(self, request) -> bool:
        # Contributions are written by members on the site, never on their behalf.
        return False

    def has_review_permission(self, request) -> bool:
        return self._allowed(request, "guide.review")

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = (form.cleaned_data.get("version") or obj.version) + 1
        obj._change_reason = "edited in the admin"
        super().save_model(request, obj, form, change)
        # The PDF finds out itself whether this edit shows in it (its fingerprint).
        services.guide_changed()

    def run_editor_action(self, request, queryset, action: services.EditorAction):
        """Intermediate page asking for the comment, then the move applied row by row."""
        if "apply" in request.POST:
            form = TransitionCommentForm(request.POST, needs_comment=action.needs_comment)
            if form.is_valid():
                done, refused = 0, []
                for contribution in queryset.order_by("pk"):
                    try:
                        services.contribution_editor_action(
                            contribution=contribution,
                            action=action,
                            by=request.user,
                            comment=form.cleaned_data["comment"],
                        )
                    except services.TransitionError as exc:
                        refused.append(str(exc))
                    else:
                        done += 1
                if done:
                    self.message_user(
                        request,
                        ngettext(
                            "%(action)s: %(count)d contribution done.",
                            "%(action)s: %(count)d contributions done.",
                            done,
                        )
                        % {"action": action.label, "count": done},
                        messages.SUCCESS,
                    )
                for reason in refused:
                    self.message_user(request, reason, messages.WARNING)
                return None
        else:
            form = TransitionCommentForm(needs_comment=action.needs_comment)
        context = {
            **self.admin_site.each_context(request),
            "title": action.label,
            "opts": self.model._meta,
            "action": action,
            "form": form,
            "contributions": list(queryset.select_related("chapter").order_by("pk")),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/guide/contribution/transition.html", context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/changes/",
                self.admin_site.admin_view(self.changes_view),
                name="guide_contribution_changes",
            ),
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="guide_contribution_review",
            ),
            *super().get_urls(),
        ]

    def _review_baseline(self, contribution, chosen: str = ""):
        """The revisions of the text, the last review's moment and the revision to compare with:
        the one ``chosen`` (a history id), else the text as it was at the last review, else the first."""
        revisions = list(contribution.history.select_related("history_user").order_by("-history_date", "-history_id"))
        # A review is a verdict; merely starting one changes nothing the editor needs to compare with.
        last_review = (
            contribution.transitions.filter(by_editor=True)
            .exclude(to_state=ContributionState.IN_REVIEW)
            .order_by("-at", "-pk")
            .values_list("at", flat=True)
            .first()
        )
        baseline = None
        if chosen.isdigit():
            baseline = next((r for r in revisions if r.history_id == int(chosen)), None)
        if baseline is None and last_review is not None:
            baseline = next((r for r in revisions if r.history_date <= last_review), None)
        if baseline is None and revisions:
            baseline = revisions[-1]
        return revisions, last_review, baseline

    def changes_view(self, request, pk):
        """The text now, beside the text as it was at the last review (or any revision chosen)."""
        contribution = get_object_or_404(Contribution.objects.select_related("chapter"), pk=pk)
        if not self.has_view_or_change_permission(request, contribution):
            raise Http404
        revisions, last_review, baseline = self._review_baseline(contribution, request.GET.get("since", ""))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Changes to “%(title)s”") % {"title": contribution.title},
            "opts": self.model._meta,
            "original": contribution,
            "contribution": contribution,
            "baseline": baseline,
            "revisions": revisions,
            "last_review": last_review,
            "title_changed": baseline is not None and baseline.title != contribution.title,
            "rows": side_by_side(baseline.body if baseline else "", contribution.body),
            "media": self.media,
        }
        return TemplateResponse(request, "admin/guide/contribution/changes.html", context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The editor's desk: the entry as readers will see it, what changed since the last review
        and the review moves with their comment, above the editing form."""
        if obj is not None and obj.pk and self.has_review_permission(request):
            _revisions, last_review, baseline = self._review_baseline(obj)
            rows = side_by_side(baseline.body if baseline else "", obj.body)
            context.update(
                {
                    "desk": True,
                    "preview_html": render_markdown(obj.body),
                    "last_review": last_review,
                    "diff_rows": [row for row in rows if row.tag != "equal"],
                    "review_actions": [a for a in services.EDITOR_ACTIONS if obj.state in a.sources],
                    "review_form": TransitionCommentForm(),
                }
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def review_view(self, request, pk):
        """One review move made from the change page, with its comment: the same rules as the
        list's actions (``contribution_editor_action``)."""
        if request.method != "POST":
            raise Http404
        contribution = get_object_or_404(Contribution, pk=pk)
        if not self.has_review_permission(request):
            raise Http404
        action = next((a for a in services.EDITOR_ACTIONS if a.name == request.POST.get("action")), None)
        if action is None:
            raise Http404
        form = TransitionCommentForm(request.POST)
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        try:
            services.contribution_editor_action(
                contribution=contribution, action=action, by=request.user, comment=comment
            )
        except services.TransitionError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(
                request,
                _("%(action)s: “%(title)s” is now “%(state)s”.")
                % {"action": action.label, "title": contribution.title, "state": contribution.get_state_display()},
                messages.SUCCESS,
            )
        return redirect("admin:guide_contribution_change", contribution.pk)


class ContributionOrderForm(forms.ModelForm):
    """An entry's place in its chapter. Changing it is an edit: an editor who opened the entry
    before is then refused instead of putting the old order back."""

    class Meta:
        model = Contribution
        fields = ["order"]

    def save(self, commit=True):
        if self.instance.pk and self.has_changed():
            self.instance.version += 1
            self.instance._change_reason = "reordered in the chapter"
        return super().save(commit=commit)


class ContributionInline(admin.TabularInline):
    """A chapter's entries in their order; the order is the only thing changed here."""

    model = Contribution
    form = ContributionOrderForm
    extra = 0
    can_delete = False
    fields = ("title", "kind", "state", "order", "edit_link")
    readonly_fields = ("title", "kind", "state", "edit_link")
    ordering = ("order", "pk")
    show_change_link = False
    view_on_site = False
    verbose_name_plural = _("entries, in their order")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="")
    def edit_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:guide_contribution_change", args=[obj.pk]), _("Open"))


class ChapterTranslationInline(RulesAdminMixin, admin.StackedInline):
    """The chapter's title and introduction in the other languages of the site, written by the
    editors (the same rule as the chapter: Django's model permissions would leave them out)."""

    view_rule = add_rule = change_rule = delete_rule = "guide.review"
    model = ChapterTranslation
    extra = 0
    fields = ("language", "title", "introduction")
    verbose_name_plural = _("title and introduction in other languages")


class ChapterOrderForm(forms.ModelForm):
    """The list's "order" inputs, each named after its chapter for screen readers."""

    class Meta:
        model = Chapter
        fields = ["order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["order"].widget.attrs["aria-label"] = _("Order of “%(title)s”") % {"title": self.instance.title}


class ChapterAdminForm(LanguageKeptWhenOmitted, forms.ModelForm):
    """The admin builds the fields; a post without the language keeps the chapter's."""


@admin.register(Chapter)
class ChapterAdmin(RulesModelAdmin):
    view_rule = add_rule = change_rule = delete_rule = "guide.review"
    form = ChapterAdminForm
    list_display = ("title", "slug", "language", "order", "entries")
    list_editable = ("order",)
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}
    ordering = ("order", "pk")
    inlines = [ChapterTranslationInline, ContributionInline]

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", ChapterOrderForm)
        return super().get_changelist_form(request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_count=Count("contributions"))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.guide_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.guide_changed()

    @admin.display(description=_("entries"), ordering="entry_count")
    def entries(self, obj):
        return obj.entry_count
