"""Gatekeeping for members-only pages.

A visitor is sent to the login page; a signed-in person who is not (or no longer)
an approved member is sent to the waiting page. Views that need a narrower role
answer 404 so that the existence of an object does not leak.
"""

from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect

from .rules import is_facilitator, is_guide_editor, is_member


def _gate(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_member(request.user):
        return redirect("community:waiting")
    return None


def member_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return _gate(request) or view(request, *args, **kwargs)

    return wrapper


def role_required(predicate):
    """Members-only, and 404 unless the predicate holds for the user."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = _gate(request)
            if response:
                return response
            if not predicate(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def permission_required(perm: str):
    """Members-only, and 404 unless the rule ``perm`` (from a ``rules.py``) holds for the user."""
    return role_required(lambda user: rules.has_perm(perm, user))


facilitator_required = role_required(is_facilitator)
guide_editor_required = role_required(is_guide_editor)


class MemberRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        return _gate(request) or super().dispatch(request, *args, **kwargs)


class FacilitatorRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        response = _gate(request)
        if response:
            return response
        if not is_facilitator(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)
