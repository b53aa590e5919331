import json

import rules
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import pickers, selectors, services, slots
from .access import facilitator_required, member_required
from .downloads import photo_response
from .enums import AuditKind, MemberState
from .filters import DirectoryFilter
from .forms import AccountDeleteForm, BuddyForm, CentreResolveForm, MembershipForm, ProfileForm
from .fragments import kept_view
from .models import Organisation, User
from .receivers import DIRECTORY
from .rules import is_facilitator, is_member

DIRECTORY_PAGE_SIZE = 24


@login_required
def waiting(request):
    """Where a signed-in person who is not (or no longer) an approved member lands."""
    if is_member(request.user):
        return redirect("home")
    return render(request, "community/waiting.html")


def privacy(request):
    return render(request, "community/privacy.html")


# --- Directory, profiles, centres ---------------------------------------------------------


@member_required
def directory(request):
    """Members who chose to be listed, filtered by the query string, paginated.

    The filters and the cards are the same for every member: they are rendered once per
    version of the directory (``community.receivers``), language, filters chosen and page.
    """
    asked = kept_view(request.GET, KEPT_FILTERS)
    if asked is None:
        results = _directory_results(request)
    else:
        results = DIRECTORY.cached(DIRECTORY.key("results", *asked), lambda: _directory_results(request))
    return render(request, "community/directory.html", {"results": results})


KEPT_FILTERS = ("country", "organisation", "language", "expertise")


def _directory_results(request) -> str:
    filterset = DirectoryFilter(request.GET or None, queryset=selectors.directory_members())
    members = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(members, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "members": page.object_list,
        "filtered": filterset.is_bound and filterset.is_filtered,
    }
    return render_to_string("community/includes/_directory_results.html", context, request)


@member_required
def profile(request, username):
    member = selectors.profile_for(username=username, viewer=request.user)
    sections = slots.profile_sections(member, request.user)
    context = {"member": member, "sections": sections, "is_self": member.pk == request.user.pk}
    if request.user.pk != member.pk:
        context["membership_moves"] = sorted(services.MEMBERSHIP_MOVES.get(member.state, ()))
    # The pairing is shown to the two people it pairs and to facilitators.
    pairings = selectors.buddy_pairings_of(member)
    if request.user.pk == member.pk or is_facilitator(request.user) or _in_pairings(request.user, pairings):
        context["pairings"] = pairings
    return render(request, "community/profile.html", context)


def _in_pairings(user, pairings: dict) -> bool:
    people = [pairings["buddy"], *pairings["newcomers"]]
    return any(person is not None and person.pk == user.pk for person in people)


@login_required
def photo(request, name):
    owner = selectors.photo_owner(name=name, viewer=request.user)
    return photo_response(owner.photo)


@member_required
def centre_list(request):
    return render(request, "community/centre_list.html", {"centres": selectors.centres()})


@member_required
def centre_detail(request, slug):
    centre = get_object_or_404(Organisation, slug=slug)
    page = Paginator(selectors.centre_members(centre), DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "community/centre_detail.html", {"centre": centre, "page": page})


# --- My profile and my data ---------------------------------------------------------------


@login_required
def profile_edit(request):
    """Pending members may fill in their profile too, so a facilitator knows whom they approve."""
    if not (is_member(request.user) or request.user.state == MemberState.PENDING):
        return redirect("community:waiting")
    # A fresh copy: an invalid form must not leave typed values on request.user (shown in the menu).
    member = User.objects.select_related("organisation").get(pk=request.user.pk)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=member)
        if form.is_valid():
            data = form.cleaned_data
            language_changed = "preferred_language" in form.changed_data
            services.profile_update(
                member=member,
                values={name: data[name] for name in services.PROFILE_FIELDS if name in data},
                languages=data["languages"],
                expertise=data["expertise"],
                photo=data["photo"],
                remove_photo=data["remove_photo"],
            )
            if language_changed:
                # The language cookie outranks the saved preference: make them agree at once.
                translation.activate(member.preferred_language)
            messages.success(request, _("Your profile is saved."))
            response = redirect("community:profile_edit")
            if language_changed:
                _set_language_cookie(response, member.preferred_language)
            return response
        messages.error(request, _("Please correct the fields marked below."))
    else:
        form = ProfileForm(instance=member)
    suggestions = selectors.member_expertise_tags().values_list("name", flat=True)[:200]
    return render(
        request,
        "community/profile_edit.html",
        {"form": form, "member": member, "suggestions": suggestions, "can_browse": is_member(request.user)},
    )


def _set_language_cookie(response, language: str) -> None:
    """The cookie the language switcher sets (same name and attributes as ``set_language``)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@login_required
def profile_edit_other(request, username):
    """Only one's own profile can be edited: someone else's edit page does not exist."""
    if username != request.user.username:
        raise Http404
    return redirect("community:profile_edit")


@member_required
def export(request):
    """All the member's personal data, from every app, as one JSON file."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "site": settings.SITE_URL + "/",
        **slots.export_personal_data(request.user),
    }
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="keep-in-pact-{request.user.username}.json"'
    # Personal data: no shared or browser cache keeps a copy.
    patch_cache_control(response, no_store=True, private=True)
    return response


@member_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    # Each try checks the password: counted per account like failed logins, so the page cannot
    # be used to guess the password of a session left open.
    if request.method == "POST" and not ratelimit.consume(request, action="delete_account", user=request.user):
        messages.error(request, _("Too many attempts. Please wait a few minutes and try again."))
        return render(
            request, "community/account_delete.html", {"form": AccountDeleteForm(user=request.user)}, status=429
        )
    if request.method == "POST" and form.is_valid():
        services.account_delete(member=request.user)
        logout(request)
        messages.success(request, _("Your account and personal data are deleted. Thank you for your time with us."))
        return redirect("home")
    return render(request, "community/account_delete.html", {"form": form})


# --- Facilitators: approval ---------------------------------------------------------------


@facilitator_required
def pending(request):
    page = Paginator(selectors.pending_members(), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "community/pending.html",
        {
            "page": page,
            "unlisted": selectors.members_with_unlisted_centre()[:50],
            "newcomers": selectors.newcomers_without_buddy(),
            "centres": Organisation.objects.order_by("name"),
            "can_add_centre": rules.has_perm("community.manage_centres_in_admin", request.user),
        },
    )


def _account_or_404(username: str) -> User:
    if "\x00" in username:  # no such account, and PostgreSQL refuses NUL characters
        raise Http404
    return get_object_or_404(User, username=username)


def _back(request, default: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


@require_POST
@facilitator_required
def membership(request, username):
    """A facilitator approves, declines, suspends or reinstates an account."""
    member = _account_or_404(username)
    form = MembershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This decision could not be read; nothing was changed."))
        return _back(request, "community:pending")
    to = form.cleaned_data["to"]
    try:
        services.membership_transition(member=member, to=to, by=request.user, message=form.cleaned_data["message"])
    except services.MembershipError as error:
        messages.error(request, " ".join(error.messages))
        return _back(request, "community:pending")
    done = {
        MemberState.APPROVED: _("%(name)s is now a member. An email tells them so."),
        MemberState.DECLINED: _("%(name)s's sign-up is declined. An email tells them so."),
        MemberState.SUSPENDED: _("%(name)s is suspended and signed out everywhere."),
    }[to]
    messages.success(request, done % {"name": member})
    return _back(request, "community:pending")


@require_POST
@facilitator_required
def centre_resolve(request, username):
    """Link a member who typed an unlisted centre to a centre of the list."""
    member = _account_or_404(username)
    form = CentreResolveForm(request.POST)
    if form.is_valid():
        services.member_set_centre(member=member, organisation=form.cleaned_data["organisation"])
        messages.success(
            request, _("%(name)s is now linked to %(centre)s.") % {"name": member, "centre": member.organisation}
        )
    else:
        messages.error(request, _("Choose a centre from the list."))
    return _back(request, "community:pending")


@facilitator_required
def audit_trail(request):
    """Facilitators read who took which decision, and when; ``kind`` filters, ``page`` pages."""
    kind = request.GET.get("kind", "")
    page = Paginator(selectors.audit_entries(kind=kind), 50).get_page(request.GET.get("page"))
    return render(request, "community/audit.html", {"page": page, "kind": kind, "kinds": AuditKind.choices})


@facilitator_required
def buddy(request, username):
    """A facilitator pairs a newly approved member with a buddy: suggested by shared language and
    country, or found with the search field; "Find" re-renders the form and saves nothing."""
    newcomer = _account_or_404(username)
    if not newcomer.is_approved:
        raise Http404
    current = selectors.buddy_pairings_of(newcomer)["buddy"]
    if pickers.finding(request):
        form = BuddyForm(initial=pickers.posted_initial(request, BuddyForm), newcomer=newcomer)
    elif request.method == "POST":
        form = BuddyForm(request.POST, newcomer=newcomer)
        if form.is_valid():
            chosen = form.cleaned_data["buddy"]
            try:
                services.buddy_pair(newcomer=newcomer, buddy=chosen, by=request.user)
            except services.PairingError as error:
                form.add_error("buddy", error)
            else:
                messages.success(
                    request,
                    _("%(buddy)s is now the buddy of %(newcomer)s. An email introduces them to each other.")
                    % {"buddy": chosen, "newcomer": newcomer},
                )
                return redirect(newcomer.get_absolute_url())
    else:
        form = BuddyForm(initial={"buddy": current.pk if current else None}, newcomer=newcomer)
    suggestions = selectors.buddy_suggestions(newcomer)
    listed = {member.pk for member in suggestions}
    found = [m for m in pickers.members_found(pickers.search_of(form)) if m.pk != newcomer.pk and m.pk not in listed]
    if current is not None and current.pk not in listed and current.pk not in {m.pk for m in found}:
        found.insert(0, current)
    chosen = form.data.get("buddy", "") if form.is_bound else str(form.initial.get("buddy") or "")
    return render(
        request,
        "community/buddy.html",
        {
            "newcomer": newcomer,
            "form": form,
            "suggestions": suggestions,
            "found": found,
            "chosen": chosen,
            "current": current,
        },
    )
