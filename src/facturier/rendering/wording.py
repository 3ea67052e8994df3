"""Texts issuing writes into a document in one language, printed in the reader's.

Issuing stores some generated texts in the document in the order's language
(`customer.language`, French unless the order says otherwise), while the PDF is printed in the
buyer's (`language_for`): the legal mentions and exemption reasons of the tax engine
(`tax.mentions`, `tax.jurisdictions.not_applicable`, "Exonération de TVA : <source>"), the
note of an order paid at checkout (BT-20, `paid_note`), the evidence of a VIES check (BT-22,
Implementing Regulation 282/2011 art. 18(1)), the default reasons of allowances and charges
(BT-97, BT-104) and the item names of down-payment and credit lines spread over VAT groups
(BT-153, with a rate written "5.5 %"), the payment note of a credit note and the note naming the
quote an invoice was converted from. `reword` recognises each of them and prints it in the
reader's language with the locale's dates and numbers ("TVA 5,5 %", "VAT 5.5%"); any other
text (the merchant's own words) is printed as given.

Every writer has its reader: `paid_note` writes the payment note the way `reword` reads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache

from facturier.rendering.formatting import Formatter
from facturier.tax.jurisdictions.not_applicable import EXCLUDED, FR_DOM_NO_VAT, THIRD_COUNTRY
from facturier.tax.mentions import known_mentions

# The payment methods of the order format, as `paid_note` stores them (French, as issued so far).
STORED_METHODS = {
    "card": "carte bancaire",
    "transfer": "virement",
    "direct_debit": "prélèvement",
    "paypal": "PayPal",
    "cash": "espèces",
    "cheque": "chèque",
}
_METHOD_KEYS = {label: key for key, label in STORED_METHODS.items()}
# Fixed texts -> catalogue keys: default allowance and charge reasons (services.orders), the
# payment note of a credit note (services.credit).
_FIXED = {
    "Remise": "line.allowance",
    "Frais": "line.charge",
    "Frais de port": "reason.shipping",
    "Frais de manutention": "reason.handling",
    "Emballage cadeau": "reason.gift_wrap",
    "Avoir : montant à rembourser ou à déduire": "note.credit_payment",
}


def paid_note(method: str, paid_on: date | None, reference: str = "") -> str:
    """The payment note (BT-20) of an order paid at checkout, as stored in the document.

    `method` is one of the order format's payment methods (`STORED_METHODS`).
    """
    when = f" le {paid_on:%d/%m/%Y}" if paid_on else ""
    ref = f" (réf. {reference})" if reference else ""
    return f"Payé{when} par {STORED_METHODS[method]}{ref}"


@cache
def _translations() -> dict[str, dict[str, str]]:
    """Every fixed text of the tax engine, French or English, -> its wording per language."""
    pairs = [(m.fr, m.en) for m in known_mentions()]
    pairs += [(n.reason_fr, n.reason_en) for n in (FR_DOM_NO_VAT, EXCLUDED, THIRD_COUNTRY)]
    table: dict[str, dict[str, str]] = {}
    for fr, en in pairs:
        wording = {"fr": fr, "en": en}
        table.setdefault(fr, wording)
        table.setdefault(en, wording)
    return table


_PAID = re.compile(r"Payé(?: le (\d{2})/(\d{2})/(\d{4}))? par (.+?)(?: \(réf\. (.*)\))?")
_VIES = re.compile(
    r"Contrôle VIES du numéro de TVA (\S+)(?: le (\d{4}-\d{2}-\d{2}))? : (\w+)(?:, référence de consultation (.+))?"
)
_GROUP_LINE = re.compile(
    r"(Acompte sur commande|Avoir sur facture|Ajustement au restant de la facture) (.+?)(?: \(TVA (\d+(?:\.\d+)?) %\))?"
)
_FROM_QUOTE = re.compile(r"Suivant devis n° (\S+) du (\d{4}-\d{2}-\d{2})")
_EXEMPT = re.compile(r"(?:Exonération de TVA : |VAT exempt: )(.+)")
_GROUP_KEYS = {
    "Acompte sur commande": "generated.down_payment",
    "Avoir sur facture": "generated.credit",
    "Ajustement au restant de la facture": "generated.credit_adjustment",  # domain.credit_notes
}
_VIES_STATUS = {"valid", "invalid", "unknown", "not_checked"}


def _paid(match: re.Match[str], fmt: Formatter) -> str | None:
    day, month, year, method, reference = match.groups()
    key = _METHOD_KEYS.get(method)
    if key is None:
        return None
    cat = fmt.catalogue
    label = cat.text(f"method.{key}")
    if year:
        text = cat.text("note.paid", date=fmt.date(date(int(year), int(month), int(day))), method=label)
    else:
        text = cat.text("note.paid_undated", method=label)
    return cat.text("note.reference", text=text, value=reference) if reference else text


def _vies(match: re.Match[str], fmt: Formatter) -> str | None:
    vat_id, checked, status, reference = match.groups()
    if status not in _VIES_STATUS:
        return None
    cat = fmt.catalogue
    when = cat.text("note.vies_when", date=fmt.date(date.fromisoformat(checked))) if checked else ""
    ref = cat.text("note.vies_reference", value=reference) if reference else ""
    return cat.text("note.vies", vat_id=vat_id, when=when, status=cat.text(f"vies.{status}"), reference=ref)


def _group_line(match: re.Match[str], fmt: Formatter) -> str:
    label, reference, rate = match.groups()
    text = fmt.catalogue.text(_GROUP_KEYS[label], reference=reference)
    return fmt.catalogue.text("generated.rate", text=text, rate=fmt.percent(Decimal(rate))) if rate else text


def _from_quote(match: re.Match[str], fmt: Formatter) -> str:
    number, issued = match.groups()
    return fmt.catalogue.text("note.from_quote", number=number, date=fmt.date(date.fromisoformat(issued)))


def _exempt(match: re.Match[str], fmt: Formatter) -> str:
    return fmt.catalogue.text("generated.exempt", source=match[1])


_PATTERNS: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str], Formatter], str | None]], ...] = (
    ("Payé", _PAID, _paid),
    ("Contrôle VIES", _VIES, _vies),
    ("Acompte sur commande ", _GROUP_LINE, _group_line),
    ("Avoir sur facture ", _GROUP_LINE, _group_line),
    ("Ajustement au restant de la facture ", _GROUP_LINE, _group_line),
    ("Suivant devis n° ", _FROM_QUOTE, _from_quote),
    ("Exonération de TVA : ", _EXEMPT, _exempt),
    ("VAT exempt: ", _EXEMPT, _exempt),
)


def reword(text: str, fmt: Formatter) -> str:
    """`text` in `fmt`'s language if issuing generated it (see the module docstring), else as is."""
    wording = _translations().get(text)
    if wording is not None:
        return wording.get(fmt.catalogue.language, text)
    key = _FIXED.get(text)
    if key is not None:
        return fmt.catalogue.text(key)
    for prefix, pattern, rewrite in _PATTERNS:
        if text.startswith(prefix):
            match = pattern.fullmatch(text)
            result = rewrite(match, fmt) if match else None
            if result is not None:
                return result
    return text
