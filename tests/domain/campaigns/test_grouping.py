"""Contacts in any spelling, near duplicates, hard negatives, and the labelled set's floor."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from bot.domain.campaigns.contacts import Contact, extract
from bot.domain.campaigns.grouping import cluster
from bot.domain.campaigns.scoring import bcubed
from tests.auxil.paths import FIXTURES

TEMPLATE = ("🔥LOKER ADMIN KAMBOJA🔥 Gaji 15JT/bln, visa turis, tiket & hotel ditanggung. "
            "Tanpa pengalaman, yg penting bisa ketik. Minat WA {contact}")


@pytest.mark.parametrize("spelling", ["0812-7713-4402", "081277134402", "+62 812 7713 4402",
                                      "62 812.7713.4402", "wa.me/6281277134402",
                                      "(0812) 7713 4402"])
def test_a_phone_in_any_spelling_is_one_contact(spelling: str) -> None:
    assert Contact("phone", "+6281277134402") in extract(f"hub {spelling} ya")


def test_handles_links_and_companies_are_normalised() -> None:
    found = extract("Daftar t.me/Rekrut_Asia88 atau @rekrut_asia88, info https://www.Bit.ly/kerja-"
                    "myawaddy/ dan PT. Samudra Bahari Jaya")
    assert found == {Contact("handle", "rekrut_asia88"), Contact("link", "bit.ly/kerja-myawaddy"),
                     Contact("company", "samudra bahari jaya")}


@pytest.mark.parametrize("text", [
    "Gaji Rp.15jt, tiket ditanggung.Minat hubungi kami",  # no space after the full stop
    "Daftar lewat gmail ya: tulis ke gmail.com atau yahoo.com",
    "Info di facebook.com dan instagram.com",
    "Badan Pelindungan Pekerja Migran Indonesia mengingatkan warga",
])
def test_common_words_and_sites_are_not_contacts(text: str) -> None:
    """Each of these would otherwise link unrelated adverts into one campaign."""
    assert not extract(text)


def test_emails_and_digit_look_alikes() -> None:
    found = extract("kirim CV ke Rekrut.Asia@gmail.com atau hrd@gudangmakmur.co.id, "
                    "WA 0812 77l3 44O2")
    assert found == {Contact("email", "rekrut.asia@gmail.com"),
                     Contact("email", "hrd@gudangmakmur.co.id"),
                     Contact("link", "gudangmakmur.co.id"), Contact("phone", "+6281277134402")}


def test_official_sites_and_amounts_are_not_contacts() -> None:
    assert not extract("Gaji 15.000.000, biaya 3 juta, RM 1800, cek di bp2mi.go.id tahun 2026")


def test_the_same_template_under_other_contacts_is_another_campaign() -> None:
    labels = cluster([TEMPLATE.format(contact="0812-7713-4402"),
                      TEMPLATE.format(contact="0857-2231-9086"),
                      TEMPLATE.format(contact="@rekrut_asia88"),
                      TEMPLATE.format(contact="+62 857 2231 9086")])
    assert labels[0] != labels[1] != labels[2] != labels[0]
    assert labels[3] == labels[1]


def test_a_shortened_copy_without_contact_joins_the_advert() -> None:
    labels = cluster([TEMPLATE.format(contact="0812-7713-4402"),
                      "Pelatihan las gratis di BLK kabupaten, kuota 20 orang",
                      "LOKER ADMIN KAMBOJA gaji 15JT/bln visa turis tiket hotel ditanggung"])
    assert labels[2] == labels[0] != labels[1]


def test_a_text_sharing_contacts_with_two_campaigns_joins_them() -> None:
    labels = cluster(["Kerja kapal Taiwan hub 0838-7765-2210",
                      "Kerja pabrik Johor hub 0852-6610-3345",
                      "Nomor 0838 7765 2210 dan 0852 6610 3345 itu orang yang sama"])
    assert labels[0] == labels[1] == labels[2]


def _labelled(split: str) -> list[tuple[str, str]]:
    families = yaml.safe_load((FIXTURES / "campaigns.yml").read_text(encoding="utf-8"))
    return [(text, name) for family in families if split in {"all", family["split"]}
            for name, texts in family["campaigns"].items() for text in texts]


@pytest.mark.parametrize("split", ["tune", "test"])
def test_the_labelled_set_stays_above_the_floor(split: str) -> None:
    """The issue's floor (B-cubed F1 0.85) on both halves of our own set, never tuned on test."""
    rows = _labelled(split)
    scores = bcubed([name for _, name in rows], cluster(text for text, _ in rows))
    assert scores.f1 >= 0.85, scores


def test_bcubed_of_a_perfect_and_a_lumped_grouping() -> None:
    assert bcubed(["a", "a", "b"], [1, 1, 2]).f1 == 1.0
    lumped = bcubed(["a", "a", "b"], [1, 1, 1])
    assert lumped.recall == 1.0 and lumped.precision == pytest.approx(5 / 9)


def test_the_cli_groups_exactly_as_the_bot_does() -> None:
    rows = _labelled("all")[:40]
    stdin = "".join(json.dumps({"id": f"t{i}", "text": text}) + "\n"
                    for i, (text, _) in enumerate(rows))
    out = subprocess.run([sys.executable, "-m", "bot.main", "offers", "cluster"], input=stdin,
                         capture_output=True, text=True, check=True, timeout=120).stdout
    printed = [json.loads(line) for line in out.splitlines()]
    assert [p["id"] for p in printed] == [f"t{i}" for i in range(len(rows))]
    assert [p["cluster"] for p in printed] == cluster(text for text, _ in rows)
