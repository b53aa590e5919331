"""Uploaded files that belong to members-only pages are served through a permission check.

Links point at a view instead of ``/media/``, so a file is only as visible as the page it is
attached to, and it always downloads (never renders inline in the site's origin).
"""

import os

from django.http import FileResponse, Http404


def file_download(field_file) -> FileResponse:
    """Stream a stored file as an attachment; 404 when there is none or it vanished from storage."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(field_file.name))
