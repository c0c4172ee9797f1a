"""Image processing for uploads: detect by content, refuse bombs, strip metadata, resize, thumbnail."""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class ImageTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "image_too_large"


@dataclass(frozen=True)
class Rendition:
    content: bytes
    width: int
    height: int
    extension: str
    content_type: str


@dataclass(frozen=True)
class ProcessedImage:
    full: Rendition
    thumbnail: Rendition


def process_image(upload, *, field: str) -> ProcessedImage:
    """Turns an uploaded file into a clean full-size image and a thumbnail, or raises a 4xx naming `field`."""
    if upload.size > settings.IMAGE_MAX_BYTES:
        raise ImageTooLarge(
            f"{field}: each image may be at most {settings.IMAGE_MAX_BYTES // (1024 * 1024)} MB.", code="too_large"
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)  # reads the header only; nothing is decoded yet
            if image.format not in ACCEPTED_FORMATS:
                raise _invalid(field, "Unsupported image format: send JPEG, PNG, WebP or GIF.")
            if image.width * image.height > settings.IMAGE_MAX_PIXELS:
                raise _invalid(field, f"Image too large: at most {settings.IMAGE_MAX_PIXELS} pixels.")
            image.seek(0)  # an animated GIF keeps its first frame
            image.load()
            icc_profile = image.info.get("icc_profile")
            image = ImageOps.exif_transpose(image)
    except UnidentifiedImageError:
        raise _invalid(field, "Not an image: send JPEG, PNG, WebP or GIF.") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _invalid(field, f"Image too large: at most {settings.IMAGE_MAX_PIXELS} pixels.") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _invalid(field, "The image is corrupt or truncated.") from None

    limit = settings.IMAGE_MAX_DIMENSION
    if max(image.size) > limit:
        image.thumbnail((limit, limit), Image.Resampling.LANCZOS)
    full = _encode(image, icc_profile)
    thumb_size = settings.IMAGE_THUMBNAIL_SIZE
    thumbnail = image.copy()
    thumbnail.thumbnail((thumb_size, thumb_size), Image.Resampling.LANCZOS)
    return ProcessedImage(full=full, thumbnail=_encode(thumbnail, icc_profile))


def _encode(image, icc_profile) -> Rendition:
    """Re-encodes from pixels only: EXIF (GPS included) and other metadata do not survive."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    buffer = io.BytesIO()
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    if has_alpha:
        image.convert("RGBA").save(buffer, format="PNG", **extra)
        extension, content_type = "png", "image/png"
    else:
        # Baseline JPEG: progressive encoding costs five times as long for a 12-megapixel photo.
        image.convert("RGB").save(buffer, format="JPEG", quality=85, **extra)
        extension, content_type = "jpg", "image/jpeg"
    return Rendition(buffer.getvalue(), image.width, image.height, extension, content_type)


def _invalid(field, message):
    return ValidationError({field: [message]})
