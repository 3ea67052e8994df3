"""Benchmark: issuing one very large order (1,000 / 5,000 / 10,000 lines), time and peak memory.

Plain script (no pytest): `PYTHONPATH=src python bench/bench_large_order.py [--lines 1000 5000 10000]
[--engines sqlite postgresql] [--no-steps]`.

`issue`: each measurement is `facturier issue big.json` (the whole CLI path: order parsing,
drafting with the tax engine, domain rules, the e-invoice check of the CII and the UBL with the
XSDs and the official schematrons, numbering, PDF/A-3 with Typst, CII, UBL, archive, ledger)
run in a fresh process, which reports its own wall time, CPU time and peak RSS
(`resource.getrusage(RUSAGE_SELF).ru_maxrss`). The seller is created beforehand by another
process. Also run with `--no-render` (no PDF or XML files), to separate the two halves.

`steps`: in a fresh process per size, the same document taken through each step alone, with the
time of the step and the peak RSS after it (peak RSS only grows: what a step adds is the
difference with the line above). The e-invoice check is timed per ruleset.

The orders come from tests/large_orders.py: every line different, every tenth with a discount.
Every process first times a fixed piece of work (`calibration_ms`), to show how fast the
shared host is during that run; `uptime`'s load average is printed at the start.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

PG_URL = os.environ.get("FACTURIER_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def calibration_ms() -> float:
    started = time.perf_counter()
    hashlib.sha256(b"x" * (8 * 1024 * 1024)).digest()
    total = 0
    for i in range(300_000):
        total += i % 7
    return (time.perf_counter() - started) * 1000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- child: one `facturier issue`, measured from inside ----------------------------------------


def child_issue(order: str, no_render: bool) -> None:
    calibration = calibration_ms()
    from facturier.cli.main import app

    args = ["issue", order, "--json", *(["--no-render"] if no_render else [])]
    out = io.StringIO()
    cpu0, started = cpu_s(), time.perf_counter()
    with contextlib.redirect_stdout(out):
        app(args, standalone_mode=False)
    wall, cpu, rss = time.perf_counter() - started, cpu_s() - cpu0, peak_rss_mb()
    issued = json.loads(out.getvalue())[0]
    pages = 0
    paths = {a["name"]: a["path"] for a in issued["artefacts"]}
    if "document.pdf" in paths:
        import pikepdf

        with pikepdf.open(paths["document.pdf"]) as pdf:
            pages = len(pdf.pages)
    result = {
        "number": issued["number"],
        "lines": len(issued["lines"]),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "peak_rss_mb": round(rss),
        "pages": pages,
        "calibration_ms": round(calibration, 1),
    }
    print(json.dumps(result))


# --- child: the steps one by one --------------------------------------------------------------


def child_steps(lines: int) -> None:
    from dataclasses import replace

    calibration = calibration_ms()
    from tests.factories import draft
    from tests.large_orders import large_order_data

    from facturier.domain.documents import Status
    from facturier.domain.validation import validate
    from facturier.einvoice import resources, schematron, xsd
    from facturier.einvoice.cii.writer import write_cii
    from facturier.einvoice.profiles import Profile
    from facturier.einvoice.safe_xml import OWN_OUTPUT_LIMITS, canonical_bytes, parse_xml
    from facturier.einvoice.ubl.writer import write_ubl
    from facturier.rendering import DEFAULT_THEME, FacturXPackaging, language_for, render_pdf
    from facturier.rendering import Profile as PdfProfile

    rows: list[dict[str, Any]] = []

    def step(name: str, action: Any) -> Any:
        started = time.perf_counter()
        value = action()
        rows.append({"step": name, "s": round(time.perf_counter() - started, 2), "peak_rss_mb": round(peak_rss_mb())})
        return value

    rows.append({"step": "imports", "s": 0, "peak_rss_mb": round(peak_rss_mb())})
    data = large_order_data(lines)["lines"]
    doc = step("order -> draft (tax engine, pricing)", lambda: draft(lines=data))
    doc = replace(doc, number="F2026-000001", status=Status.ISSUED)
    step("domain rules", lambda: validate(doc))
    for rel in (
        resources.cii_schematron(Profile.EN16931),
        resources.CII_FR_FLUX2_SCHEMATRON,
        resources.UBL_EN16931_SCHEMATRON,
        resources.UBL_FR_FLUX2_SCHEMATRON,
    ):
        schematron.compiled(rel)  # compiled once per process: not part of a document's cost
    rows.append({"step": "4 schematrons compiled", "s": 0, "peak_rss_mb": round(peak_rss_mb())})
    for syntax, write, xsd_rel, rules in (
        ("CII", write_cii, resources.cii_xsd(Profile.EN16931), resources.cii_schematron(Profile.EN16931)),
        ("UBL", write_ubl, resources.UBL_INVOICE_XSD, resources.UBL_EN16931_SCHEMATRON),
    ):
        xml = step(f"write {syntax}", lambda w=write: w(doc))
        root = step(f"parse {syntax} ({len(xml) / 1e6:.1f} MB)", lambda x=xml: parse_xml(x, OWN_OUTPUT_LIMITS))
        step(f"XSD {syntax}", lambda r=root, x=xsd_rel: xsd.validate(r, x))
        canonical = canonical_bytes(root)
        flux2 = resources.CII_FR_FLUX2_SCHEMATRON if syntax == "CII" else resources.UBL_FR_FLUX2_SCHEMATRON
        for rel in (rules, flux2):
            step(f"schematron {rel.rsplit('/', 1)[-1]}", lambda r=rel, c=canonical: schematron.run(r, c))
        del root, canonical
    cii = write_cii(doc, Profile.EN16931)
    packaging = FacturXPackaging(cii, PdfProfile(Profile.EN16931.value))
    language = language_for(doc.buyer)
    step(
        "PDF/A-3 (view, Typst, XMP)", lambda: render_pdf(doc, theme=DEFAULT_THEME, language=language, facturx=packaging)
    )
    print(json.dumps({"lines": lines, "calibration_ms": round(calibration, 1), "steps": rows}))


# --- parent ---------------------------------------------------------------------------------


def run_child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def engine_env(engine: str, directory: Path) -> tuple[dict[str, str], str | None]:
    env = {**os.environ, "FACTURIER_DATA_DIR": str(directory / "data"), "PYTHONPATH": str(ROOT / "src")}
    if engine == "sqlite":
        return env, None
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with create_engine(PG_URL).begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    env["FACTURIER_DATABASE_URL"] = f"{PG_URL}?options=-csearch_path%3D{schema}"
    return env, schema


def drop_schema(schema: str | None) -> None:
    if schema is None:
        return
    from sqlalchemy import create_engine, text

    with create_engine(PG_URL).begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))


def filled_order(lines: int) -> dict[str, Any]:
    """The largest order of `lines` lines the order file limit lets through: every line name
    lengthened (ASCII, up to the 500-character field limit) until the file is just under
    `services.orders.MAX_ORDER_BYTES`."""
    from tests.large_orders import large_order_data

    from facturier.domain.limits import MAX_TEXT_CHARS
    from facturier.services.orders import MAX_ORDER_BYTES

    order = large_order_data(lines)
    spare = (MAX_ORDER_BYTES - 1_000 - len(json.dumps(order))) // lines
    for line in order["lines"]:
        line["name"] = (line["name"] + " " + "lampe ceramique emaillee " * 20)[
            : min(MAX_TEXT_CHARS, len(line["name"]) + spare)
        ]
    return order


def measure_issue(engine: str, lines: int, no_render: bool, fill: bool = False) -> dict[str, Any]:
    from tests.large_orders import large_order_data

    with tempfile.TemporaryDirectory(prefix="bench_large_") as tmp:
        directory = Path(tmp)
        env, schema = engine_env(engine, directory)
        try:
            init = [sys.executable, "-c", "from facturier.cli.main import app; app()", "init", "--demo"]
            done = subprocess.run(init, env=env, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f"facturier init failed:\n{done.stderr[-4000:]}")
            order = directory / "big.json"
            data = filled_order(lines) if fill else large_order_data(lines)
            order.write_text(json.dumps(data), encoding="utf-8")
            return run_child(["--child-issue", str(order), *(["--no-render"] if no_render else [])], env)
        finally:
            drop_schema(schema)


def uptime() -> str:
    with open("/proc/loadavg", encoding="ascii") as f:
        return " ".join(f.read().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, nargs="+", default=[1_000, 5_000, 10_000])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--no-steps", action="store_true", help="skip the step-by-step part")
    parser.add_argument("--child-issue", help=argparse.SUPPRESS)
    parser.add_argument("--child-steps", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-render", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_issue:
        child_issue(args.child_issue, args.no_render)
        return
    if args.child_steps:
        child_steps(args.child_steps)
        return
    from common import machine

    print(f"# {machine()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load {uptime()}")
    print("engine      lines  render  wall s  CPU s  peak RSS MB  pages  calibration ms  load at start")
    for engine in args.engines:
        for lines in args.lines:
            for no_render in (False, True):
                load = uptime()
                r = measure_issue(engine, lines, no_render)
                assert r["lines"] == lines, r
                print(
                    f"{engine:10s} {lines:6d}  {'no' if no_render else 'yes':6s} {r['wall_s']:7.1f} {r['cpu_s']:6.1f}"
                    f" {r['peak_rss_mb']:12d} {r['pages']:6d} {r['calibration_ms']:15.1f}  {load}",
                    flush=True,
                )
    load = uptime()
    r = measure_issue("sqlite", max(args.lines), no_render=False, fill=True)
    print(
        f"sqlite     {r['lines']:6d}  yes    {r['wall_s']:7.1f} {r['cpu_s']:6.1f} {r['peak_rss_mb']:12d}"
        f" {r['pages']:6d} {r['calibration_ms']:15.1f}  {load}  (names lengthened to fill the order file limit)",
        flush=True,
    )
    if args.no_steps:
        return
    for lines in args.lines:
        load = uptime()
        r = run_child(["--child-steps", str(lines)], {**os.environ, "PYTHONPATH": str(ROOT / "src")})
        print(f"\n## steps, {lines} lines (calibration {r['calibration_ms']} ms, load {load})")
        for row in r["steps"]:
            print(f"  {row['step']:48s} {row['s']:7.2f} s   peak RSS {row['peak_rss_mb']:5d} MB")


if __name__ == "__main__":
    main()
