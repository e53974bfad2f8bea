"""A poster for the village hall: the village's name, a QR code of its join link, an invitation."""

from __future__ import annotations

from pathlib import Path

from bot.core.i18n import _


def make_poster(village: str, area: str, link: str, out: Path) -> None:
    """Write a PNG or PDF (by the file's suffix), A5-ish, readable from a few metres."""
    import qrcode
    from PIL import Image, ImageDraw, ImageFont

    width, height = 1240, 1754
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    title, body, small = (_font(ImageFont, size) for size in (84, 46, 34))
    draw.text((width // 2, 140), _("Desa Binaan"), font=title, fill="#1f6f43", anchor="mm")
    draw.text((width // 2, 250), village, font=title, fill="black", anchor="mm")
    draw.text((width // 2, 330), area, font=small, fill="#444444", anchor="mm")
    code = qrcode.make(link, box_size=20, border=2).get_image().convert("RGB")
    code = code.resize((760, 760))
    page.paste(code, ((width - 760) // 2, 420))
    lines = [_("Scan with your phone camera to join"),
             _("your village's lessons and quizzes on Telegram:"),
             _("how to work abroad safely and legally,"),
             _("and how to spot fake job offers.")]
    for i, line in enumerate(lines):
        draw.text((width // 2, 1280 + i * 66), line, font=body, fill="black", anchor="mm")
    draw.text((width // 2, 1600), link, font=small, fill="#1f6f43", anchor="mm")
    page.save(out, "PDF" if out.suffix.lower() == ".pdf" else "PNG")


def _font(module, size: int):  # type: ignore[no-untyped-def]
    for name in ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf"):
        try:
            return module.truetype(name, size)
        except OSError:
            continue
    return module.load_default(size)
