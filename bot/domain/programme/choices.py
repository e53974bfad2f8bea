"""A programme village as offered to a person (a button label), shared by search and joins."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VillageChoice:
    """A village as offered to a villager: name with district and regency to tell apart."""

    id: int
    name: str
    district: str
    regency: str
    office_id: int | None
    province: str = ""

    @property
    def label(self) -> str:
        """"Sukamaju (Kec. Bintan Timur, Kab. Bintan)"-style button text, trimmed."""
        return f"{self.name} ({self.district}, {self.regency})"[:60]
