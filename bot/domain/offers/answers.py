"""The offer checker's reply: risk level, reasons in plain words, what to do next."""

from __future__ import annotations

from bot.core.formatting import format_number
from bot.core.i18n import _
from bot.domain.content.sources import Source
from bot.domain.offers.assessment import Assessment
from bot.domain.offers.ceilings import Basis
from bot.domain.replies import Button, Reply

REPORT_DATA = "tip:offer"
MAX_REASONS = 5


def headline(risk: str) -> str:
    """The first line: the verdict, in words a villager reads at a glance."""
    return {
        "high": _("HIGH RISK: this offer has strong signs of illegal recruitment or a scam."),
        "medium": _("BE CAREFUL: this offer has some warning signs."),
        "low": _("I see no strong warning signs in this text, but always check through the "
                 "official channels before you go."),
    }[risk]


def offer_reply(assessment: Assessment) -> Reply:
    """Render an assessment for a villager; high and medium offer to report it."""
    lines = [headline(assessment.risk)]
    if assessment.flags:
        lines.append("")
        lines.append(_("Why:"))
        lines += [f"\u2022 {flag.explain}" for flag in assessment.flags[:MAX_REASONS]]
        basis = next((f.basis for f in assessment.flags if f.basis is not None), None)
        if basis is not None:
            lines.append(compared_with(basis))
    if assessment.advice:
        lines.append("")
        lines.append(_("What to do:"))
        lines += [f"\u2022 {step}" for step in assessment.advice]
    sources = _sources(assessment)
    if sources:
        lines.append("")
        lines.append(_("Source:") + " " + "; ".join(s.line() for s in sources[:2]))
    rows: list[tuple[Button, ...]] = []
    if assessment.risk in {"high", "medium"}:
        rows.append((Button(_("Report this offer"), REPORT_DATA),))
    rows.append((Button(_("Menu"), "menu"),))
    text = "\n".join(lines)
    return Reply(text[:4000], tuple(rows), tuple(sources), "offer_check",
                 meta={"risk": assessment.risk, "flags": [f.name for f in assessment.flags]})


def compared_with(basis: Basis) -> str:
    """The wage the pay was compared against, in its currency and in rupiah, with its source."""
    wage, source = basis.fact.statement.rstrip("."), basis.fact.source.line().rstrip(".")
    if basis.fact.value.startswith("Rp"):
        return "\u2022 " + _("For comparison: {wage}. Source: {source}.").format(
            wage=wage, source=source)
    rupiah = "\u00b1 Rp" + format_number(round(basis.rupiah, -5))
    return "\u2022 " + _("For comparison: {wage}; {value} is about {rupiah}. Source: "
                          "{source}.").format(wage=wage, value=basis.fact.value,
                                              rupiah=rupiah, source=source)


def _sources(assessment: Assessment) -> list[Source]:
    seen: dict[str, Source] = {}
    for flag in assessment.flags:
        if flag.basis is not None:  # the wage fact first: it backs the pay verdict
            seen.setdefault(flag.basis.fact.source.url, flag.basis.fact.source)
    for flag in assessment.flags:
        raw = flag.source
        source = raw if isinstance(raw, Source) else Source(
            str(raw.get("publisher", "")), str(raw.get("title", "")), str(raw.get("url", "")),
            str(raw.get("date", "t.t.")))
        seen.setdefault(source.url, source)
    return list(seen.values())
