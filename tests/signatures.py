"""Signatures as the portal's signature pad posts them (base64 PNG), for the tests."""
import base64
import io

from PIL import Image


def _png(ink):
    image = Image.new("RGBA", (120, 40), (255, 255, 255, 0))
    if ink:
        image.putpixel((5, 5), (0, 0, 0, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def signature_png():
    """A drawn signature: one stroke of ink on the pad."""
    return _png(ink=True)


def blank_png():
    """The pad as it is before anyone signs: a valid image with no ink."""
    return _png(ink=False)
