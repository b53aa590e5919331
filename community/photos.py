"""Member photos: check an upload is a real image of sensible size, then re-encode it.

Re-encoding drops everything but the pixels (EXIF, GPS position, embedded scripts) and
gives the file a name nobody can guess.
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
OUTPUT_SIZE = (800, 800)


def prepare_photo(upload) -> ContentFile:
    """Return the photo re-encoded as a JPEG under a generated name, or raise ValidationError."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("This photo is too large (%(size)s MB). The limit is %(limit)s MB."),
            code="too_large",
            params={"size": f"{upload.size / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024 // 1024},
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in ACCEPTED_FORMATS:
            raise ValidationError(_("Upload a JPEG, PNG, WebP or GIF image."), code="format")
        if width * height > MAX_PIXELS:
            raise ValidationError(_("This image has too many pixels."), code="too_many_pixels")
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail(OUTPUT_SIZE)
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This file is not an image we can read."), code="invalid_image") from exc
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
