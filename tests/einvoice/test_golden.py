"""Golden files: the exact bytes written for a fixed set of documents.

Regenerate only on purpose: FACTURIER_REGEN_GOLDEN=1 pytest tests/einvoice/test_golden.py
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.einvoice.scenarios import SCENARIOS

from facturier.einvoice.cii.writer import write_cii
from facturier.einvoice.profiles import Profile
from facturier.einvoice.ubl.writer import write_ubl

GOLDEN = Path(__file__).parents[1] / "golden" / "einvoice"
REGEN = os.environ.get("FACTURIER_REGEN_GOLDEN") == "1"


def _writers(name: str) -> dict[str, Callable[[], bytes]]:
    doc = SCENARIOS[name]()
    writers: dict[str, Callable[[], bytes]] = {
        f"{name}.cii.xml": lambda: write_cii(doc),
        f"{name}.ubl.xml": lambda: write_ubl(doc),
    }
    if name == "domestic_b2b":
        for profile in (Profile.BASIC_WL, Profile.BASIC, Profile.EXTENDED):
            writers[f"{name}.cii-{profile.value}.xml"] = lambda p=profile: write_cii(doc, p)  # type: ignore[misc]
    return writers


CASES = [(name, file) for name in sorted(SCENARIOS) for file in _writers(name)]


@pytest.mark.parametrize(("name", "file"), CASES)
def test_golden(name: str, file: str) -> None:
    produced = _writers(name)[file]()
    path = GOLDEN / file
    if REGEN:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_bytes(produced)
    assert path.exists(), f"missing golden file {path}; run with FACTURIER_REGEN_GOLDEN=1"
    assert produced == path.read_bytes(), f"{file} differs from its golden file"
