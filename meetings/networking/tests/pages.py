"""What the networking page tests share: the URL of a session's page, where a response sends."""

from django.urls import reverse


def url(name, session, **kwargs):
    return reverse(
        f"meetings:networking:{name}", kwargs={"meeting_pk": session.meeting_id, "session_pk": session.pk, **kwargs}
    )


def where(response):
    return response.headers.get("Location", "").split("?")[0]
