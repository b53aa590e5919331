"""Uploaded files that belong to members-only pages are served through a permission check.

Links point at a view instead of ``/media/``, so a file is only as visible as the page it is
attached to, and it always downloads (never renders inline in the site's origin).
"""

import os

from django.http import FileResponse, Http404


def _open(field_file):
    # Through the storage API only (local disk or bucket): no path on this machine is assumed.
    if not field_file:
        raise Http404
    try:
        return field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc


def file_download(field_file) -> FileResponse:
    """Stream a stored file as an attachment; 404 when there is none or it vanished from storage."""
    return FileResponse(_open(field_file), as_attachment=True, filename=os.path.basename(field_file.name))


def photo_response(field_file) -> FileResponse:
    """Stream a member photo inline. Photo names change with each upload, so browsers may keep
    one for a day; ``private`` keeps shared caches from holding a members-only picture."""
    response = FileResponse(_open(field_file), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response
