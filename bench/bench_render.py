"""Benchmark: Factur-X PDF/A-3b invoices per second, Typst against WeasyPrint.

Plain script (no pytest): `PYTHONPATH=src python bench/bench_render.py [--iterations N]`.

Each Typst document is the full job of a rendering worker: CII generation (`write_cii`), XSD
check of the XML, view model, Typst compilation to PDF/A-3b with factur-x.xml attached, and
the Factur-X XMP patch. Every iteration renders a different invoice (number, buyer, line
names, quantities, prices), so Typst cannot replay a cached layout.

Reported: p50/p90 per document on one core (one process), throughput with 2 processes, and
the peak RSS of each rendering process; each Typst measurement is run `--repeat` times (3)
in fresh processes and the median run is reported with the others' figures beside it. Then
the median of each step of the job (`steps`), with the pikepdf XMP route that the in-place
splice replaced. WeasyPrint (if installed) renders the same view model as HTML to PDF/A-3b
with the same XML attached, in its own process. Every process first times a fixed piece of
work (`calibration_ms`): how fast the shared host is during that run.

`steps` only uses functions older trees have too, so before/after figures come from running
this script against the older tree: `PYTHONPATH=<old checkout>/src python bench/bench_render.py`.

Targets: 1 page p50 <= 20 ms (>= 80 documents/s with 2 processes); 5 pages p50 <= 115 ms;
peak RSS <= 150 MB per rendering process.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import html
import io
import json
import multiprocessing as mp
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf

from facturier.domain.codes import DocumentType, PaymentMeansCode, SupplyNature, VatCategory
from facturier.domain.documents import Document, PaymentMeans, PaymentTerms, PriceMode
from facturier.domain.lifecycle import issue
from facturier.domain.parties import Address, Party
from facturier.domain.pricing import LineInput, price_document
from facturier.einvoice.cii.writer import write_cii
from facturier.rendering import FacturXPackaging, build_view, render_pdf
from facturier.rendering.facturx import Profile, check_xsd

ISSUED = date(2026, 10, 5)
PAGES_TO_LINES = {1: 8, 5: 200}  # lines giving exactly that many pages with the default theme
SELLER = Party(
    name="Atelier Lumière SAS",
    address=Address("12 rue des Lilas", "Lyon", "69003", "FR"),
    siren="732829320",
    siret="73282932000074",
    vat_id="FR44732829320",
    legal_form="SAS",
    share_capital=Decimal("15000"),
    rcs="RCS Lyon 732 829 320",
)
BUYER = Party(
    name="Boulangerie Martin SARL",
    address=Address("3 place du Marché", "Villeurbanne", "69100", "FR"),
    siren="552100554",
    vat_id="FR96552100554",
    legal_form="SARL",
    share_capital=Decimal("8000"),
)
TERMS = PaymentTerms(
    due_date=date(2026, 11, 4),
    means=(PaymentMeans(PaymentMeansCode.SEPA_CREDIT_TRANSFER, iban="FR7630006000011234567890189", bic="AGRIFRPP"),),
    late_penalty_rate=Decimal("12.15"),
    recovery_indemnity=Decimal(40),
)


def invoice(line_count: int, seed: int = 0) -> Document:
    """A priced, issued invoice; each `seed` gives other names, quantities, prices and
    buyer, so that no two benchmark documents share laid-out text (Typst memoises layout
    across compilations: rendering the same lines again would be a cache replay)."""
    lines = [
        LineInput(
            str(i),
            f"Article de catalogue n° {i:03d}-{seed}",
            Decimal(1 + (i + seed) % 7),
            "C62",
            Decimal(f"{3 + (i + seed) % 40}.{(i * 7 + seed) % 100:02d}"),
            VatCategory.STANDARD,
            Decimal("20") if i % 5 else Decimal("5.5"),
            nature=SupplyNature.SERVICES if i % 4 == 0 else SupplyNature.GOODS,
        )
        for i in range(1, line_count + 1)
    ]
    priced = price_document(lines, (), PriceMode.NET, "EUR")
    draft = Document(
        document_type=DocumentType.INVOICE,
        currency="EUR",
        seller=SELLER,
        buyer=replace(BUYER, name=f"Boulangerie Martin n° {seed} SARL"),
        lines=priced.lines,
        vat_breakdown=priced.vat_breakdown,
        totals=priced.totals,
        issue_date=ISSUED,
        payment_terms=TERMS,
        delivery_date=ISSUED,
    )
    return issue(draft, f"F2026-{seed:06d}", ISSUED)


# --- Typst ------------------------------------------------------------------------------


def typst_job(doc: Document) -> bytes:
    xml = write_cii(doc)
    return render_pdf(doc, language="fr", facturx=FacturXPackaging(xml, Profile.EN16931, check_xsd=True))


def timed_run(pages: int, iterations: int, offset: int = 0) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds per document (CPU counts every thread of the process; on a
    machine shared with other work it shows the cost without the wait for a core). The
    invoices are built (priced) before the clock starts; each one is different."""
    typst_job(invoice(PAGES_TO_LINES[pages], seed=999_999))  # warm-up: fonts, template, XSD
    documents = [invoice(PAGES_TO_LINES[pages], seed=offset + i) for i in range(iterations)]
    wall, cpu = [], []
    for doc in documents:
        start, start_cpu = time.perf_counter(), time.process_time()
        typst_job(doc)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def _worker(args: tuple[int, int, int, Any]) -> dict[str, float]:
    pages, iterations, offset, barrier = args
    timed_run(pages, 3, offset=offset + 500_000)  # warm-up in this process
    barrier.wait()
    start = time.monotonic()
    timed_run(pages, iterations, offset=offset)
    end = time.monotonic()
    return {"start": start, "end": end, "count": iterations, "rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parallel(pages: int, iterations: int, processes: int = 2) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(processes)
        with ctx.Pool(processes) as pool:
            jobs = [(pages, iterations, 1000 * (k + 1), barrier) for k in range(processes)]
            results = pool.map(_worker, jobs)
    wall = max(r["end"] for r in results) - min(r["start"] for r in results)
    total = sum(r["count"] for r in results)
    return {"docs_per_s": round(total / wall, 1), "rss_mb": [round(r["rss_mb"], 1) for r in results]}


def single(pages: int, iterations: int) -> dict[str, Any]:
    """One process, one core: run in a fresh process so its peak RSS is its own."""
    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(_single_in_process, (pages, iterations))


def calibration_ms() -> float:
    """Milliseconds for a fixed piece of work (SHA-256 of 8 MB and a pure-Python loop), median
    of 5, in this process: on a shared host, how fast the machine is right now. Compare runs
    through it: a run whose calibration is 1.5x slower ran on a host 1.5x slower."""
    data = bytes(8 * 1024 * 1024)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        hashlib.sha256(data).digest()
        sum(i * i for i in range(300_000))
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 2)


def _single_in_process(pages: int, iterations: int) -> dict[str, Any]:
    calibration = calibration_ms()
    wall, cpu = timed_run(pages, iterations)
    cpu_p50 = round(statistics.median(cpu) * 1000, 2)
    return summary(wall) | {
        "cpu_p50_ms": cpu_p50,
        "rss_mb": round(peak_rss_mb(), 1),
        "load": os.getloadavg()[0],
        "calibration_ms": calibration,
    }


def summary(durations: list[float]) -> dict[str, float]:
    ordered = sorted(durations)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p90_ms": round(ordered[int(len(ordered) * 0.9) - 1] * 1000, 2),
        "docs_per_s": round(len(ordered) / sum(ordered), 1),
    }


def _steps_in_process(pages: int, iterations: int) -> dict[str, Any]:
    """Median milliseconds of each step of the job, as `render_pdf` runs them (its internals
    are called one by one here to time them)."""
    from facturier.rendering import facturx, pdf

    pikepdf_route = getattr(facturx, "_add_facturx_xmp_with_pikepdf", facturx.add_facturx_xmp)  # older trees
    calibration = calibration_ms()
    documents = [invoice(PAGES_TO_LINES[pages], seed=i) for i in range(iterations + 2)]
    times: dict[str, list[float]] = {}

    def timed(step: str, action: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = action()
        times.setdefault(step, []).append(time.perf_counter() - start)
        return result

    for doc in documents:
        xml = timed("write_cii", lambda d=doc: write_cii(d))
        timed("xsd_check", lambda x=xml: check_xsd(x, Profile.EN16931))
        view = timed("view_model", lambda d=doc: build_view(d, "fr"))
        view["theme"] = pdf._theme_view(pdf.DEFAULT_THEME)
        inputs = {"view": json.dumps(view, ensure_ascii=False), "xml": xml.decode(), "xml_relationship": "alternative"}
        raw = timed("typst", lambda i=inputs, d=doc: pdf._Compiler.compile(i, True, pdf.creation_time(d)))
        timed("xmp", lambda r=raw: facturx.add_facturx_xmp(r, Profile.EN16931))
        timed("xmp_pikepdf", lambda r=raw: pikepdf_route(r, Profile.EN16931))
    medians = {step: round(statistics.median(values[2:]) * 1000, 2) for step, values in times.items()}
    return medians | {"calibration_ms": calibration}


def steps(pages: int, iterations: int) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(_steps_in_process, (pages, iterations))


# --- WeasyPrint -------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 18mm 16mm 20mm; @bottom-right { content: "Page " counter(page) " / " counter(pages);
  font-size: 7pt; } }
body { font-family: Inter, sans-serif; font-size: 8.6pt; }
h1 { color: #1F4E79; text-align: right; margin: 0; }
table.lines { width: 100%; border-collapse: collapse; }
table.lines thead { display: table-header-group; }
table.lines th { background: #1F4E79; color: white; text-align: left; padding: 4px; }
table.lines td { border-bottom: 0.4pt solid #ccc; padding: 4px; }
td.num { text-align: right; }
"""


def invoice_html(doc: Document) -> str:
    """The same view model as the Typst template, as plain HTML (headings, lines, VAT, mentions)."""
    view = build_view(doc, "fr")
    esc = html.escape
    party = "".join(
        f"<div>{esc(x)}</div>" for x in [view["seller"]["name"], *view["seller"]["lines"], *view["seller"]["ids"]]
    )
    buyer = "".join(
        f"<div>{esc(x)}</div>" for x in [view["buyer"]["name"], *view["buyer"]["lines"], *view["buyer"]["ids"]]
    )
    meta = "".join(f"<div>{esc(k)} : {esc(v)}</div>" for k, v in view["meta"])
    cols = ("#", "col_description", "col_quantity", "col_unit", "col_unit_price", "col_vat", "col_amount")
    head = "".join(f"<th>{esc(view['labels'].get(c, c))}</th>" for c in cols)
    rows = "".join(
        f"<tr><td>{esc(x['id'])}</td><td>{esc(x['name'])}</td><td class=num>{esc(x['quantity'])}</td>"
        f"<td>{esc(x['unit'])}</td><td class=num>{esc(x['unit_price'])}</td><td class=num>{esc(x['vat'])}</td>"
        f"<td class=num>{esc(x['amount'])}</td></tr>"
        for x in view["lines"]
    )
    vat = "".join(f"<div>{esc(r['label'])} {esc(r['base'])} {esc(r['amount'])}</div>" for r in view["vat"])
    totals = "".join(f"<div>{esc(k)} {esc(v)}</div>" for k, v in view["totals"]["rows"])
    mentions = "".join(f"<p>{esc(m)}</p>" for m in view["mentions"])
    return (
        f"<html lang=fr><head><meta charset=utf-8><title>{esc(view['title'])}</title></head><body>"
        f"<h1>{esc(view['title'])} {esc(view['number'])}</h1>{party}{meta}<hr>{buyer}"
        f"<table class=lines><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        f"{vat}{totals}<div><b>{esc(view['totals']['payable_label'])} {esc(view['totals']['payable'])}</b></div>"
        f"{mentions}</body></html>"
    )


def _weasy_in_process(pages: int, iterations: int) -> dict[str, Any]:
    import weasyprint  # type: ignore[import-not-found]

    calibration = calibration_ms()
    fonts = Path(__file__).resolve().parents[1] / "src" / "facturier" / "rendering" / "fonts"
    css = weasyprint.CSS(
        string=f"@font-face {{ font-family: Inter; src: url('{fonts.as_uri()}/Inter-Regular.otf'); }}" + CSS
    )

    def job(doc: Document) -> bytes:
        xml = write_cii(doc)
        check_xsd(xml, Profile.EN16931)
        attachment = weasyprint.Attachment(string=xml, name="factur-x.xml", relationship="Alternative")
        document = weasyprint.HTML(string=invoice_html(doc))
        return document.write_pdf(stylesheets=[css], pdf_variant="pdf/a-3b", attachments=[attachment])

    pdf = job(invoice(PAGES_TO_LINES[pages], seed=999_999))  # warm-up
    documents = [invoice(PAGES_TO_LINES[pages], seed=i) for i in range(iterations)]
    durations = []
    for doc in documents:
        start = time.perf_counter()
        job(doc)
        durations.append(time.perf_counter() - start)
    return summary(durations) | {
        "rss_mb": round(peak_rss_mb(), 1),
        "pdf_kb": len(pdf) // 1024,
        "calibration_ms": calibration,
    }


def weasyprint_single(pages: int, iterations: int) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        try:
            return pool.apply(_weasy_in_process, (pages, iterations))
        except Exception as exc:  # reported, not fatal: WeasyPrint is only the comparison
            return {"error": f"{type(exc).__name__}: {exc}"}


# --- main -------------------------------------------------------------------------------


def page_count(pages: int) -> int:
    pdf = typst_job(invoice(PAGES_TO_LINES[pages]))
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def repeated(measure: Callable[[], dict[str, Any]], key: str, repeat: int) -> dict[str, Any]:
    """The run whose `key` is the median of `repeat` runs, with every run's `key` beside it:
    on a shared machine one run can be 50 % off the next (other tenants of the host)."""
    runs = sorted((measure() for _ in range(repeat)), key=lambda r: r[key])
    return runs[len(runs) // 2] | {f"{key}_runs": [r[key] for r in runs]}


def run(iterations: int, weasy_iterations: int, repeat: int = 3) -> dict[str, Any]:
    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "repeat": repeat,
    }
    for pages in (1, 5):
        report[f"typst_{pages}p"] = {
            "pages": page_count(pages),
            "single": repeated(functools.partial(single, pages, iterations), "p50_ms", repeat),
            "two_processes": repeated(functools.partial(parallel, pages, iterations), "docs_per_s", repeat),
        }
        report[f"steps_{pages}p"] = steps(pages, min(iterations, 40))
        report[f"weasyprint_{pages}p"] = weasyprint_single(pages, weasy_iterations)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=100, help="Typst documents per measurement")
    parser.add_argument("--weasy-iterations", type=int, default=10, help="WeasyPrint documents per measurement")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each Typst measurement (median reported)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args()
    report = run(args.iterations, args.weasy_iterations, args.repeat)
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        print()
        return
    for key, value in report.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
