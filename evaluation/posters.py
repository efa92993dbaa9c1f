"""QR codes and the printable A4 poster of a distribution point.

segno draws the QR code; WeasyPrint (imported only when a poster is asked for, as it
loads large native libraries) turns the poster's HTML into a PDF.
"""

import io

import segno
from django.template.loader import render_to_string


def _qr(url: str):
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, *, title: str = "QR code") -> str:
    """An SVG of the QR code, sized by its viewBox so it scales to its container."""
    buffer = io.BytesIO()
    _qr(url).save(
        buffer, kind="svg", scale=1, border=2, xmldecl=False, svgns=True, title=title,
        svgclass="app-qr-code", lineclass=None, omitsize=True, dark="#000", light="#fff",
    )
    return buffer.getvalue().decode()


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="png", scale=12, border=4)
    return buffer.getvalue()


def poster_pdf(point, url: str) -> bytes:
    from weasyprint import HTML

    html = render_to_string("evaluation/poster.html", {
        "point": point, "always_event": point.always_event, "url": url,
        "qr_svg": qr_svg(url, title=f"QR code for {point.location}"),
    })
    return HTML(string=html).write_pdf()
