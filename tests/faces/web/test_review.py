"""Content review: unanswered questions grouped and counted, marked reviewed, exported."""

from __future__ import annotations

import yaml
from aiohttp.test_utils import TestServer

from bot.domain.answers.unanswered import remember_unanswered
from tests.faces.web.conftest import REPORTER, TPI_OFFICER, Office, csrf_of, signed_in

GUESS = {"intent_ranking": [{"name": "visa_info", "confidence": 0.3}]}


async def test_questions_are_grouped_marked_and_exported(server: TestServer,
                                                         offices: Office) -> None:
    db = offices.services.db
    for text in ("visa kerja ke jepang brp lama", "visa kerja ke jepang brp lama",
                 "apa itu eta korea"):
        remember_unanswered(db, text, GUESS)
    remember_unanswered(db, "harga tiket ke taiwan", {})
    officer = await signed_in(server, db, TPI_OFFICER)
    page = await (await officer.get("/tinjauan")).text()
    assert "visa_info" in page and "2 pertanyaan" in page and "ditanyakan 3 kali" in page
    exported = yaml.safe_load(await (await officer.get("/tinjauan/kandidat.yml")).text())
    by_intent = {item["intent"]: item["examples"] for item in exported["nlu"]}
    assert "- visa kerja ke jepang" in by_intent["visa_info"]
    assert "harga tiket ke taiwan" in by_intent["out_of_scope"]

    first = page.split('name="q" value="')[1].split('"')[0]
    await officer.post("/tinjauan", data={"csrf": await csrf_of(officer, "/tinjauan"),
                                          "q": first})
    page = await (await officer.get("/tinjauan")).text()
    assert "visa kerja ke jepang" not in page  # reviewed: off the queue
    exported = await (await officer.get("/tinjauan/kandidat.yml")).text()
    assert "visa kerja ke jepang" not in exported and str(REPORTER) not in exported
    await officer.close()
