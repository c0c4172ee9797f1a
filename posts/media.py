"""Where photo files live and how clients reach them.

Local storage: files are served by `media_view`, through URLs signed for one viewer that expire.
S3 storage (NCP Object Storage): the bucket is private and URLs are presigned by the storage.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from posts.images import Rendition

_SIGNER_SALT = "posts.media"


def store(rendition: Rendition) -> str:
    """Saves a rendition under a random name that reveals nothing of the upload or the post."""
    name = f"images/{secrets.token_urlsafe(24)}.{rendition.extension}"
    return default_storage.save(name, ContentFile(rendition.content))


def delete_files_now(names) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def delete_files_after_commit(names) -> None:
    """Files go only once the rows are gone for good: a rolled back delete keeps its images."""
    names = list(names)
    transaction.on_commit(lambda: delete_files_now(names))


def file_url(name: str, *, viewer, request) -> str:
    if settings.MEDIA_PRESIGNED_BY_STORAGE:
        return default_storage.url(name)
    token = signing.TimestampSigner(salt=_SIGNER_SALT).sign(f"{name}|{getattr(viewer, 'pk', '')}")
    path = reverse("media-file", kwargs={"name": name})
    url = f"{path}?token={token}"
    return request.build_absolute_uri(url) if request is not None else url


def signed_name_for(token: str) -> tuple[str, str]:
    """The (file name, viewer id) a media URL was signed for; raises BadSignature when forged or expired."""
    signed = signing.TimestampSigner(salt=_SIGNER_SALT).unsign(token, max_age=settings.IMAGE_URL_TTL)
    name, _, viewer_id = signed.rpartition("|")
    return name, viewer_id
