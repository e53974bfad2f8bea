"""A poster for the village hall: headline, village, office, a large QR code, the hotlines.

The first poster cut its sentences at both edges, named neither the office nor a hotline and
wrote PNG data into a file called .jpg. Now every text is wrapped inside the margins, the
headline is large, the QR code is 12.5 cm wide on A4 (scannable from more than a metre), the
hotlines come from the content (the "Nomor penting" answer, with its source), and the file
type follows the suffix: .png, .pdf or .jpg.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.core.i18n import _
from bot.core.storage.models import Office, Village
from bot.core.storage.session import Database
from bot.domain.answers.book import AnswerBook
from bot.domain.programme.choices import VillageChoice

WIDTH, HEIGHT, MARGIN = 1240, 1754, 90  # A4 at 150 dpi
QR_SIZE = 740  # 740 px at 150 dpi is 12.5 cm: scannable from well over a metre
FORMATS = {".png": "PNG", ".pdf": "PDF", ".jpg": "JPEG", ".jpeg": "JPEG"}
GREEN = "#1f6f43"


class PosterError(ValueError):
    """The poster cannot be written as asked (an unknown file type)."""


@dataclass(frozen=True)
class PosterText:
    """Everything the poster says besides the QR code."""

    village: str
    area: str
    office: str
    link: str
    hotlines: tuple[str, ...]  # "Polisi: 110 (gratis, 24 jam)", from the content
    source: str  # where the hotlines come from


def make_poster(text: PosterText, out: Path) -> None:
    """Write the poster as PNG, PDF or JPEG, chosen by the file's suffix."""
    kind = FORMATS.get(out.suffix.lower())
    if kind is None:
        raise PosterError(f"{out.name}: the poster is written as .png, .pdf or .jpg")
    page = render(text)
    page.save(out, kind, **({"resolution": 150.0} if kind == "PDF" else {}))


def render(text: PosterText):  # type: ignore[no-untyped-def]
    """The poster as a PIL image (Pillow is imported only when a poster is made)."""
    import qrcode
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, WIDTH, 150), fill=GREEN)
    y = _block(draw, _("DESA BINAAN"), _font(54, bold=True), 42, fill="white")
    y = _block(draw, text.office, _font(30), y + 6, fill="white")
    y = _block(draw, _("Want to work abroad? Go the legal way, stay safe."),
               _font(66, bold=True), 185)
    y = _block(draw, f"{text.village} - {text.area}", _font(40), y + 16, fill="#333333")
    code = qrcode.make(text.link, box_size=20, border=2).get_image().convert("RGB")
    page.paste(code.resize((QR_SIZE, QR_SIZE)), ((WIDTH - QR_SIZE) // 2, y + 20))
    y += 20 + QR_SIZE + 10
    y = _block(draw, _("Scan with your phone camera: the village's lessons and quizzes on "
                       "Telegram, checks of job offers, and reports to officers (your "
                       "identity stays hidden)."), _font(34), y)
    y = _block(draw, _("Important numbers:"), _font(34, bold=True), y + 20, align="left")
    for line in text.hotlines:
        y = _block(draw, f"\u2022 {line}", _font(30), y + 4, align="left")
    y = _block(draw, _("Source: {source}").format(source=text.source), _font(22), y + 10,
               fill="#555555", align="left")
    _block(draw, text.link, _font(28), max(y + 14, HEIGHT - 70), fill=GREEN)
    return page


def _block(draw, text: str, font, top: int, fill: str = "black",  # type: ignore[no-untyped-def]
           align: str = "center") -> int:
    """Draw `text` wrapped inside the margins from `top`; returns the y below it."""
    width = WIDTH - 2 * MARGIN
    y = top
    for line in wrap(text, lambda s: draw.textlength(s, font=font), width):
        box = draw.textbbox((0, 0), line or " ", font=font)
        x = MARGIN if align == "left" else (WIDTH - (box[2] - box[0])) // 2
        draw.text((x, y), line, font=font, fill=fill)
        y += int(font.size * 1.25)
    return y


def wrap(text: str, measure, width: float) -> list[str]:  # type: ignore[no-untyped-def]
    """Greedy word wrap: lines no wider than `width` (a single long word gets its own)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and measure(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _font(size: int, bold: bool = False):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    for name in (("DejaVuSans-Bold.ttf",) if bold else ()) + ("DejaVuSans.ttf",):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def poster_text(db: Database, village: Village | VillageChoice, link: str,
                answers: AnswerBook) -> PosterText:
    """The poster's words: village, its office's name, link, and the hotlines from the content.

    One function for the CLI's `villages poster` and the dashboard's poster button, so both
    print the same office name and the same sourced numbers ("Nomor penting").
    """
    with db.session() as session:
        office = session.get(Office, village.office_id) if village.office_id else None
        office_name = office.name if office else ""
    contacts = answers["contact_info"].text
    source = "; ".join(s.line() for s in (contacts.short_sources or contacts.sources)[:2])
    area = ", ".join(part for part in (village.district, village.regency) if part)
    return PosterText(village.name, area, office_name, link, hotlines_from(contacts.short),
                      source)


def hotlines_from(short_text: str, limit: int = 3) -> tuple[str, ...]:
    """The bullet lines of the "Nomor penting" answer ("• Polisi: 110 ..."), first `limit`."""
    bullets = [line.strip().lstrip("\u2022").strip() for line in short_text.splitlines()
               if line.strip().startswith("\u2022")]
    return tuple(bullets[:limit])
