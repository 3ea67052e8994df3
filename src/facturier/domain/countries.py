"""Countries: ISO 3166-1 alpha-2 as accepted by EN 16931 (BR-CL-14), and the EU.

EU member states: TEU art. 52 (27 states since 2020-02-01). Greece is GR in ISO 3166 but
EL in VAT ids (Directive 2006/112/EC art. 215).
"""

from __future__ import annotations

from facturier.domain.codelists import countries

EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


def is_country_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code allowed by BR-CL-14 (upper case)."""
    return code in countries()
