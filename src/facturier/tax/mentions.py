"""Invoice mentions (French and English) and exemption reason texts, by code.

French texts follow CGI ann. II art. 242 nonies A (mentions obligatoires) for a seller established
in France; other sellers get the Directive 2006/112/EC article (art. 226 11° to 13°).
"""

from __future__ import annotations

from collections.abc import Iterable

from facturier.tax.model import InvoiceTaxMentions, Mention

_FR: dict[str, Mention] = {
    m.code: m
    for m in (
        Mention(
            "REVERSE_CHARGE",
            "Autoliquidation",
            "Reverse charge",
            "Directive 2006/112/EC art. 196 and 226 11a; CGI art. 283-2 and 242 nonies A",
        ),
        Mention(
            "INTRA_EU_GOODS",
            "Exonération de TVA, article 262 ter I du CGI",
            "VAT exempt intra-Community supply of goods, article 262 ter I of the French CGI"
            " (Directive 2006/112/EC art. 138)",
            "CGI art. 262 ter I; Directive 2006/112/EC art. 138",
        ),
        Mention(
            "EXPORT",
            "Exonération de TVA, article 262 I du CGI",
            "VAT exempt export, article 262 I of the French CGI (Directive 2006/112/EC art. 146)",
            "CGI art. 262 I; Directive 2006/112/EC art. 146",
        ),
        Mention(
            "FRANCHISE",
            "TVA non applicable, art. 293 B du CGI",
            "VAT not applicable, article 293 B of the French CGI (VAT franchise)",
            "CGI art. 293 B",
        ),
        Mention(
            "DEBITS",
            "Option pour le paiement de la taxe d'après les débits",
            "Option for payment of VAT on debits (accrual basis)",
            "CGI art. 269 2 a; CGI ann. II art. 242 nonies A",
        ),
        Mention(
            "SERVICES_OUTSIDE_EU",
            "TVA non applicable, article 259-1° du CGI",
            "VAT not applicable: place of supply outside the EU, article 259-1° of the French CGI"
            " (Directive 2006/112/EC art. 44)",
            "CGI art. 259-1°; Directive 2006/112/EC art. 44",
        ),
        Mention(
            "DOM_NOT_APPLICABLE",
            "TVA non applicable, article 294-1 du CGI",
            "VAT not applicable in French Guiana and Mayotte, article 294-1 of the French CGI",
            "CGI art. 294-1",
        ),
    )
}

_EU: dict[str, Mention] = {
    "REVERSE_CHARGE": _FR["REVERSE_CHARGE"],
    "INTRA_EU_GOODS": Mention(
        "INTRA_EU_GOODS",
        "Exonération de TVA, livraison intracommunautaire, article 138 de la directive 2006/112/CE",
        "VAT exempt intra-Community supply, Article 138 of Directive 2006/112/EC",
        "Directive 2006/112/EC art. 138",
    ),
    "EXPORT": Mention(
        "EXPORT",
        "Exonération de TVA, exportation, article 146 de la directive 2006/112/CE",
        "VAT exempt export, Article 146 of Directive 2006/112/EC",
        "Directive 2006/112/EC art. 146",
    ),
    "SERVICES_OUTSIDE_EU": Mention(
        "SERVICES_OUTSIDE_EU",
        "Hors du champ de la TVA de l'UE, article 44 de la directive 2006/112/CE",
        "Outside the scope of EU VAT, Article 44 of Directive 2006/112/EC",
        "Directive 2006/112/EC art. 44",
    ),
}

_COMMON: dict[str, Mention] = {
    m.code: m
    for m in (
        Mention(
            "IMPORT_VAT_AT_BORDER",
            "TVA à l'importation non facturée par le vendeur : due à l'importation",
            "Import VAT not charged by the seller: due on importation",
            "Directive 2006/112/EC art. 30, 70 and 201",
        ),
        Mention(
            "EXEMPT",
            "Exonération de TVA (article 132 de la directive 2006/112/CE)",
            "VAT exempt (Article 132 of Directive 2006/112/EC)",
            "Directive 2006/112/EC art. 132",
        ),
        Mention(
            "OUTSIDE_SCOPE",
            "Opération hors du champ de la TVA de l'Union européenne",
            "Outside the scope of EU VAT",
            "Directive 2006/112/EC art. 5 and 6",
        ),
    )
}


def mention(code: str, seller_is_fr: bool) -> Mention:
    """The mention for `code`, worded for a French seller (CGI) or any other (Directive)."""
    table = _FR if seller_is_fr else _EU
    return table.get(code) or _FR.get(code) or _COMMON[code]


def known_mentions() -> tuple[Mention, ...]:
    """Every mention of the tables above (French-seller, other-seller and common wordings)."""
    return (*_FR.values(), *_EU.values(), *_COMMON.values())


def collect(groups: Iterable[Iterable[Mention]]) -> InvoiceTaxMentions:
    """Unique mentions in first-seen order."""
    seen: dict[str, Mention] = {}
    for group in groups:
        for m in group:
            seen.setdefault(m.code, m)
    return InvoiceTaxMentions(tuple(seen.values()))
