"""Small builders the discovery tests share (on top of tests/factories.py)."""

from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image

from lesefrei.content.models import CreditedImage


def image(title: str = "Plenarsaal", credit: str = "Foto: Ana Lima") -> CreditedImage:
    buffer = BytesIO()
    Image.new("RGB", (1600, 900), (40, 90, 160)).save(buffer, format="JPEG")
    return CreditedImage.objects.create(
        title=title, credit=credit, file=ImageFile(buffer, name="plenarsaal.jpg")
    )
