from django.shortcuts import render

from community.access import member_required

from . import selectors


@member_required
def search(request):
    """Search across guide entries, themes, meetings, resources and members, ranked, by kind."""
    context = selectors.search_page(
        user=request.user,
        q=request.GET.get("q", ""),
        kind=request.GET.get("kind", ""),
        page=request.GET.get("page"),
        language=getattr(request, "LANGUAGE_CODE", None),
    )
    return render(request, "search/results.html", context)
