from itertools import groupby

import rules
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import parse_etags
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community.access import member_required
from community.fragments import KEPT_PAGES, kept_for_visitors, kept_view
from community.languages import content_language_of
from community.markdown import render_markdown
from community.pickers import finding, posted_initial
from community.rules import is_member

from . import bridge, pdf, selectors, services
from .cache import GUIDE
from .enums import ContributionKind, ContributionState
from .forms import CoAuthorAnswerForm, ContributionForm, GuideSearchForm, PreviewForm
from .models import Chapter, CoAuthor, Contribution

PAGE_SIZE = 30
# The form's fields sent as lists (ticks), kept when it comes back from a search.
LISTS = ("coauthors",)
PDF_FILENAME = "guide-multi-partnership-cooperation.pdf"
# Seconds after which a reader who found no PDF yet may try again.
PDF_RETRY_AFTER = 30


def toc(request):
    """The published guide's table of contents, and the search of the guide."""
    form = GuideSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = None
    if len(query) >= 2:
        entries = selectors.published_search(query=query, language=getattr(request, "LANGUAGE_CODE", None))
        results = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))

    def page(token: str):
        chapters = {"chapters": selectors.chapters_with_counts(language=get_language())}
        toc = "guide/includes/_toc.html"
        contents = GUIDE.cached(GUIDE.key("contents"), lambda: render_to_string(toc, chapters, request))
        context = {"contents": contents, "form": form, "query": query, "results": results, "csrf_token": token}
        return render(request, "guide/toc.html", context)

    if results is None and kept_view(request.GET, ()) is not None:
        return kept_for_visitors(request, (GUIDE,), page)
    return page(get_token(request))


# A chapter's ``?lang=`` values whose pages a visitor gets kept whole (none: the page's language).
VISITOR_LANGUAGES = ("", *(code for code, _name in settings.LANGUAGES))


def _chapter_body(request, chapter: Chapter, page_number: str, *, language: str, show_sources: bool, extra: str):
    page = Paginator(selectors.chapter_published_entries(chapter=chapter), PAGE_SIZE).get_page(page_number)
    labels = dict(ContributionKind.choices)
    entries = selectors.for_reader(page, language=language)
    groups = [(labels.get(kind, kind), list(items)) for kind, items in groupby(entries, key=lambda e: e.kind)]
    context = {
        "chapter": chapter,
        "page": page,
        "groups": groups,
        "show_sources": show_sources,
        "reader_language": language,
        "extra": extra,
    }
    return render_to_string("guide/includes/_chapter_body.html", context, request=request)


def chapter(request, slug):
    """One chapter with its published entries, grouped by kind, each in the reader's language
    (``?lang=`` or the page's) when a published translation exists.

    Readers of the same language and kind (visitor, or member — members also see where each
    entry came from and the link to translate it) all see the same page: its body is cached
    under the guide's version, that language and that kind.
    """
    language = selectors.reader_language(request.GET.get("lang", ""), get_language())
    page_number = request.GET.get("page", "1")
    show_sources = is_member(request.user)
    extra = f"&lang={language}" if request.GET.get("lang") == language else ""

    def shown() -> dict:
        try:
            chapter = selectors.chapter_for_reader(slug=slug, language=language)
        except Chapter.DoesNotExist as exc:
            raise Http404 from exc
        body = _chapter_body(request, chapter, page_number, language=language, show_sources=show_sources, extra=extra)
        # What the page around the body shows of the chapter.
        return {"chapter": {"shown_title": chapter.shown_title, "shown_language": chapter.shown_language}, "body": body}

    def page(token: str):
        if page_number.isdigit() and 0 < int(page_number) <= KEPT_PAGES:  # far pages: no cache filled by guessing
            # Kept with the chapter's title: a reader of a kept page costs no query. A missing
            # chapter raises before anything is kept.
            key = GUIDE.key("chapter", slug, language, bool(extra), int(page_number), show_sources)
            context = GUIDE.cached(key, shown)
        else:
            context = shown()
        return render(request, "guide/chapter.html", {**context, "reader_language": language, "csrf_token": token})

    if kept_view(request.GET, (), fixed={"lang": VISITOR_LANGUAGES}) is not None:
        return kept_for_visitors(request, (GUIDE,), page)
    return page(get_token(request))


def _source_initial(request) -> dict:
    """Prefill the source of a contribution from ``?theme=``, ``?meeting=``, ``?resource=``."""
    initial = {}
    for param, choices, field in (
        ("theme", selectors.source_themes, "source_theme"),
        ("meeting", selectors.source_meetings, "source_meeting"),
        ("resource", selectors.source_resources, "source_resource"),
    ):
        value = request.GET.get(param, "")
        if value.isdigit():
            obj = choices().filter(pk=int(value)).first()
            if obj is not None:
                initial[field] = obj
    if "source_resource" in initial and "source_meeting" not in initial:
        initial["source_meeting"] = initial["source_resource"].meeting_id
    if "source_theme" in initial and "source_meeting" not in initial and initial["source_theme"].meeting_id:
        initial["source_meeting"] = initial["source_theme"].meeting_id
    if "source_theme" in initial:
        initial.setdefault("title", initial["source_theme"].title)
    meeting = initial.get("source_meeting")
    start = bridge.starting_point(
        theme=initial.get("source_theme"),
        meeting=meeting if request.GET.get("meeting") and not isinstance(meeting, int) else None,
        author=request.user,
    )
    if start["body"]:
        initial["body"] = start["body"]
    if start["coauthors"]:
        initial["coauthors"] = start["coauthors"]
    return initial


def _form_fields(form) -> dict:
    fields = {name: form.cleaned_data[name] for name in services.AUTHOR_FIELDS if name in form.cleaned_data}
    if not fields["language"]:
        del fields["language"]  # not given: the author's (new) or unchanged (edit)
    return fields


def _translation_initial(request) -> dict:
    """Prefill a translation of the published entry ``?translate=<pk>``: its text, chapter and
    kind, in the reader's language (or another one when the original is already in it)."""
    value = request.GET.get("translate", "")
    original = (
        Contribution.objects.published().filter(pk=int(value), translation_of__isnull=True).first()
        if value.isdigit()
        else None
    )
    if original is None:
        return {}
    language = get_language()
    if language == original.language:
        language = next(code for code, _name in settings.LANGUAGES if code != original.language)
    return {
        "translation_of": original,
        "kind": original.kind,
        "chapter": original.chapter_id,
        "title": original.title,
        "body": original.body,
        "language": language,
        "centre": request.user.organisation_id,
    }


def _original(form) -> Contribution | None:
    """The published entry a new contribution translates (kept as its id when the form came back
    from a search)."""
    value = form.initial.get("translation_of")
    if isinstance(value, Contribution) or not str(value or "").isdigit():
        return value or None
    return form.fields["translation_of"].queryset.filter(pk=int(value)).first()


@member_required
def contribute(request):
    """Write a contribution, or translate a published entry (``?translate=<pk>``): save it as a
    draft or submit it for review. Sent with "Find", the form comes back with the sources found."""
    if finding(request):
        form = ContributionForm(initial=posted_initial(request, ContributionForm, lists=LISTS), author=request.user)
    elif request.method == "POST":
        form = ContributionForm(request.POST, submitting="submit" in request.POST, author=request.user)
        if form.is_valid():
            try:
                contribution = services.contribution_create(
                    author=request.user,
                    submit="submit" in request.POST,
                    translation_of=form.cleaned_data["translation_of"],
                    coauthors=form.cleaned_data["coauthors"],
                    **_form_fields(form),
                )
            except services.TranslationError as exc:
                form.add_error(None, str(exc))
                return render(request, "guide/contribute.html", {"form": form}, status=400)
            if contribution.state == ContributionState.SUBMITTED:
                messages.success(request, _("Thank you! Your contribution was sent to the guide editors."))
            else:
                messages.success(request, _("Your draft is saved. Submit it when it is ready."))
            return redirect("guide:mine")
    else:
        initial = _translation_initial(request) or {
            "centre": request.user.organisation_id,
            "language": content_language_of(request.user),
            **_source_initial(request),
        }
        form = ContributionForm(initial=initial, author=request.user)
    return render(
        request,
        "guide/contribute.html",
        {
            "form": form,
            "original": _original(form),
            "can_submit": rules.has_perm("guide.contribute", request.user),
        },
    )


def _own(request, pk) -> Contribution:
    """The signed-in member's contribution, with what they may do with it; anyone else's answers 404."""
    try:
        return selectors.own_contribution(pk=pk, user=request.user)
    except Contribution.DoesNotExist:
        raise Http404 from None


@member_required
def edit(request, pk):
    """Change a draft or an entry with changes requested, then save or resubmit it. A co-author
    who consented changes the text only; submitting stays the author's."""
    contribution = _own(request, pk)
    if not contribution.can_edit:
        messages.error(request, _("“%(title)s” can no longer be changed.") % {"title": contribution.title})
        return redirect("guide:mine")
    is_author = contribution.author_id == request.user.pk
    page = selectors.contribution_edit_page(contribution=contribution)
    options = {
        "author": contribution.author,
        "by_coauthor": not is_author,
        "coauthor_ids": [row.member_id for row in page["coauthors"]],
    }
    if finding(request):
        form = ContributionForm(
            initial=posted_initial(request, ContributionForm, lists=LISTS), instance=contribution, **options
        )
    elif request.method == "POST":
        submit = "submit" in request.POST and contribution.can_submit
        form = ContributionForm(request.POST, instance=contribution, submitting=submit, **options)
        if form.is_valid():
            fields = _form_fields(form)
            if is_author:
                fields["coauthors"] = form.cleaned_data["coauthors"]
            else:
                fields = {name: value for name, value in fields.items() if name in services.COAUTHOR_FIELDS}
            try:
                services.contribution_update(
                    contribution=contribution,
                    by=request.user,
                    version=form.cleaned_data["version"] or 0,
                    submit=submit,
                    **fields,
                )
            except (services.StaleEditError, services.TranslationError) as exc:
                form.add_error(None, str(exc))
            except services.NotEditableError as exc:
                messages.error(request, str(exc))
                return redirect("guide:mine")
            else:
                if submit:
                    messages.success(request, _("Your contribution was sent to the guide editors."))
                else:
                    messages.success(request, _("Your changes are saved."))
                return redirect("guide:mine")
    else:
        form = ContributionForm(instance=contribution, **options)
    return render(request, "guide/edit.html", {"form": form, "is_author": is_author, **page})


@member_required
def coauthor(request, pk):
    """A member named as co-author agrees to be credited (choosing how) or declines; anyone
    else's invitation answers 404."""
    try:
        row = selectors.coauthorship_for(pk=pk, member=request.user)
    except CoAuthor.DoesNotExist:
        raise Http404 from None
    form = CoAuthorAnswerForm(request.POST or None, initial={"credit": row.credit})
    if request.method == "POST" and form.is_valid():
        consent = "consent" in request.POST
        try:
            services.coauthor_answer(coauthor=row, by=request.user, consent=consent, credit=form.cleaned_data["credit"])
        except services.CoAuthorError as exc:
            messages.error(request, str(exc))
        else:
            if consent:
                messages.success(request, _("Thank you: you are credited as co-author, as you chose."))
            else:
                messages.success(request, _("You declined: you are not credited."))
            return redirect("guide:mine")
    return render(
        request,
        "guide/coauthor.html",
        {
            "coauthor": row,
            "contribution": row.contribution,
            "form": form,
            "html": render_markdown(row.contribution.body),
        },
    )


@member_required
@require_GET
def sources(request):
    """The source lists of the contribution form: the chosen ones (``source_theme``,
    ``source_meeting``, ``source_resource``) and those ``find_sources`` finds (htmx)."""
    form = ContributionForm(initial=posted_initial(request, ContributionForm, lists=LISTS, data=request.GET))
    return render(request, "guide/includes/_source_choices.html", {"form": form})


@member_required
@require_GET
def coauthor_choices(request):
    """The co-author ticks of the contribution form: those ticked (``coauthors``) and the members
    ``find_coauthors`` finds (htmx)."""
    form = ContributionForm(
        initial=posted_initial(request, ContributionForm, lists=LISTS, data=request.GET), author=request.user
    )
    return render(request, "guide/includes/_coauthor_choices.html", {"form": form})


@member_required
@require_POST
def transition(request, pk, action):
    """The author's own moves: submit a draft, withdraw a submission."""
    contribution = _own(request, pk)
    to, allowed = {
        "submit": (ContributionState.SUBMITTED, contribution.can_submit),
        "withdraw": (ContributionState.DRAFT, contribution.can_withdraw),
    }.get(action, (None, False))
    if to is None:
        raise Http404
    if not allowed:
        # The same refusal the workflow gives, without reaching it.
        messages.error(
            request,
            _("“%(title)s” cannot go from “%(from)s” to “%(to)s”.")
            % {
                "title": contribution.title,
                "from": contribution.get_state_display(),
                "to": ContributionState(to).label,
            },
        )
        return redirect("guide:mine")
    try:
        services.contribution_transition(contribution=contribution, to=to, by=request.user)
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        if to == ContributionState.SUBMITTED:
            messages.success(request, _("Your contribution was sent to the guide editors."))
        else:
            messages.success(request, _("Your contribution is a draft again."))
    return redirect("guide:mine")


@member_required
@require_POST
def delete(request, pk):
    """The author deletes a draft never submitted."""
    contribution = _own(request, pk)
    if not contribution.can_delete:
        messages.error(request, _("Only a draft can be deleted."))
        return redirect("guide:mine")
    try:
        services.contribution_delete_draft(contribution=contribution, by=request.user)
    except services.NotEditableError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The draft is deleted."))
    return redirect("guide:mine")


@member_required
def mine(request):
    """My contributions, their review state and the editors' comments."""
    page = selectors.my_contributions_page(user=request.user, page_number=request.GET.get("page"), page_size=PAGE_SIZE)
    return render(request, "guide/mine.html", page)


@member_required
@require_POST
def preview(request):
    """The markdown of the contribution form, rendered as readers will see it (htmx)."""
    form = PreviewForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else ""
    return render(
        request, "guide/includes/_preview.html", {"html": render_markdown(body), "too_long": not form.is_valid()}
    )


def _pdf_language() -> str:
    try:
        return translation.get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def guide_pdf(request):
    """The whole published guide as one PDF in the reader's language (or the one asked for with
    ``?lang=``, one of the site's; anything else gives the reader's): the last built file of that
    language, streamed from the storage.

    Nothing is laid out here. When the guide changed since that build (its fingerprint, one
    kept in the cache), a build is queued and readers get the previous file until it is done; before the
    first build, a page saying it is being prepared.
    """
    language = selectors.reader_language(request.GET.get("lang", ""), _pdf_language())
    edition = selectors.current_guide_edition(language=language)
    if edition is None or edition.fingerprint != pdf.current_fingerprint(language=language):
        services.guide_pdf_request_build(language=language)
        # Where tasks run inline the build is already done.
        edition = selectors.current_guide_edition(language=language)
    if edition is None:
        if services.guide_pdf_engine_missing(language=language):
            return render(request, "guide/pdf_unavailable.html", status=503)
        # "Try again" asks for the same language.
        asked_for = language if request.GET.get("lang") == language else ""
        response = render(request, "guide/pdf_preparing.html", {"asked_language": asked_for}, status=503)
        response["Retry-After"] = str(PDF_RETRY_AFTER)
        return response
    etag = f'"{edition.fingerprint}"'
    asked = parse_etags(request.headers.get("If-None-Match", ""))
    if etag in asked or "*" in asked:
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            edition.file.open("rb"), content_type="application/pdf", filename=PDF_FILENAME, as_attachment=False
        )
    response["ETag"] = etag
    response["Content-Language"] = language
    # Browsers ask again each time (a 304 when nothing changed): a reader never keeps an old file.
    response["Cache-Control"] = "no-cache"
    return response
