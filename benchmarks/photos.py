"""Photo upload cost: 4 photos of 4000x3000 in one post, as a phone would send them.

    .venv/bin/python -m benchmarks.photos [--rounds 5]

Measures, in one process and with no load generator (the cost is CPU in the worker), the photo
processing alone (posts.images.process_image: decode, EXIF orientation, re-encode without metadata,
thumbnail) and a whole multipart POST /api/v1/posts/ with the 4 photos through Django's test client
on a throwaway SQLite database with local file storage. Prints per-photo figures and writes
benchmarks/results/photos.json.
"""

import argparse
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def camera_like_jpeg(width=4000, height=3000, seed=0):
    """A photo-like JPEG: smooth gradients with fine grain, EXIF orientation and a GPS block."""
    from PIL import Image

    base = Image.linear_gradient("L").resize((width, height))
    grain = Image.effect_noise((width, height), 12)
    rgb = Image.merge("RGB", (base, grain, base.rotate(90 + seed, expand=False).resize((width, height))))
    exif = Image.Exif()
    exif[0x0112] = 1
    exif.get_ifd(0x8825).update({1: "N", 2: (37.0, 33.0, 59.0), 3: "E", 4: (126.0, 58.0, 40.0)})
    buffer = io.BytesIO()
    rgb.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    return buffer.getvalue()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="sns-photos-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from posts.images import process_image
    from users.models import User

    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench")
    client = APIClient()
    client.force_authenticate(user)
    photos = [camera_like_jpeg(seed=n) for n in range(4)]

    processing, requests = [], []
    for _ in range(args.rounds):
        for data in photos:
            started = time.perf_counter()
            process_image(SimpleUploadedFile("p.jpg", data, "image/jpeg"), field="images")
            processing.append(time.perf_counter() - started)
        uploads = [SimpleUploadedFile(f"p{n}.jpg", data, "image/jpeg") for n, data in enumerate(photos)]
        started = time.perf_counter()
        response = client.post("/api/v1/posts/", {"content": "bench", "images": uploads}, format="multipart")
        requests.append((time.perf_counter() - started) / len(photos))
        assert response.status_code == 201, response.content[:300]

    result = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "load_average": os.getloadavg(),
        "photo": {"width": 4000, "height": 3000, "bytes_each": [len(p) for p in photos]},
        "rounds": args.rounds,
        "processing_s_per_photo": {"median": statistics.median(processing), "max": max(processing)},
        "post_with_4_photos_s_per_photo": {"median": statistics.median(requests), "max": max(requests)},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "photos.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"4000x3000 JPEG ({statistics.mean(result['photo']['bytes_each']) / 1e6:.1f} MB each), "
        f"{args.rounds} rounds, load average {result['load_average'][0]:.1f}:\n"
        f"  processing alone: median {result['processing_s_per_photo']['median']:.3f} s/photo, "
        f"max {result['processing_s_per_photo']['max']:.3f} s\n"
        f"  POST /api/v1/posts/ with 4 photos: median {result['post_with_4_photos_s_per_photo']['median']:.3f} "
        f"s/photo, max {result['post_with_4_photos_s_per_photo']['max']:.3f} s"
    )


if __name__ == "__main__":
    main()
