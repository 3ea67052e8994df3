"""Benchmark: instructions executed per Factur-X document, counted by valgrind's callgrind.

Plain script: `PYTHONPATH=src python bench/bench_render_instructions.py [--documents N]`.

Wall-clock time on a shared virtual machine moves by 10-50 % from one minute to the next;
the number of instructions a job executes does not (it is the same run after run, whatever
else the machine does). So this script is the one to compare two versions of the template or
of the writers with: it runs the same job as `bench_render.py` (CII, XSD check, view model,
Typst PDF/A-3b, XMP patch; a different invoice each time) in two processes under callgrind,
one rendering 2 warm-up documents and one rendering 2 + N, and reports the difference
divided by N, i.e. the cost of one document in a warm worker.

Needs `valgrind` (Debian package); each count takes 15-60 s (callgrind runs ~50x slower).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WARM_UP = 2


def _job(pages: int, count: int) -> None:
    """Inside the process under callgrind: warm up, then render `count` documents."""
    sys.path.insert(0, str(HERE))
    import bench_render as b

    documents = [b.invoice(b.PAGES_TO_LINES[pages], seed=i) for i in range(WARM_UP + count)]
    for doc in documents:
        b.typst_job(doc)


def _collected(pages: int, count: int) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--job",
        str(pages),
        str(count),
    ]
    env = os.environ | {"PYTHONHASHSEED": "0"}  # the same dict and set orders in every run
    result = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    match = re.search(r"Collected : (\d+)", result.stderr)
    if match is None:
        raise RuntimeError(f"no callgrind total in:\n{result.stderr[-2000:]}")
    return int(match[1])


def per_document(pages: int, documents: int) -> int:
    return (_collected(pages, documents) - _collected(pages, 0)) // documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=5, help="documents counted after the warm-up")
    parser.add_argument("--job", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:
        _job(*args.job)
        return
    if shutil.which("valgrind") is None:
        print("skipped: valgrind is not installed (Debian: apt-get install valgrind)")
        return
    for pages in (1, 5):
        documents = args.documents if pages == 1 else max(1, args.documents // 2)
        count = per_document(pages, documents)
        print(f"{pages} page(s): {count / 1e6:.0f} M instructions per document ({documents} documents)")


if __name__ == "__main__":
    main()
