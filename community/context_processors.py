from .rules import is_facilitator, is_guide_editor, is_member


def roles(request):
    user = getattr(request, "user", None)
    return {
        "is_member": bool(user) and is_member(user),
        "is_facilitator": bool(user) and is_facilitator(user),
        "is_guide_editor": bool(user) and is_guide_editor(user),
    }
