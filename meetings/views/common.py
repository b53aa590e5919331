"""Small helpers shared by the meeting views."""

from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme


def _form_error(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default
