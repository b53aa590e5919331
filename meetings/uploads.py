"""Checks on uploaded resources: size, extension, and that the content matches the extension."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # legacy Office files
# Extension -> accepted leading bytes (None: text, must decode as UTF-8).
ALLOWED_TYPES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "odp": _ZIP,
    "doc": _OLE,
    "xls": _OLE,
    "ppt": _OLE,
    "txt": None,
    "md": None,
    "csv": None,
}


def allowed_extensions_text() -> str:
    return ", ".join(sorted(ALLOWED_TYPES))


def validate_upload(upload) -> None:
    """Refuse files that are too big, of a type we do not take, or whose content is not what
    the name says (a program renamed ``.pdf``)."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too big (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
            code="too_big",
        )
    extension = Path(upload.name or "").suffix.lower().lstrip(".")
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("Files of this type are not accepted. Accepted types: %(types)s.") % {"types": allowed_extensions_text()},
            code="type",
        )
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    signatures = ALLOWED_TYPES[extension]
    ok = head.startswith(signatures) if signatures is not None else b"\x00" not in head and _decodes(head)
    if not ok:
        raise ValidationError(
            _("The content of this file does not match its “.%(extension)s” name.") % {"extension": extension},
            code="content",
        )


def _decodes(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The first 4 KiB may cut a multi-byte character in half.
        return error.start >= len(head) - 3
    return True
