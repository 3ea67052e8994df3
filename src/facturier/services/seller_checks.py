"""A seller profile that cannot issue what it says it will is refused at `init` and `seller update`.

French sellers invoice businesses by default, so the profile must be able to issue a B2B
invoice to a French business: we build one (a tiny sample order through
services.orders.draft_from_lines, exactly as an order is drafted) and run every issuing check
on it (services.issue.violations_of_draft's domain rules, then the e-invoice step: XSD, EN 16931
and BR-FR-Flux2 schematrons, our exact checks). Each problem about the seller is named by the
SELLER-FILE field, keeping its rule id, e.g.
- `electronic_address`: BR-FR-13 (BT-34, the seller's electronic address, French e-invoicing
  reform, BR-FR-Flux2);
- `late_penalty_rate`: FR-L441-9-PENALTY / BR-FR-05 PMD (C. com. L441-10: the rate of late-payment
  penalties is printed on every B2B invoice);
- `siren`: FR-R123-237-SIREN / BR-FR-10 (CGI ann. II art. 242 nonies A, C. com. R123-237);
- `vat_id`, `share_capital`, `rcs`, `iban`, `address.*`...
A problem that names no seller field (it would come from the sample itself) is reported under
"sample invoice: <field>". Sellers established outside France are not checked this way: the
French rules are the ones Facturier enforces on a seller's own profile.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache

from facturier.domain.canonical import canonical_bytes, from_canonical
from facturier.domain.codes import DocumentType
from facturier.domain.documents import Document, Status
from facturier.domain.errors import InvalidInput, Violation
from facturier.domain.seller import SellerProfile
from facturier.domain.validation import validate
from facturier.einvoice.explain import base_rule, explained
from facturier.services.artefacts import EInvoiceCheck
from facturier.services.issue import Check, IssueSteps
from facturier.services.order_schema import OrderIn
from facturier.services.orders import draft_from_lines

# A French business buyer with every identifier the B2B rules ask of a buyer (valid checksums).
_SAMPLE_ORDER = {
    "id": "SELLER-CHECK",
    "kind": "invoice",
    "currency": "EUR",
    "prices_include_vat": False,
    "customer": {
        "type": "business",
        "name": "Client Exemple SARL",
        "siren": "891234569",
        "vat_id": "FR84891234569",
        "electronic_address": {"value": "891234569", "scheme": "0225"},
    },
    "billing_address": {"line1": "3 place Bellecour", "city": "Lyon", "postcode": "69002", "country": "FR"},
    "lines": [{"name": "Article", "quantity": "1", "unit": "C62", "unit_price": "100.00", "vat_rate": "20"}],
    "payment": {"status": "pending", "method": "transfer"},
}

# Domain fields of the seller's part of a document -> the seller file's fields.
_PREFIXES = (
    ("seller.electronic_address", "electronic_address"),
    ("seller.contact.email", "email"),
    ("seller.contact.phone", "phone"),
    ("seller.", ""),
    ("payment_terms.late_penalty_rate", "late_penalty_rate"),
    ("payment_terms.early_payment_discount", "early_payment_discount"),
    ("payment_terms.means", "iban"),
    ("payment_terms.due_date", "payment_days"),
)


def sample_invoice(profile: SellerProfile, today: date) -> Document:
    """A B2B invoice to a French business, drafted from `profile` as an order would be."""
    order = OrderIn.model_validate({**_SAMPLE_ORDER, "date": today.isoformat()})
    return draft_from_lines(order, profile, DocumentType.INVOICE, today)


def profile_violations(profile: SellerProfile, steps: IssueSteps, today: date) -> tuple[Violation, ...]:
    """What would refuse the sample B2B invoice, named by seller-file field (each rule once per field)."""
    if profile.party.address.country != "FR":
        return ()
    check = steps.check
    if isinstance(check, EInvoiceCheck):
        check = replace(check, ubl=False)  # the CII carries the same rules; half the time (about 0.5 s)
    return _violations(canonical_bytes(profile), check, today)


@lru_cache(maxsize=32)
def _violations(canonical: bytes, check: Check | None, today: date) -> tuple[Violation, ...]:
    """Pure in its arguments, so cached: `init --demo` in every CLI test checks the same profile."""
    profile = from_canonical(SellerProfile, canonical)
    draft = replace(sample_invoice(profile, today), number="F0000-000000", status=Status.ISSUED)
    # both the domain rules and the e-invoice step, so every problem is named at once
    found = list(validate(draft))
    if check is not None:
        found.extend(check(draft, profile.facturx_profile))
    seen: dict[tuple[str, str], Violation] = {}
    for v in found:
        path = seller_field(v.path)
        seen.setdefault((base_rule(v.rule_id), path), Violation(v.rule_id, path, v.message))
    return tuple(seen.values())


def check_profile(profile: SellerProfile, steps: IssueSteps, today: date, language: str = "en") -> None:
    """Refuse (InvalidInput) a profile that cannot issue a B2B invoice; messages in `language`."""
    violations = profile_violations(profile, steps, today)
    if violations:
        raise InvalidInput(explained(v, language) for v in violations)


def seller_field(domain_path: str) -> str:
    """A document field as the seller file names it ("seller.electronic_address.value" -> "electronic_address")."""
    for domain, field in _PREFIXES:
        if domain_path.startswith(domain):
            rest = domain_path[len(domain) :]
            if field and rest and rest[0] in ".[":
                return field  # a part of it (.value, .scheme, [0].iban) is the field
            return field + rest
    return f"sample invoice: {domain_path}"
