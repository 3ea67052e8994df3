"""Countries and VAT special territories, normalised to one `Territory` value.

Directive 2006/112/EC art. 5-7 define the EU VAT territory; art. 6 lists the territories of member
states that are outside it (Canary Islands, Ceuta, Melilla, the French art. 349 TFEU regions,
Åland, Mount Athos, ...); art. 7 puts Monaco in the French VAT territory.
French overseas departments: VAT applies in Guadeloupe, Martinique and La Réunion with own
rates (CGI art. 294 to 296) and is provisionally not applicable in Guyane and Mayotte
(CGI art. 294-1); goods moving between mainland France and a DOM are exports/imports
(CGI art. 294-2 and 294-3).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from facturier.domain.errors import InvalidInput, Violation


class Regime(StrEnum):
    """How VAT works in a territory; the key used to find its jurisdiction module."""

    EU_MEMBER = "eu_member"  # the member state's VAT (incl. Corsica, with own rates)
    FR_DOM = "fr_dom"  # GP, MQ, RE: French VAT, DOM rates (CGI art. 296)
    FR_DOM_NO_VAT = "fr_dom_no_vat"  # GF, YT: VAT not applicable (CGI art. 294-1)
    CANARY = "canary"  # IGIC (UNTDID 5305 code L)
    CEUTA_MELILLA = "ceuta_melilla"  # IPSI (UNTDID 5305 code M)
    EXCLUDED = "excluded"  # other art. 6 territories (Åland, Mount Athos)
    THIRD_COUNTRY = "third_country"


EU_MEMBER_STATES: frozenset[str] = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)

# ISO 3166-1 alpha-2 (249 officially assigned codes, ISO 3166 Maintenance Agency, 2026-11).
ISO_3166_ALPHA2: frozenset[str] = frozenset(
    """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO
    DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU
    GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW
    KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU
    MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
    PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA
    ZM ZW""".split()
)


@dataclass(frozen=True, slots=True)
class Territory:
    """`code` is the jurisdiction key ("FR", "FR-20R", "FR-971", "ES-CN", "US")."""

    code: str
    country: str  # the sovereign state, ISO alpha-2 ("FR" for FR-971)
    regime: Regime
    area: str  # goods moving between different areas cross a (VAT) border
    name: str

    @property
    def in_eu_vat_territory(self) -> bool:
        return self.regime is Regime.EU_MEMBER

    @property
    def applies_vat(self) -> bool:
        """True where a VAT (or IGIC/IPSI) system applies that can exempt exports."""
        return self.regime in (Regime.EU_MEMBER, Regime.FR_DOM)

    @property
    def subdivision(self) -> str | None:
        return None if self.code == self.country else self.code


_SPECIAL: dict[str, Territory] = {
    t.code: t
    for t in (
        Territory("FR-20R", "FR", Regime.EU_MEMBER, "FR", "Corse"),
        # CGI art. 294-2: Guadeloupe and Martinique are one area, La Réunion another.
        Territory("FR-971", "FR", Regime.FR_DOM, "FR-ANTILLES", "Guadeloupe"),
        Territory("FR-972", "FR", Regime.FR_DOM, "FR-ANTILLES", "Martinique"),
        Territory("FR-974", "FR", Regime.FR_DOM, "FR-974", "La Réunion"),
        Territory("FR-973", "FR", Regime.FR_DOM_NO_VAT, "FR-973", "Guyane"),
        Territory("FR-976", "FR", Regime.FR_DOM_NO_VAT, "FR-976", "Mayotte"),
        Territory("ES-CN", "ES", Regime.CANARY, "ES-CN", "Canarias"),
        Territory("ES-CE", "ES", Regime.CEUTA_MELILLA, "ES-CE", "Ceuta"),
        Territory("ES-ML", "ES", Regime.CEUTA_MELILLA, "ES-ML", "Melilla"),
        Territory("FI-01", "FI", Regime.EXCLUDED, "FI-01", "Åland"),
        Territory("GR-69", "GR", Regime.EXCLUDED, "GR-69", "Άγιο Όρος (Mount Athos)"),
    )
}

# Alternative spellings -> (country, territory code or None)
_COUNTRY_ALIASES: dict[str, tuple[str, str | None]] = {
    "EL": ("GR", None),
    "MC": ("FR", None),  # Directive art. 7(1): Monaco is treated as France
    "GP": ("FR", "FR-971"),
    "MQ": ("FR", "FR-972"),
    "GF": ("FR", "FR-973"),
    "RE": ("FR", "FR-974"),
    "YT": ("FR", "FR-976"),
    "IC": ("ES", "ES-CN"),
    "AX": ("FI", "FI-01"),
}
_TERRITORY_ALIASES: dict[str, str] = {
    "FR-2A": "FR-20R",
    "FR-2B": "FR-20R",
    "FR-COR": "FR-20R",
    "ES-GC": "ES-CN",
    "ES-TF": "ES-CN",
    "GP": "FR-971",
    "MQ": "FR-972",
    "GF": "FR-973",
    "RE": "FR-974",
    "YT": "FR-976",
    "IC": "ES-CN",
}


def _country_territory(code: str) -> Territory:
    if code in EU_MEMBER_STATES:
        return Territory(code, code, Regime.EU_MEMBER, code, code)
    return Territory(code, code, Regime.THIRD_COUNTRY, code, code)


def _bad(path: str, message: str) -> InvalidInput:
    return InvalidInput([Violation("TAX-COUNTRY-UNKNOWN", path, message)])


@lru_cache(maxsize=512)
def resolve(country: str | None, territory: str | None = None, path: str = "country") -> Territory:
    """Normalise a country (+ optional special territory) to a `Territory`, or raise."""
    raw = (country or "").strip().upper()
    canon, implied = _COUNTRY_ALIASES.get(raw, (raw, None))
    if canon not in ISO_3166_ALPHA2:
        raise _bad(path, f"unknown country code {country!r}: expected ISO 3166-1 alpha-2")
    wanted = (territory or "").strip().upper() or implied
    if wanted is None:
        return _country_territory(canon)
    code = _TERRITORY_ALIASES.get(wanted, wanted)
    special = _SPECIAL.get(code)
    if special is None or special.country != canon:
        raise _bad(
            path,
            f"territory {territory!r} is not a VAT special territory of {canon}; "
            f"known: {', '.join(sorted(k for k, t in _SPECIAL.items() if t.country == canon))}"
            " (leave it empty for the mainland)",
        )
    return special


@lru_cache(maxsize=512)
def resolve_place(code: str | None, path: str) -> Territory:
    """Resolve a single place code: "DE", "GP", "FR-971", "ES-CN"."""
    raw = (code or "").strip().upper()
    if "-" in raw:
        country, _, _ = raw.partition("-")
        return resolve(country, raw, path)
    return resolve(raw, None, path)
