"""Images for the demo, drawn on the spot with Pillow so the demo needs no download:
calm landscapes for articles and the live ticker, initials for author portraits."""

import colorsys
import hashlib
import io
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from lesefrei.content.models import CreditedImage

IMAGE_CREDIT = "lesefrei-Grafik"


def seeded_random(key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:16], 16))


def draw_landscape(key: str, width: int = 1600, height: int = 900) -> bytes:
    """An abstract, calm illustration (sky gradient, hills, a sun) unique to `key`."""
    rnd = seeded_random(key)
    hue = rnd.random()
    image = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        light = 0.85 - 0.35 * y / height
        r, g, b = colorsys.hls_to_rgb(hue, light, 0.45)
        draw.line([(0, y), (width, y)], fill=(int(r * 255), int(g * 255), int(b * 255)))
    sun_x, sun_y = (
        rnd.randint(width // 8, width * 7 // 8),
        rnd.randint(height // 8, height * 2 // 5),
    )
    radius = rnd.randint(height // 15, height // 7)
    draw.ellipse(
        (sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=(250, 236, 200)
    )
    for layer in range(4):
        r, g, b = colorsys.hls_to_rgb((hue + 0.08 * layer) % 1, 0.55 - 0.1 * layer, 0.35)
        base = int(height * (0.45 + 0.13 * layer))
        points = [(0, height)]
        for x in range(0, width + 160, 160):
            points.append((x, base + rnd.randint(-70, 70)))
        points.append((width, height))
        draw.polygon(points, fill=(int(r * 255), int(g * 255), int(b * 255)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def draw_portrait(name: str, size: int = 400) -> bytes:
    """A round-friendly square with the author's initials."""
    rnd = seeded_random(name)
    r, g, b = colorsys.hls_to_rgb(rnd.random(), 0.35, 0.4)
    image = PILImage.new("RGB", (size, size), (int(r * 255), int(g * 255), int(b * 255)))
    draw = ImageDraw.Draw(image)
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    font = ImageFont.load_default(size=size // 3)
    draw.text((size / 2, size / 2), initials, fill=(255, 255, 255), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def demo_image(title: str, key: str, data: bytes, description: str) -> CreditedImage:
    existing = CreditedImage.objects.filter(title=title).first()
    if existing is not None:
        return existing
    image = CreditedImage(title=title, description=description, credit=IMAGE_CREDIT)
    image.file.save(f"{key}.jpg", ImageFile(io.BytesIO(data), name=f"{key}.jpg"), save=False)
    image.save()
    return image
