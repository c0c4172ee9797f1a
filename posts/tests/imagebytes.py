"""Real image bytes made on the spot for upload tests."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg(width=64, height=48, *, gps=False, orientation=None, icc=False, colour=(200, 30, 30)):
    image = Image.new("RGB", (width, height), colour)
    exif = Image.Exif()
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (37.0, 33.0, 59.0), 3: "E", 4: (126.0, 58.0, 40.0)})
    extra = {"exif": exif.tobytes()}
    if icc:
        extra["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return _save(image, "JPEG", **extra)


def png(width=64, height=48, *, alpha=False):
    return _save(Image.new("RGBA" if alpha else "RGB", (width, height), (0, 128, 255, 128)), "PNG")


def webp(width=64, height=48):
    return _save(Image.new("RGB", (width, height), (10, 200, 10)), "WEBP")


def animated_gif(width=32, height=32):
    frames = [Image.new("P", (width, height), index) for index in (1, 2, 3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def png_bomb(side=30000):
    """A PNG whose header claims side x side pixels in a few hundred bytes: never decode it."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 4096)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def truncated_jpeg():
    whole = jpeg(400, 300, colour=(1, 2, 3))
    return whole[: len(whole) // 2]


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _save(image, format_name, **options):
    buffer = io.BytesIO()
    image.save(buffer, format=format_name, **options)
    return buffer.getvalue()
