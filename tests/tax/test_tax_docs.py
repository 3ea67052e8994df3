"""The worked example in docs/algorithms/tax-determination.md is executed as a doctest."""

from __future__ import annotations

import doctest
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "algorithms" / "tax-determination.md"


def test_charge_split_worked_example_in_the_documentation() -> None:
    result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 5
    assert result.failed == 0
