"""Server time per request of each dashboard page, with 10,000 tips and 500 villages.

The dashboard's real aiohttp app runs in this process on a loopback port, signed in as the
office admin; a timing middleware (outermost) measures each request from its arrival to the
end of its handler, session lookup and rendering included. Requests go one at a time, so the
figure is the page's own cost, not queueing. Baseline, in the same run: the sign-in page
(session lookup and a template, no query of its own).

    .venv/bin/python benchmarks/web_pages.py [--database sqlite|postgres] [--requests 60]
                                             [--runs 3]

Prints, per page: the median of the runs' medians and the p99 over all requests (ms), and the
client's round trip for comparison. Bounded: about a minute on two cores.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aiohttp import ClientSession, CookieJar, web  # noqa: E402

from benchmarks.benchlib import BenchDatabase, percentile  # noqa: E402
from benchmarks.web_seed import ADMIN_ID, seed  # noqa: E402
from bot.core.config import Settings  # noqa: E402
from bot.core.storage.session import Database  # noqa: E402
from bot.domain.people.web_access import issue_login  # noqa: E402
from bot.domain.programme import results as results_module  # noqa: E402
from bot.domain.services import Services  # noqa: E402
from bot.faces.web.server import make_web_app  # noqa: E402


def pages(ids: dict) -> list[tuple[str, str, int]]:
    """(label, path, share of --requests): the chart is drawn by matplotlib, so fewer."""
    return [
        ("baseline: sign-in page", "/masuk", 1),
        ("tips queue (open)", "/laporan", 1),
        ("tips queue, search 'Joko'", "/laporan?status=all&q=Joko", 1),
        ("tips queue, page 40 of all", "/laporan?status=all&hal=40", 1),
        ("tips queue, village + urgent", f"/laporan?desa={ids['village']}&mendesak=1", 1),
        ("one tip", f"/laporan/{ids['tip']}", 1),
        ("campaigns (300, latest 50)", "/kampanye", 1),
        ("one campaign", f"/kampanye/{ids['campaign']}", 1),
        ("villages (450), page 1", "/desa", 1),
        ("villages, page 5", "/desa?hal=5", 1),
        ("villages, search 'Kecamatan 1'", "/desa?q=Kecamatan%201", 1),
        ("gazetteer search 'kelong bintan'", "/desa?cari=kelong%20bintan", 1),
        ("one village", f"/desa/{ids['village']}", 1),
        ("village chart (PNG)", f"/desa/{ids['village']}/grafik.png", 4),
        ("quiz results (office, uncached)", "/program/hasil", 1),
        ("results chart: villages (SVG)", "/program/hasil/desa.svg", 4),
        ("results chart: hardest (SVG)", "/program/hasil/soal.svg", 4),
        ("people + audit log (admin)", "/orang", 1),
        ("content review", "/tinjauan", 1),
    ]


async def measure(url: str, services: Services, ids: dict, requests: int,
                  runs: int) -> dict[str, dict[str, list[float]]]:
    """Every page `requests` times per run, runs interleaved page by page."""
    server_ms: dict[str, list[float]] = {}

    @web.middleware
    async def timing(request: web.Request, handler):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return await handler(request)
        finally:
            server_ms.setdefault(request.path_qs, []).append(
                (time.perf_counter() - start) * 1000)

    app = make_web_app(services, "desabinaan_bot")
    app.middlewares.insert(0, timing)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}"
    results: dict[str, dict[str, list[float]]] = {}
    try:
        async with ClientSession(base, cookie_jar=CookieJar(unsafe=True)) as client:
            token = await asyncio.to_thread(issue_login, services.db, ADMIN_ID)
            await client.post("/masuk", data={"t": token})
            for _label, path, _share in pages(ids):  # warm-up: templates, caches, pools
                await (await client.get(path)).read()
            for _run in range(runs):
                for label, path, share in pages(ids):
                    server_ms.pop(path, None)
                    client_ms = []
                    for _ in range(max(3, requests // share)):
                        start = time.perf_counter()
                        response = await client.get(path)
                        await response.read()
                        assert response.status == 200, (path, response.status)
                        client_ms.append((time.perf_counter() - start) * 1000)
                    entry = results.setdefault(label, {"server": [], "client": [],
                                                       "run_medians": []})
                    entry["server"] += server_ms[path]
                    entry["client"] += client_ms
                    entry["run_medians"].append(statistics.median(server_ms[path]))
    finally:
        await runner.cleanup()
    return results


def report(results: dict[str, dict[str, list[float]]], seeded_s: float, kind: str) -> None:
    """One table: median of the runs' medians, p99 of all requests, the client's median."""
    print(f"\ndashboard pages, {kind}: 10,000 tips, 500 villages (seeded in {seeded_s:.1f} s)")
    print(f"{'page':34} {'server median':>14} {'server p99':>11} {'runs':>22} "
          f"{'client median':>14}   n")
    for label, entry in results.items():
        runs = " ".join(f"{m:.1f}" for m in entry["run_medians"])
        print(f"{label:34} {statistics.median(entry['run_medians']):11.1f} ms "
              f"{percentile(entry['server'], 99):8.1f} ms {runs:>22} "
              f"{statistics.median(entry['client']):11.1f} ms {len(entry['server']):4d}")


def main() -> int:
    """Seed, serve, measure, print; the database is dropped at the end."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--requests", type=int, default=60, help="per page and run")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        bench = BenchDatabase(args.database, Path(workdir))
        db = Database(bench.url)
        try:
            start = time.perf_counter()
            ids = seed(db)
            seeded = time.perf_counter() - start
            results_module.CACHE_SECONDS = 0.0  # measure the quiz results' real cost
            settings = replace(Settings(), database_url=bench.url)
            services = Services(settings, db, None, None, None, None)  # type: ignore[arg-type]
            results = asyncio.run(measure("", services, ids, args.requests, args.runs))
            report(results, seeded, args.database)
        finally:
            db.dispose()
            bench.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
