"""Benchmark: the cost of the script fonts and of the RENDER-GLYPH check (docs/rendering.md).

Plain script: `.venv/bin/python bench/bench_coverage.py [--repeat 5]`. Each one-off figure is
taken in a fresh process (caches empty), `--repeat` times, median and range printed:

- `covered_code_points()`: reading the cmaps of every shipped font (the check's one-off cost);
- the same coverage through fontTools' `getBestCmap` (the decoder the check does not use);
- `typst.Fonts(...)` over the shipped fonts, and over the Latin fonts alone (the font book
  every rendering process builds once);
and, in one warm process, `uncovered_text` on a 3-line and a 150-line invoice (median of 200).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import machine

CTX = mp.get_context("spawn")  # fresh interpreters: nothing cached from the parent
LATIN = ("Inter-", "LiberationSerif-")


def _coverage_ms(_: int) -> float:
    from facturier.rendering.coverage import covered_code_points

    started = time.perf_counter()
    covered_code_points()
    return (time.perf_counter() - started) * 1000


def _fonttools_ms(_: int) -> float:
    from fontTools.ttLib import TTCollection, TTFont

    from facturier.rendering.pdf import FONTS_DIR

    started = time.perf_counter()
    for path in sorted(FONTS_DIR.iterdir()):
        if path.suffix == ".ttc":
            faces = list(TTCollection(str(path)).fonts)
        elif path.suffix in (".ttf", ".otf"):
            faces = [TTFont(str(path))]
        else:
            continue
        for face in faces:
            face.getBestCmap()
    return (time.perf_counter() - started) * 1000


def _font_book_ms(latin_only: int) -> float:
    import typst

    from facturier.rendering.pdf import FONTS_DIR

    directory = FONTS_DIR
    scratch = None
    if latin_only:
        scratch = tempfile.mkdtemp()
        for path in FONTS_DIR.iterdir():
            if path.name.startswith(LATIN):
                shutil.copy(path, scratch)
        directory = Path(scratch)
    started = time.perf_counter()
    typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[directory])
    elapsed = (time.perf_counter() - started) * 1000
    if scratch:
        shutil.rmtree(scratch)
    return elapsed


def _fresh(function, argument: int, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    with CTX.Pool(1, maxtasksperchild=1) as pool:
        return [pool.apply(function, (argument,)) for _ in range(repeat)]


def _check_ms(lines: int, iterations: int = 200) -> float:
    from tests.factories import draft

    from facturier.rendering.coverage import covered_code_points, uncovered_text

    covered_code_points()  # warm: the one-off cost is measured above
    order_lines = [
        {"name": f"Lampe de bureau laiton n° {i}", "quantity": "1", "unit_price": "10.00", "vat_rate": "20"}
        for i in range(lines)
    ]
    document = draft(date(2026, 11, 20), lines=order_lines)
    assert document.totals.tax_inclusive > Decimal(0) and uncovered_text(document) == ()
    timings = []
    for _ in range(iterations):
        started = time.perf_counter()
        uncovered_text(document)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _line(label: str, values: list[float]) -> str:
    return f"{label:<48} median {statistics.median(values):8.1f} ms   range {min(values):.1f}-{max(values):.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(machine(), flush=True)
    print(_line("coverage: cmaps read directly (fresh process)", _fresh(_coverage_ms, 0, args.repeat)), flush=True)
    print(_line("coverage through fontTools getBestCmap", _fresh(_fonttools_ms, 0, args.repeat)), flush=True)
    print(_line("typst.Fonts over every shipped font", _fresh(_font_book_ms, 0, args.repeat)), flush=True)
    print(_line("typst.Fonts over the Latin fonts only", _fresh(_font_book_ms, 1, args.repeat)), flush=True)
    for lines in (3, 150):
        print(f"uncovered_text, {lines}-line invoice (warm, median of 200): {_check_ms(lines):.2f} ms", flush=True)


if __name__ == "__main__":
    main()
